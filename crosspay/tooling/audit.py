"""make audit (scripts/audit.py): Slither and slither-check-erc over Crosspay's own contracts, judged against
audit/triage.yml.

Steps (all inputs discovered, so a new contract is analysed without editing this file):
1. Write build/audit/input.json, a Standard-JSON input naming every .sol file under contracts/ and interfaces/
   (except contracts/test/ and contracts/benchmark/) with brownie-config.yaml's evmVersion, optimizer and
   remappings. Sources are given as `urls`; the solc-js bridge (tools/solc-bridge.js) reads them from disk.
2. `slither build/audit/input.json --compile-force-framework solc-json --solc .toolchain/solcx/solc --json ...`
   (`slither .` with the brownie framework cannot resolve the remapped node_modules imports).
3. `slither-check-erc build/audit/input.json <Contract> --erc <ERC> --compile-force-framework solc-json` for each
   pair in ERC_CHECKS: the same input file and route work unchanged.
4. Judge (crosspay/tooling/triage.py): zero High/Medium, every Low/Informational/Optimization finding and every inline
   `slither-disable` comment triaged, every ERC check conformant. Print one line per problem, write
   reports/audit.md (and the README block between the audit markers), exit 1 when anything blocks. Stale triage
   entries are printed but do not fail.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from crosspay._utils.files import replace_block, write_atomic
from crosspay._utils.paths import REPORTS, ROOT
from crosspay.tooling.triage import (
    counts_by_detector,
    counts_by_impact,
    erc_problems,
    inline_suppressions,
    judge,
    judge_suppressions,
    load_triage,
    project_findings,
)

SOURCE_DIRS = ("contracts", "interfaces")
EXCLUDED_DIRS = ("contracts/test", "contracts/benchmark")  # test doubles and gas baselines, never deployed
ERC_CHECKS = (("DepositToken", "ERC20"), ("DepositToken", "ERC2612"))
WORK = ROOT / "build" / "audit"
TRIAGE = ROOT / "audit" / "triage.yml"
REPORT = REPORTS / "audit.md"
README = ROOT / "README.md"
BRIDGE_DIR = ROOT / ".toolchain" / "solcx"
VENV_BIN = ROOT / ".venv" / "bin"


def discover_sources() -> list[str]:
    paths = []
    for top in SOURCE_DIRS:
        for path in sorted((ROOT / top).rglob("*.sol")):
            relative = path.relative_to(ROOT).as_posix()
            if not any(relative.startswith(excluded + "/") for excluded in EXCLUDED_DIRS):
                paths.append(relative)
    return paths


def standard_json_input(sources: list[str]) -> dict:
    compiler = yaml.safe_load((ROOT / "brownie-config.yaml").read_text())["compiler"]
    optimizer = compiler["solc"].get("optimizer", {"enabled": False, "runs": 200})
    # brownie writes `@openzeppelin=node_modules/@openzeppelin`; solc wants both sides to end in "/".
    remappings = []
    for remapping in compiler["solc"].get("remappings", []):
        prefix, target = remapping.split("=", 1)
        remappings.append(f"{prefix.rstrip('/')}/={target.rstrip('/')}/")
    return {
        "language": "Solidity",
        "sources": {path: {"urls": [path]} for path in sources},
        "settings": {
            "evmVersion": compiler["evm_version"],
            "optimizer": {"enabled": bool(optimizer["enabled"]), "runs": int(optimizer["runs"])},
            "remappings": remappings,
            "outputSelection": {"*": {"*": ["abi", "evm.bytecode", "evm.deployedBytecode"], "": ["ast"]}},
        },
    }


def run_tool(args: list[str], json_out: Path) -> dict:
    """Runs a Slither tool, which exits non-zero whenever it reports anything, and returns its JSON output."""
    json_out.unlink(missing_ok=True)
    env = dict(os.environ, PATH=f"{BRIDGE_DIR}{os.pathsep}{os.environ.get('PATH', '')}")
    log = json_out.with_suffix(".log")
    with log.open("w") as handle:
        subprocess.run([*args, "--json", str(json_out)], cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
    if not json_out.exists():
        tail = log.read_text().strip().splitlines()[-1:] or ["no output"]
        return {"success": False, "error": f"{tail[0]} (log: {log.relative_to(ROOT)})", "results": {}}
    return json.loads(json_out.read_text())


def tool_version(name: str) -> str:
    result = subprocess.run([str(VENV_BIN / name), "--version"], capture_output=True, text=True)
    return result.stdout.strip() or "unknown"


def summary_lines(summary: dict) -> list[str]:
    counts = summary["counts"]
    triaged = ", ".join(f"{detector} {n}" for detector, n in summary["triaged_by_detector"].items())
    lines = [
        f"- Slither {summary['slither']} with solc {summary['solc']}, evmVersion "
        f"{summary['evm']}, over {len(summary['sources'])} project sources "
        f"({', '.join(summary['sources'])}).",
        "- Findings in project code: "
        + ", ".join(f"{n} {impact}" for impact, n in counts.items())
        + f"; {summary['dependency']} findings only in node_modules/ (OpenZeppelin) left out.",
        f"- Triaged (accepted with a reason in `audit/triage.yml`): {summary['triaged']}"
        + (f" ({triaged})" if triaged else "")
        + f"; inline `slither-disable` suppressions (also triaged): {summary['suppressions']}; stale triage "
        f"entries: {summary['stale']}; untriaged or blocking: {summary['problems']}.",
    ]
    for contract, erc, result in summary["erc"]:
        lines.append(f"- slither-check-erc {erc} on {contract}: {result}.")
    lines.append(f"- Result: **{'PASS' if summary['problems'] == 0 else 'FAIL'}**.")
    return lines


def write_report(summary: dict) -> None:
    lines = summary_lines(summary)
    header = [
        "# Static analysis (make audit)",
        "",
        "Produced by `make audit` (scripts/audit.py); do not edit by hand.",
        "",
    ]
    REPORT.parent.mkdir(exist_ok=True)
    write_atomic(REPORT, "\n".join(header + lines) + "\n")
    # The README quotes the same lines between its markers.
    replace_block(README, "audit", "\n".join(lines) + "\n")


def main() -> int:
    WORK.mkdir(parents=True, exist_ok=True)
    sources = discover_sources()
    config = standard_json_input(sources)
    input_path = WORK / "input.json"
    input_path.write_text(json.dumps(config, indent=2))
    relative_input = str(input_path.relative_to(ROOT))
    solc_flags = ["--compile-force-framework", "solc-json", "--solc", str(BRIDGE_DIR / "solc")]
    print(f"audit: {len(sources)} sources -> {relative_input}; running slither (about 20 s)")

    problems = []
    slither_output = run_tool([str(VENV_BIN / "slither"), relative_input, *solc_flags], WORK / "slither.json")
    if not slither_output.get("success"):
        print(f"audit: slither failed: {slither_output.get('error')}", file=sys.stderr)
        return 1
    findings, dependency_count = project_findings(slither_output)

    erc_summary = []
    for contract, erc in ERC_CHECKS:
        print(f"audit: slither-check-erc {erc} on {contract}")
        output = run_tool(
            [str(VENV_BIN / "slither-check-erc"), relative_input, contract, "--erc", erc, *solc_flags],
            WORK / f"erc-{contract}-{erc}.json",
        )
        failures, advisories = erc_problems(contract, erc, output)
        problems.extend(failures)
        findings.extend(advisories)
        verdict = "conformant" if not failures else f"{len(failures)} conformance failure(s)"
        if advisories:
            verdict += f", {len(advisories)} advisory note(s), triaged like a Low finding"
        erc_summary.append((contract, erc, verdict))

    try:
        triage, suppression_entries = load_triage(yaml.safe_load(TRIAGE.read_text()) or {})
    except (OSError, yaml.YAMLError, KeyError, ValueError) as error:
        print(f"audit: cannot read {TRIAGE.relative_to(ROOT)}: {' '.join(str(error).split())}", file=sys.stderr)
        return 1
    finding_problems, accepted = judge(findings, triage)
    problems.extend(finding_problems)
    suppressions = inline_suppressions({path: (ROOT / path).read_text() for path in sources})
    suppression_problems, stale_suppressions = judge_suppressions(suppressions, suppression_entries)
    problems.extend(suppression_problems)
    stale = [f"{e.detector} where '{e.where}'" for e in triage if not e.matched] + stale_suppressions

    counts = counts_by_impact(findings)
    write_report(
        {
            "slither": tool_version("slither"),
            "solc": solc_version(),
            "evm": config["settings"]["evmVersion"],
            "sources": sources,
            "counts": counts,
            "dependency": dependency_count,
            "triaged": len(accepted),
            "triaged_by_detector": counts_by_detector(accepted),
            "suppressions": len(suppressions),
            "problems": len(problems),
            "stale": len(stale),
            "erc": erc_summary,
        }
    )

    print("audit: project findings " + ", ".join(f"{impact} {n}" for impact, n in counts.items()))
    print(
        f"audit: triaged {len(accepted)}, inline suppressions {len(suppressions)}, "
        f"left out {dependency_count} node_modules/ findings"
    )
    for contract, erc, verdict in erc_summary:
        print(f"audit: {erc} on {contract}: {verdict}")
    for entry in stale:
        print(f"audit: stale triage entry (matches nothing now; remove it): {entry}")
    sys.stdout.flush()
    for problem in problems:
        print(f"audit: FAIL {problem}", file=sys.stderr, flush=True)
    print(
        f"audit: {'PASS' if not problems else f'FAIL ({len(problems)} problem(s))'}; summary in "
        f"{REPORT.relative_to(ROOT)}, raw JSON in {WORK.relative_to(ROOT)}/"
    )
    return 1 if problems else 0


def solc_version() -> str:
    """The bridge's version line, e.g. 0.8.28+commit.7893614a.Emscripten.clang."""
    output = subprocess.run([str(BRIDGE_DIR / "solc"), "--version"], capture_output=True, text=True).stdout
    return next((line.split("Version:", 1)[1].strip() for line in output.splitlines() if "Version:" in line), "unknown")
