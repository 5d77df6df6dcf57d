"""Benchmarks: the whole pipeline on a generated corpus (bench), and the document readers (formats)."""
