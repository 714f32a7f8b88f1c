"""The static-analysis judge behind `make audit` (pure Python: no chain needed)."""

from crosspay.tooling.triage import (
    Finding,
    TriageEntry,
    erc_problems,
    inline_suppressions,
    judge,
    judge_suppressions,
    project_findings,
    strip_locations,
)


def element(path, lines=(10, 12)):
    return {"type": "function", "source_mapping": {"filename_relative": path, "lines": list(lines)}}


def result(check, impact, description, *paths):
    return {"check": check, "impact": impact, "description": description, "elements": [element(p) for p in paths]}


def test_locations_are_stripped_from_descriptions():
    text = "DepositToken.mint(address,uint256,bytes32) (contracts/DepositToken.sol#60-75) uses x\n\t- y (a/b.sol#3)\n"
    assert strip_locations(text) == "DepositToken.mint(address,uint256,bytes32) uses x - y"


def test_dependency_only_findings_are_left_out_and_mixed_ones_kept():
    output = {
        "results": {
            "detectors": [
                result(
                    "incorrect-exp", "High", "Math.mulDiv", "node_modules/@openzeppelin/contracts/utils/math/Math.sol"
                ),
                result(
                    "shadowing-local",
                    "Low",
                    "DepositToken.nonces(address).owner shadows",
                    "contracts/DepositToken.sol",
                    "node_modules/@openzeppelin/contracts/utils/Nonces.sol",
                ),
            ]
        }
    }
    findings, dropped = project_findings(output)
    assert dropped == 1
    assert [(f.detector, f.location) for f in findings] == [("shadowing-local", "contracts/DepositToken.sol#10-12")]


def test_medium_blocks_even_with_a_matching_triage_entry():
    finding = Finding("unused-return", "Medium", "ERC3009._check ignores return value", "contracts/ERC3009.sol#1")
    problems, accepted = judge([finding], [TriageEntry("unused-return", "ERC3009._check", "reason")])
    assert len(problems) == 1 and "must be fixed" in problems[0] and accepted == []


def test_untriaged_low_blocks_and_triaged_low_passes():
    low = Finding("timestamp", "Low", "ComplianceRegistry.isVerified(address) uses timestamp", "c.sol#1")
    info = Finding("pragma", "Informational", "3 different versions of Solidity are used", "c.sol#1")
    entry = TriageEntry("timestamp", "ComplianceRegistry.isVerified(address)", "KYC expiry is a date")
    problems, accepted = judge([low, info], [entry])
    assert accepted == [low] and entry.matched == [low]
    assert len(problems) == 1 and problems[0].startswith("Informational pragma") and "not triaged" in problems[0]


def test_where_matches_at_a_name_boundary_only():
    interface = Finding("shadowing-local", "Low", "IDepositToken.setIssuerAllowance(address,uint256).allowance", "i#1")
    entry = TriageEntry("shadowing-local", "DepositToken.setIssuerAllowance(address,uint256).allowance", "r")
    problems, _ = judge([interface], [entry])
    assert len(problems) == 1 and entry.matched == []


def test_match_narrows_an_entry():
    role = Finding(
        "naming-convention", "Informational", "Function IDepositToken.ISSUER_ROLE() is not in mixedCase", "i#1"
    )
    other = Finding(
        "naming-convention", "Informational", "Function IDepositToken.Bad_name() is not in mixedCase", "i#2"
    )
    entry = TriageEntry("naming-convention", "IDepositToken.", "roles", match=r"_ROLE\(\) is not in mixedCase")
    problems, accepted = judge([role, other], [entry])
    assert accepted == [role] and len(problems) == 1 and "Bad_name" in problems[0]


def test_erc_failures_are_fatal_and_race_advice_is_a_low_finding():
    output = {
        "success": True,
        "results": {
            "erc-conformance": {
                "missing_function": [{"description": "[ ] approve(address,uint256) is missing"}],
                "lack_of_erc20_race_condition_protection": [{"description": "[ ] Token is not protected"}],
            }
        },
    }
    failures, advisories = erc_problems("Token", "ERC20", output)
    assert failures == ["ERC20 conformance of Token: missing_function: [ ] approve(address,uint256) is missing"]
    assert [(a.detector, a.impact) for a in advisories] == [("erc-lack_of_erc20_race_condition_protection", "Low")]


def test_an_erc_check_that_did_not_run_is_a_failure():
    failures, _ = erc_problems("Token", "ERC2612", {"success": False, "error": "Contract not found", "results": {}})
    assert failures and "did not run" in failures[0]


def test_inline_suppressions_need_a_triage_entry_and_unused_entries_are_stale():
    found = inline_suppressions({"contracts/A.sol": "x;\n// slither-disable-next-line unused-return,timestamp\ny;\n"})
    assert found == [("contracts/A.sol", 2, "unused-return"), ("contracts/A.sol", 2, "timestamp")]
    entries = [
        {"file": "contracts/A.sol", "detector": "unused-return", "reason": "false positive"},
        {"file": "contracts/B.sol", "detector": "timestamp", "reason": "gone"},
    ]
    problems, stale = judge_suppressions(found, entries)
    assert problems == ["inline suppression of timestamp at contracts/A.sol:2 has no triage entry with a reason"]
    assert stale == ["timestamp in contracts/B.sol"]
