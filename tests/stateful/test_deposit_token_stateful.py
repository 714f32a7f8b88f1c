"""Random mints, transfers, redemptions, freezes and seizures, checked after every step against a ghost model.

Invariants: totalSupply == sum of balances == minted - redeemed <= attested reserves, and a frozen account's
balance changes only through a seizure.
"""

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from helpers import assert_call_reverts, bytes32, full_length_examples, run_state_machine

REF = bytes32("stateful")
CUSTOMERS = 4


index = st.integers(min_value=0, max_value=CUSTOMERS - 1)
amount = st.integers(min_value=0, max_value=2_000_00)


class DepositTokenStateMachine(RuleBasedStateMachine):
    def __init__(self, token, registry, customers, issuer, auditor, enforcer):
        super().__init__()
        self.token = token
        self.registry = registry
        self.customers = customers
        self.issuer = issuer
        self.auditor = auditor
        self.enforcer = enforcer
        self.balances = {c.address: self.token.balanceOf(c) for c in self.customers}
        self.initial_supply = self.token.totalSupply()
        self.other_supply = self.initial_supply - sum(self.balances.values())
        self.minted = 0
        self.redeemed = 0
        self.frozen = {c.address for c in self.customers if self.registry.isFrozen(c)}

    full_length = full_length_examples()

    # --- rules --------------------------------------------------------------------------------------------------

    @rule(st_index=index, st_amount=amount)
    def mint(self, st_index, st_amount):
        to = self.customers[st_index]
        supply = self.token.totalSupply()
        ok = (
            0 < st_amount <= self.token.issuerAllowance(self.issuer)
            and supply + st_amount <= self.token.reserves()
            and to.address not in self.frozen
        )
        if ok:
            self.token.mint(to, st_amount, REF, {"from": self.issuer})
            self.balances[to.address] += st_amount
            self.minted += st_amount
        else:
            assert_call_reverts(self.token.mint, to, st_amount, REF, {"from": self.issuer})

    @rule(st_index=index, st_amount=amount, st_to=index)
    def transfer(self, st_index, st_amount, st_to):
        sender, receiver = self.customers[st_index], self.customers[st_to]
        ok = (
            st_amount <= self.balances[sender.address]
            and sender.address not in self.frozen
            and receiver.address not in self.frozen
        )
        if ok:
            self.token.transfer(receiver, st_amount, {"from": sender})
            self.balances[sender.address] -= st_amount
            self.balances[receiver.address] += st_amount
        else:
            assert_call_reverts(self.token.transfer, receiver, st_amount, {"from": sender})

    @rule(st_index=index, st_amount=amount)
    def redeem(self, st_index, st_amount):
        holder = self.customers[st_index]
        ok = 0 < st_amount <= self.balances[holder.address] and holder.address not in self.frozen
        if ok:
            self.token.redeem(st_amount, REF, {"from": holder})
            self.balances[holder.address] -= st_amount
            self.redeemed += st_amount
        else:
            assert_call_reverts(self.token.redeem, st_amount, REF, {"from": holder})

    @rule(st_index=index)
    def freeze_or_unfreeze(self, st_index):
        account = self.customers[st_index]
        if account.address in self.frozen:
            self.registry.unfreeze(account, {"from": self.enforcer})
            self.frozen.discard(account.address)
        else:
            self.registry.freeze(account, REF, {"from": self.enforcer})
            self.frozen.add(account.address)

    @rule(st_index=index, st_amount=amount, st_to=index)
    def seize(self, st_index, st_amount, st_to):
        source, receiver = self.customers[st_index], self.customers[st_to]
        ok = (
            0 < st_amount <= self.balances[source.address]
            and source.address in self.frozen
            and receiver.address not in self.frozen
        )
        if ok:
            self.token.seize(source, receiver, st_amount, REF, {"from": self.enforcer})
            self.balances[source.address] -= st_amount
            self.balances[receiver.address] += st_amount
        else:
            assert_call_reverts(self.token.seize, source, receiver, st_amount, REF, {"from": self.enforcer})

    @rule(st_reserves_headroom=st.integers(min_value=0, max_value=5_000_00))
    def attest_reserves(self, st_reserves_headroom):
        self.token.attestReserves(self.token.totalSupply() + st_reserves_headroom, REF, {"from": self.auditor})

    # --- invariants ---------------------------------------------------------------------------------------------

    @invariant()
    def supply_and_balances_match_the_model(self):
        # Balances match the model: a frozen account's balance changes only through seize, since the model moves a
        # frozen balance only in the seize rule.
        balances = [self.token.balanceOf(c) for c in self.customers]
        assert balances == [self.balances[c.address] for c in self.customers]
        supply = self.token.totalSupply()
        assert supply == self.other_supply + sum(balances)  # the sum of all balances
        assert supply == self.initial_supply + self.minted - self.redeemed
        assert supply <= self.token.reserves()


def test_deposit_token_stateful(funded, registry, verify, issuer, auditor, enforcer, alice, bob, carol, rando):
    customers = [alice, bob, carol, rando]  # alice and bob hold dCNY already (funded)
    verify(carol, rando)
    run_state_machine(
        lambda: DepositTokenStateMachine(funded, registry, customers, issuer, auditor, enforcer),
        max_examples=10,
        stateful_step_count=20,
    )
