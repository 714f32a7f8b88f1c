"""make audit: Slither and slither-check-erc over Crosspay's own contracts, judged against audit/triage.yml
(crosspay/tooling/audit.py)."""

import sys

from crosspay.tooling.audit import main

if __name__ == "__main__":
    sys.exit(main())
