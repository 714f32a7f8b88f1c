"""Assertion helpers shared by the tests (tests/ is on sys.path, so `from helpers import ...`)."""

import brownie


def reverts_with(error: str):
    """brownie.reverts matching a custom error by name; brownie renders custom errors as 'Name: arg, arg'."""
    return brownie.reverts(revert_pattern=rf"{error}(:.*)?")


def bytes32(text: str) -> bytes:
    """A short ASCII reference as bytes32 (right-padded), e.g. deposit and legal references."""
    raw = text.encode()
    if len(raw) > 32:
        raise ValueError(f"{text!r} is longer than 32 bytes")
    return raw.ljust(32, b"\0")


def set_next_block_time(timestamp: int) -> None:
    """Makes the next transaction's block carry `timestamp` (within the second that follows).

    brownie's chain.mine(timestamp=T) mines a block at T and leaves the node's clock at T + 1; tests that care about
    an exact boundary also assert the timestamp the contract saw (it is in the revert arguments or the receipt).
    """
    from brownie import chain

    chain.mine(timestamp=timestamp - 1)


def run_state_machine(machine_factory, max_examples: int, stateful_step_count: int, **settings) -> None:
    """Runs a hypothesis RuleBasedStateMachine against the chain, from the same chain state for every example.

    brownie's own `state_machine` fixture cannot be used with eth-brownie 1.22.2: its mypyc-compiled base class
    rejects the subclasses it generates ("_BrownieStateMachine object expected"). This does the same job with plain
    hypothesis: snapshot once, revert before each example.

    STATEFUL_EXAMPLES and STATEFUL_STEPS in the environment override the test's own numbers (a longer nightly run).
    """
    import os

    import hypothesis
    from brownie import chain
    from hypothesis.stateful import run_state_machine_as_test

    chain.snapshot()

    def fresh_machine():
        chain.revert()
        return machine_factory()

    settings["max_examples"] = int(os.environ.get("STATEFUL_EXAMPLES", max_examples))
    settings["stateful_step_count"] = int(os.environ.get("STATEFUL_STEPS", stateful_step_count))
    # Each step is a chain transaction: long examples are the point, and slow by nature.
    settings.setdefault(
        "suppress_health_check", [hypothesis.HealthCheck.data_too_large, hypothesis.HealthCheck.too_slow]
    )
    settings.setdefault("deadline", None)
    print(f"\nstateful settings: max_examples={settings.get('max_examples')}, "
          f"stateful_step_count={settings.get('stateful_step_count')}")
    run_state_machine_as_test(fresh_machine, settings=hypothesis.settings(**settings))


def assert_refused(method, *args, error: str | None = None) -> None:
    """Asserts that a contract call would revert (optionally with the named custom error), without sending it.

    Stateful tests use this for callers and amounts the rules must refuse: an eth_call shows the refusal without a
    mined transaction, and the model's invariants then confirm that nothing changed.
    """
    import brownie

    try:
        method.call(*args)
    except brownie.exceptions.VirtualMachineError as exc:
        if error is not None:
            assert error in str(exc), f"expected {error}, got {exc}"
    else:
        raise AssertionError(f"{method._name} should have been refused")


def full_length_examples():
    """A hypothesis `@initialize` rule for a RuleBasedStateMachine that makes every example run its full length.

    For its first ten valid examples hypothesis 6.27 runs a short random prefix extended with zeros (for a state
    machine: about one step) and caps the next example at ten times that, so with max_examples <= 10 every example
    stopped after one to five steps. A zero-extended example ends this list with 0 and is refused; five refusals in a
    row switch that phase off (a random example is refused once in 256)."""
    from hypothesis import assume
    from hypothesis import strategies as st
    from hypothesis.stateful import initialize

    @initialize(padding=st.lists(st.integers(min_value=0, max_value=255), min_size=64, max_size=64))
    def refuse_zero_extended_examples(self, padding):
        assume(padding[-1] != 0)

    return refuse_zero_extended_examples
