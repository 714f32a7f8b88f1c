def test_smoke(funded, alice, bob):
    tx = funded.transfer(bob, 100, {"from": alice})
    print(tx.gas_used)
    assert funded.balanceOf(bob) == 500_00 + 100
