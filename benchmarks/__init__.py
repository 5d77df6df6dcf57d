"""Benchmark of the whole pipeline on a generated corpus (issue 6)."""
