"""The intermediate model: node types (the contract), walking, plain text, JSON."""

from .nodes import *  # noqa: F403
from .nodes import __all__ as __all__
