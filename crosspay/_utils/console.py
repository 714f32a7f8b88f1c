"""Console output: brownie's per-transaction printing silenced, and a failure told in one line."""

import contextlib
import io


def quiet():
    """A context in which brownie's "Transaction sent ... confirmed" lines are swallowed (the caller prints its own).

    brownie prints them with print() and offers no switch for contract calls, so stdout is redirected; a rich Console
    created beforehand keeps writing to the real terminal.
    """
    return contextlib.redirect_stdout(io.StringIO())


def one_line(exc: Exception) -> str:
    """An exception as one line; a node that stopped answering is said in words."""
    from requests.exceptions import ConnectionError as NodeUnreachable

    cause = getattr(exc, "cause", exc)
    if isinstance(cause, (NodeUnreachable, ConnectionRefusedError)) or "Connection refused" in str(cause):
        return f"the local chain stopped answering ({exc})"
    return str(exc).splitlines()[0]
