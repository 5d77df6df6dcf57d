"""Warehouse: the DuckDB schema, parsed batches, the single-writer load, integrity checks and publishing."""
