"""The README's assurance block (make assurance, scripts/assurance_report.py), written from the code and the last
audit: how many adversarial cases there are, the settings each stateful test runs with, and the Slither result.

    make assurance      (after make audit; collects the adversarial tests without running them)
"""

import ast
import re
import subprocess

from crosspay._utils.files import replace_block
from crosspay._utils.paths import REPORTS, ROOT

README = ROOT / "README.md"


def adversarial_cases(network: str) -> int:
    """The number of test cases (parametrizations included) pytest collects in tests/adversarial."""
    result = subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "brownie"),
            "test",
            "tests/adversarial",
            "--network",
            network,
            "--collect-only",
            "-q",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    match = re.search(r"(\d+) tests? collected", result.stdout)
    if not match:
        raise SystemExit(
            f"assurance: could not collect tests/adversarial:\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )
    return int(match.group(1))


def stateful_settings() -> list[tuple[str, int, int]]:
    """(test file, max_examples, stateful_step_count) as each stateful test passes them, read from its source."""
    found = []
    for path in sorted((ROOT / "tests" / "stateful").glob("test_*.py")):
        numbers = {}
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.keyword) and node.arg in ("max_examples", "stateful_step_count"):
                if isinstance(node.value, ast.Constant):
                    numbers[node.arg] = node.value.value
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if (
                        isinstance(key, ast.Constant)
                        and key.value in ("max_examples", "stateful_step_count")
                        and isinstance(value, ast.Constant)
                    ):
                        numbers[key.value] = value.value
        if numbers:
            found.append((path.name, numbers.get("max_examples"), numbers.get("stateful_step_count")))
    return found


def audit_summary() -> list[str]:
    report = REPORTS / "audit.md"
    if not report.exists():
        return ["no reports/audit.md yet: run `make audit`"]
    return [
        line.lstrip("- ").strip()
        for line in report.read_text().splitlines()
        if line.startswith("- ") and ("Findings in project code" in line or "Result" in line)
    ]


def main(network: str = "ganache-cli") -> None:
    lines = [f"- Adversarial cases in `tests/adversarial/`: **{adversarial_cases(network)}** (collected by pytest)."]
    for name, examples, steps in stateful_settings():
        lines.append(
            f"- Stateful `tests/stateful/{name}`: {examples} examples × {steps} steps per run in `make test`"
            " (`make fuzz`: 60 × 50, or STATEFUL_EXAMPLES / STATEFUL_STEPS)."
        )
    lines += [f"- Slither: {line}" for line in audit_summary()]
    replace_block(README, "assurance", "\n".join(lines) + "\n")
    print("\n".join(lines))
