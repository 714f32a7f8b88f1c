"""The gas regression gate and the contract size rule (pure Python: no chain needed)."""

import pytest

from crosspay.tooling.gasgate import EIP170_LIMIT, SIZE_LIMIT, compare, over_target, oversized


def fig(name, gas, area="token"):
    return {"area": area, "name": name, "gas_used": gas}


def test_growth_within_tolerance_passes():
    regressions, missing = compare([fig("transfer", 10_000)], [fig("transfer", 10_100)], tolerance=0.01)
    assert regressions == [] and missing == []


def test_growth_beyond_tolerance_is_named():
    regressions, _ = compare(
        [fig("transfer", 10_000), fig("mint", 50_000)], [fig("transfer", 10_101), fig("mint", 50_000)], tolerance=0.01
    )
    assert [r.key for r in regressions] == ["token / transfer"]
    assert "10,000 -> 10,101" in str(regressions[0])


def test_shrinking_and_new_figures_pass():
    regressions, missing = compare([fig("transfer", 10_000)], [fig("transfer", 9_000), fig("new", 1)])
    assert regressions == [] and missing == []


def test_a_figure_missing_from_the_run_is_reported():
    _, missing = compare([fig("transfer", 10_000), fig("gone", 1)], [fig("transfer", 10_000)])
    assert missing == ["token / gone"]


def test_zero_tolerance_flags_any_growth():
    regressions, _ = compare([fig("transfer", 10_000)], [fig("transfer", 10_001)], tolerance=0)
    assert len(regressions) == 1


def test_negative_tolerance_is_refused():
    with pytest.raises(ValueError):
        compare([], [], tolerance=-0.1)


# --- the size rule: runtime code within 22,000 bytes (issue 9 §6) ----------------------------------------------------


def test_a_contract_over_the_size_limit_is_named():
    over = oversized({"MerchantSettlement": 23_736, "DepositToken": 16_056, "Small": 85})
    assert [o.contract for o in over] == ["MerchantSettlement"]
    assert "MerchantSettlement: runtime code 23,736 bytes" in str(over[0])


def test_a_contract_at_the_limit_passes():
    assert oversized({"AtTheLimit": SIZE_LIMIT, "Below": SIZE_LIMIT - 1}) == []


def test_the_limit_is_22000_bytes_of_runtime_code_under_eip170():
    assert SIZE_LIMIT == 22_000 and SIZE_LIMIT < EIP170_LIMIT == 24_576


def test_every_oversized_contract_is_named_largest_first():
    over = oversized({"B": 22_001, "A": 30_000}, limit=22_000)
    assert [o.contract for o in over] == ["A", "B"]


def gated(name, gas, target, area="cross-currency"):
    return {"area": area, "name": name, "gas_used": gas, "target": target, "gated": True}


def test_a_gated_figure_over_its_target_is_named():
    over = over_target([gated("cross-currency charge", 175_001, 175_000), gated("capture", 90_000, 90_000)])
    assert [o.key for o in over] == ["cross-currency / cross-currency charge"]
    assert "175,001 gas, over its target of 175,000" in str(over[0])


def test_a_target_that_is_only_reported_is_not_gated():
    reported = {**gated("charge", 128_000, 120_000, area="settlement"), "gated": False}
    assert over_target([reported, fig("transfer", 10_000)]) == []
