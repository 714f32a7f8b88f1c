"""Small private helpers shared across the package: project paths, atomic file writes, quiet brownie output."""
