"""Files and output: atomic writes, and silencing brownie's per-transaction printing."""

import contextlib
import io
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, text: str) -> None:
    """Writes `text` to a temporary file beside `path`, flushes it to disk, then renames it over `path`."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def quiet():
    """A context in which brownie's "Transaction sent ... confirmed" lines are swallowed (the caller prints its own).

    brownie prints them with print() and offers no switch for contract calls, so stdout is redirected; a rich Console
    created beforehand keeps writing to the real terminal.
    """
    return contextlib.redirect_stdout(io.StringIO())
