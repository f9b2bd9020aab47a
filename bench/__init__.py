"""Benchmarks and proofs that run outside the test suite (see docs/reliability.md)."""
