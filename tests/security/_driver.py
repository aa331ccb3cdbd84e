"""Turn ``_driver.py REPORT ARGS...`` into an audited ``essaypress`` run reported as JSON.

Run in a child process with resource limits; REPORT gets the exit code, the
files opened, the network/process events and the peak memory.
"""

from __future__ import annotations

import json
import mimetypes
import resource
import sys
import tempfile

from tests.security._audit import recording


def run(report: str, argv: list[str]) -> int:
    # the writers are imported when first used: load them (and WeasyPrint's C libraries)
    import essaypress.writers.docx
    import essaypress.writers.epub
    import essaypress.writers.pdf  # noqa: F401
    from essaypress.cli import main

    tempfile.gettempdir()
    mimetypes.init()
    with recording() as rec:
        code = main(argv)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    with open(report, "w", encoding="utf-8") as fh:
        json.dump({"code": code, "opens": rec.opens, "events": rec.events, "peak_bytes": peak}, fh)
    return code


if __name__ == "__main__":
    sys.exit(run(sys.argv[1], sys.argv[2:]))
