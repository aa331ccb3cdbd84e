"""Turn model trees into versioned JSON and back.

Every node is ``{"t": "TypeName", ...fields}``; tuples are lists; bytes are
``{"$base64": "..."}``. The top-level object carries
``"essaypress-model-version"``; reading a dump of another major version is an
error. Source locations (fields excluded from equality) are not dumped.
"""

from __future__ import annotations

import base64
import dataclasses
import json
from typing import Any

from . import nodes

MODEL_VERSION = (1, 2)  # 1.1: BookMeta.edition, isbn, rights, cover; 1.2: SourceRef.paragraph
# and block ``source`` positions (not dumped: compare=False)
_VERSION_KEY = "essaypress-model-version"
_TYPES: dict[str, type] = {
    t.__name__: t for t in (*nodes.INLINE_TYPES, *nodes.BLOCK_TYPES, *nodes.OTHER_TYPES)
}


class ModelVersionError(ValueError):
    """A JSON dump made by an incompatible model version."""


def _encode(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    if isinstance(value, bytes):
        return {"$base64": base64.b64encode(value).decode("ascii")}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {"t": type(value).__name__}
        for f in dataclasses.fields(value):
            if f.compare:
                out[f.name] = _encode(getattr(value, f.name))
        return out
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_decode(v) for v in value)
    if isinstance(value, dict):
        if "$base64" in value:
            return base64.b64decode(value["$base64"])
        kind = _TYPES.get(value.get("t", ""))
        if kind is None:
            raise ValueError(f"unknown node type {value.get('t')!r}")
        return kind(**{k: _decode(v) for k, v in value.items() if k != "t"})
    return value


def to_json(tree: object, *, indent: int | None = 1) -> str:
    """A JSON text for any model node (an essay, an anthology, a block, ...)."""
    payload = {_VERSION_KEY: list(MODEL_VERSION), "tree": _encode(tree)}
    return json.dumps(payload, ensure_ascii=False, indent=indent, sort_keys=False)


def from_json(text: str) -> Any:
    """The model node a ``to_json`` text describes."""
    payload = json.loads(text)
    version = tuple(payload.get(_VERSION_KEY, ()))
    if not version or version[0] != MODEL_VERSION[0]:
        raise ModelVersionError(
            f"model version {version or 'missing'}, this essaypress reads {MODEL_VERSION[0]}.x"
        )
    return _decode(payload["tree"])
