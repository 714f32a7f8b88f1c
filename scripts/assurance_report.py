"""make assurance: the README's assurance block, from the code and the last audit (crosspay/tooling/assurance.py).

python scripts/assurance_report.py [brownie network id, default ganache-cli]
"""

import sys

from crosspay.tooling.assurance import main

if __name__ == "__main__":
    main(*sys.argv[1:])
