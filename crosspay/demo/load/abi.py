"""Calldata and revert reasons from brownie's build artifacts, without a contract object per call: the load mode
encodes tens of thousands of calls, so each function's selector and argument types are looked up once."""

from __future__ import annotations

from eth_abi import decode, encode
from eth_utils import function_abi_to_4byte_selector, keccak
from eth_utils.abi import get_abi_input_types

from crosspay.deploy.artifacts import artifact


class Abi:
    """The functions of one contract type: `abi.call("capture", payment_id, amount)` is the calldata."""

    def __init__(self, name: str):
        self.name = name
        self._functions = {}
        for entry in artifact(name)["abi"]:
            if entry.get("type") == "function":
                self._functions[entry["name"]] = (function_abi_to_4byte_selector(entry), get_abi_input_types(entry))

    def call(self, function: str, *args) -> bytes:
        selector, types = self._functions[function]
        return selector + encode(types, list(args))

    def selector(self, function: str) -> bytes:
        return self._functions[function][0]


class Errors:
    """Custom errors of the given contract types by selector: `explain(revert data)` says which error, with its
    arguments, as one line."""

    def __init__(self, *names: str):
        self._errors = {}
        for name in names:
            for entry in artifact(name)["abi"]:
                if entry.get("type") == "error":
                    types = get_abi_input_types(entry)
                    selector = keccak(text=f"{entry['name']}({','.join(types)})")[:4]
                    self._errors[selector] = (entry["name"], types, [i["name"] for i in entry["inputs"]])

    def explain(self, data: str) -> str:
        raw = bytes.fromhex(data[2:] if data.startswith("0x") else data)
        if raw[:4] == bytes.fromhex("08c379a0"):  # Error(string)
            return f"Error: {decode(['string'], raw[4:])[0]}"
        known = self._errors.get(raw[:4])
        if known is None:
            return f"reverted with unknown data 0x{raw.hex()[:74]}"
        name, types, names = known
        values = decode(types, raw[4:])
        shown = ", ".join(f"{n}={_short(v)}" for n, v in zip(names, values, strict=True))
        return f"{name}({shown})"


def _short(value) -> str:
    if isinstance(value, bytes):
        return "0x" + value.hex()[:12] + "…"
    return str(value)
