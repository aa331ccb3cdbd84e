"""Run essaypress as ``python -m essaypress``."""

import sys

from .cli import main

sys.exit(main())
