"""Images are read only from inside the sources folder, never from the network, and are
checked (format, bytes, pixels) from their headers before anything decodes them."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image as PILImage

from essaypress.log import collect
from essaypress.model.nodes import Essay, Figure, Image, Meta, Para, Resource, SourceRef, Str
from essaypress.model.walk import query
from essaypress.resources import image_problem, image_size, resolve_images
from tests.conftest import png_bytes
from tests.security._hostile import png_bomb


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


# ------------------------------------------------ sizes read before decoding


def _pil(fmt: str, size: tuple[int, int], **options: object) -> bytes:
    buf = io.BytesIO()
    PILImage.new("RGB", size, (10, 20, 30)).save(buf, fmt, **options)
    return buf.getvalue()


def test_image_size_reads_png_jpeg_and_gif_headers_as_pillow_does() -> None:
    frames = [PILImage.new("P", (50, 40), i) for i in range(3)]
    animated = io.BytesIO()
    frames[0].save(animated, "GIF", save_all=True, append_images=frames[1:])
    samples = [
        _pil("PNG", (321, 123)),
        _pil("JPEG", (321, 123)),
        _pil("JPEG", (321, 123), progressive=True),
        _pil("JPEG", (17, 9), exif=PILImage.Exif()),
        _pil("GIF", (321, 123)),
        animated.getvalue(),
    ]
    for data in samples:
        assert image_size(data) == PILImage.open(io.BytesIO(data)).size


def test_the_pixel_limit_is_inclusive() -> None:
    assert image_problem(png_bomb(8000, 5000)) is None  # 40 000 000 pixels
    assert image_problem(png_bomb(8001, 5000)) == (
        "image-too-large",
        "is 8001 × 5000 pixels, more than the limit of 40 megapixels — scale it down",
    )


def test_damaged_headers_are_refused() -> None:
    png = png_bytes()
    for data in (
        png[:16],  # cut inside IHDR
        png[:12] + b"IDAT" + png[16:],  # IHDR is not first
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(7) + b"\xff\xd9",  # no frame header
        b"\xff\xd8\xff\xc0\x00\x0b\x08\x00\x00\x01\x00\x01\x01\x11\x00",  # height 0 (DNL)
        b"GIF89a\x01\x00",  # cut inside the screen descriptor
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00\x99",  # unknown block
    ):
        assert image_problem(data) == (
            "image-format",
            "is damaged (its size cannot be read) — save it again as PNG or JPEG",
        ), data


def test_svg_is_refused_with_its_own_reason(tmp_path: Path) -> None:
    (tmp_path / "x.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>')
    with collect() as warnings:
        out = resolve_images(_essay("x.svg"), tmp_path / "a.md", tmp_path)
    assert out.resources == ()
    assert [w.code for w in warnings] == ["image-format"]
    assert "is an SVG drawing" in warnings[0].message and "export it as PNG" in warnings[0].message


def test_a_pixel_bomb_file_is_refused_with_its_size(tmp_path: Path) -> None:
    (tmp_path / "big.png").write_bytes(png_bomb())
    with collect() as warnings:
        out = resolve_images(_essay("big.png"), tmp_path / "a.md", tmp_path)
    assert out.resources == () and out.blocks[0] == Para((Str("圖說"),))
    assert [(w.code, w.location) for w in warnings] == [("image-too-large", "essays/a.md")]
    assert "is 100000 × 100000 pixels" in warnings[0].message


def test_images_a_reader_embedded_are_screened_too(tmp_path: Path) -> None:
    good = Resource("docx/good.png", "image/png", png_bytes())
    bomb = Resource("docx/bomb.png", "image/png", png_bomb())
    essay = Essay(
        Meta(),
        (
            Figure(Image("docx/bomb.png"), (Str("說明"),)),
            Para((Image("docx/bomb.png"), Str("字"), Image("docx/good.png"))),
        ),
        resources=(bomb, good),
        source=SourceRef("essays/b.docx"),
    )
    with collect() as warnings:
        out = resolve_images(essay, tmp_path / "essays" / "b.docx", tmp_path)
    assert out.resources == (good,)
    assert out.blocks == (Para((Str("說明"),)), Para((Str("字"), Image("docx/good.png"))))
    assert [(w.code, w.location) for w in warnings] == [("image-too-large", "essays/b.docx")]
    assert warnings[0].message.startswith("an image of the document (docx/bomb.png) left out")
