"""Gas report and regression gate, on the connected brownie network (crosspay/tooling/gasreport.py).

make gas            brownie run scripts/gas_report.py main       the report and the README's gas table
make gas-check      brownie run scripts/gas_report.py check      fails naming each figure grown > GAS_TOLERANCE
make gas-baseline   brownie run scripts/gas_report.py baseline   rewrites reports/gas-baseline.json on purpose
"""

import sys

from crosspay.tooling import gasreport


def main():
    gasreport.report()


def check():
    sys.exit(gasreport.check())


def baseline():
    gasreport.baseline()
