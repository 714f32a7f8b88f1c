"""Where the project's files are: the repository root and the folders Crosspay reads and writes."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ROOT / "reports"
BUILD = ROOT / "build"
