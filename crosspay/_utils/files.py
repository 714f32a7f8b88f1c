"""Files: atomic writes, and the generated blocks of the README."""

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, content: str | bytes) -> None:
    """Writes `content` (text, or bytes such as a PNG) to a temporary file beside `path`, flushes it to disk, then
    renames it over `path`: a reader sees the old file or the new one, never half of one."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb" if isinstance(content, bytes) else "w") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def replace_block(path: Path, name: str, text: str) -> None:
    """Replaces what stands between `<!-- name:start -->` and `<!-- name:end -->` in `path` (a command's figures in
    the README) with `text`, atomically; a file without the markers is left alone."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    content = Path(path).read_text()
    if start not in content or end not in content:
        return
    head, rest = content.split(start, 1)
    _, tail = rest.split(end, 1)
    write_atomic(path, f"{head}{start}\n{text}{end}{tail}")
