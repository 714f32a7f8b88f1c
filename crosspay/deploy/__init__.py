"""Deploying Crosspay: the one deployment plan, the record it keeps per chain, and the connection to a network."""
