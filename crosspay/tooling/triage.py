"""Judging static-analysis results against the committed triage (audit/triage.yml), for scripts/audit.py.

Pure functions over Slither's JSON output, so the rules can be read (and tested) apart from running the tools:
- a finding is the project's when any of its elements lies outside node_modules/ (OpenZeppelin's own findings drop
  out; a project function that shadows or overrides an OpenZeppelin one stays in);
- High and Medium always block; Low, Informational and Optimization block unless a triage entry matches;
- a triage entry matches a finding by detector plus `where`, a text that must occur in the finding's description with
  source locations removed (so moving lines does not break it) starting at a name boundary, and optionally `match`,
  a regular expression;
- a triage entry that matches nothing is stale: reported, never fatal.
"""

import re
from dataclasses import dataclass, field

BLOCKING_IMPACTS = ("High", "Medium")
IMPACT_ORDER = ("High", "Medium", "Low", "Informational", "Optimization")
DEPENDENCY_PREFIX = "node_modules/"
# slither-check-erc's result keys that are advice, not a conformance failure: they are triaged like a Low finding.
ERC_ADVISORY_KEYS = ("lack_of_erc20_race_condition_protection",)

_LOCATION = re.compile(r" \([^()\s]+#\d+(?:-\d+)?\)")


@dataclass
class Finding:
    detector: str
    impact: str
    description: str  # one line, source locations removed
    location: str  # file#lines of the first element in project code

    def line(self) -> str:
        return f"{self.impact} {self.detector} at {self.location}: {self.description}"


@dataclass
class TriageEntry:
    detector: str
    where: str
    reason: str
    match: str | None = None
    matched: list = field(default_factory=list)

    def matches(self, finding: Finding) -> bool:
        # `where` must start at a name boundary: "DepositToken.f" must not match "IDepositToken.f".
        return (
            finding.detector == self.detector
            and re.search(r"(?<!\w)" + re.escape(self.where), finding.description) is not None
            and (self.match is None or re.search(self.match, finding.description) is not None)
        )


def strip_locations(description: str) -> str:
    """The finding's text in one line without `(file#12-30)` locations."""
    return " ".join(_LOCATION.sub("", description).split())


def _files(result: dict) -> list[str]:
    return [e["source_mapping"]["filename_relative"] for e in result.get("elements", []) if e.get("source_mapping")]


def project_location(result: dict) -> str | None:
    """`file#first-last` of the result's first element in project code, or None when all of it is dependency code."""
    for element in result.get("elements", []):
        mapping = element.get("source_mapping") or {}
        name = mapping.get("filename_relative", "")
        if name and not name.startswith(DEPENDENCY_PREFIX):
            lines = mapping.get("lines") or [0]
            return f"{name}#{lines[0]}" + (f"-{lines[-1]}" if lines[-1] != lines[0] else "")
    return None


def project_findings(slither_output: dict) -> tuple[list[Finding], int]:
    """The findings in project code, and how many dependency-only findings were left out."""
    findings, dropped = [], 0
    for result in slither_output["results"].get("detectors", []):
        location = project_location(result)
        if location is None:
            dropped += 1
            continue
        findings.append(Finding(result["check"], result["impact"], strip_locations(result["description"]), location))
    return findings, dropped


def erc_problems(contract: str, erc: str, check_output: dict) -> tuple[list[str], list[Finding]]:
    """Conformance failures (fatal, one line each) and advisory results (triaged as Low findings)."""
    failures, advisories = [], []
    if not check_output.get("success", False):
        return [f"slither-check-erc {erc} on {contract} did not run: {check_output.get('error')}"], []
    for key, results in (check_output.get("results") or {}).get("erc-conformance", {}).items():
        for result in results:
            text = strip_locations(result.get("description", key))
            if key in ERC_ADVISORY_KEYS:
                location = project_location(result) or contract
                advisories.append(Finding(f"erc-{key}", "Low", f"{erc}: {text}", location))
            else:
                failures.append(f"{erc} conformance of {contract}: {key}: {text}")
    return failures, advisories


def load_triage(data: dict) -> tuple[list[TriageEntry], list[dict]]:
    """Finding entries and inline-suppression entries from the parsed triage file."""
    findings = [TriageEntry(e["detector"], e["where"], e["reason"], e.get("match")) for e in data.get("findings") or []]
    suppressions = list(data.get("suppressions") or [])
    for entry in findings:
        if not entry.reason.strip():
            raise ValueError(f"triage entry {entry.detector} / {entry.where} has no reason")
    return findings, suppressions


def judge(findings: list[Finding], triage: list[TriageEntry]) -> tuple[list[str], list[Finding]]:
    """Blocking problems (one line each) and the findings accepted by triage."""
    problems, accepted = [], []
    for finding in findings:
        if finding.impact in BLOCKING_IMPACTS:
            problems.append(f"{finding.line()}  [High/Medium findings must be fixed]")
            continue
        entry = next((e for e in triage if e.matches(finding)), None)
        if entry is None:
            problems.append(f"{finding.line()}  [not triaged: fix it or add it to audit/triage.yml]")
        else:
            entry.matched.append(finding)
            accepted.append(finding)
    return problems, accepted


_SUPPRESSION = re.compile(r"slither-disable-(?:next-line|line|start|end)\s+([\w,-]+)")


def inline_suppressions(sources: dict[str, str]) -> list[tuple[str, int, str]]:
    """Every `slither-disable-*` comment in project sources: (file, line, detector)."""
    found = []
    for path, text in sources.items():
        for number, line in enumerate(text.splitlines(), start=1):
            for match in _SUPPRESSION.finditer(line):
                found.extend((path, number, detector) for detector in match.group(1).split(","))
    return found


def judge_suppressions(found: list[tuple[str, int, str]], entries: list[dict]) -> tuple[list[str], list[str]]:
    """An inline suppression hides a finding from Slither, so each needs a triage entry (file + detector) with a
    reason, exactly like an accepted finding. Returns (problems, stale entries)."""
    problems = []
    used = set()
    for path, line, detector in found:
        index = next(
            (i for i, e in enumerate(entries) if e.get("file") == path and e.get("detector") == detector), None
        )
        if index is None or not str(entries[index].get("reason", "")).strip():
            problems.append(f"inline suppression of {detector} at {path}:{line} has no triage entry with a reason")
        else:
            used.add(index)
    stale = [f"{e.get('detector')} in {e.get('file')}" for i, e in enumerate(entries) if i not in used]
    return problems, stale


def counts_by_impact(findings: list[Finding]) -> dict[str, int]:
    return {impact: sum(1 for f in findings if f.impact == impact) for impact in IMPACT_ORDER}


def counts_by_detector(findings: list[Finding]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.detector] = counts.get(finding.detector, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
