"""The team's tools: gas figures and their gate, the benchmarks, and the static-analysis triage."""
