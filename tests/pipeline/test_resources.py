"""Images are read only from inside the sources folder, never from the network."""

from __future__ import annotations

from pathlib import Path

from essaypress.log import collect
from essaypress.model.nodes import Essay, Figure, Image, Meta, Para, SourceRef, Str
from essaypress.model.walk import query
from essaypress.resources import resolve_images
from tests.conftest import png_bytes


def _essay(src: str) -> Essay:
    return Essay(
        Meta(),
        (Figure(Image(src, alt="圖"), (Str("圖說"),)), Para((Str("字"), Image(src)))),
        source=SourceRef("essays/a.md"),
    )


def test_local_image_becomes_a_resource_shared_by_both_uses(tmp_path: Path) -> None:
    (tmp_path / "essays" / "img").mkdir(parents=True)
    (tmp_path / "essays" / "img" / "a b.png").write_bytes(png_bytes())
    out = resolve_images(_essay("img/a%20b.png"), tmp_path / "essays" / "a.md", tmp_path)
    assert len(out.resources) == 1
    key = out.resources[0].key
    assert key.startswith("img/") and key.endswith(".png")
    assert {i.src for i in query(out, Image)} == {key}


def test_images_outside_sources_or_remote_are_refused_with_a_warning(tmp_path: Path) -> None:
    root = tmp_path / "sources"
    (root / "essays").mkdir(parents=True)
    (tmp_path / "secret.png").write_bytes(png_bytes())
    (root / "essays" / "link.png").symlink_to(tmp_path / "secret.png")
    for src, code in [
        ("../../secret.png", "image-outside"),
        ("%2e%2e/%2e%2e/secret.png", "image-outside"),
        ("link.png", "image-outside"),
        ("/etc/passwd", "image-outside"),
        ("http://127.0.0.1:9/x.png", "remote-image"),
        ("file:///etc/passwd", "remote-image"),
        ("nothere.png", "image-missing"),
    ]:
        with collect() as warnings:
            out = resolve_images(_essay(src), root / "essays" / "a.md", root)
        assert out.resources == (), src
        assert not query(out, Image), src
        assert out.blocks[0] == Para((Str("圖說"),)), src  # the caption is kept as text
        assert [w.code for w in warnings] == [code], src
        assert warnings[0].location == "essays/a.md"


def test_a_file_that_is_not_an_image_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x.png").write_text("<svg onload='alert(1)'/>")
    with collect() as warnings:
        out = resolve_images(_essay("x.png"), tmp_path / "a.md", tmp_path)
    assert out.resources == () and [w.code for w in warnings] == ["image-format"]
