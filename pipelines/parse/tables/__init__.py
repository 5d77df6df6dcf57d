"""Table readers: one module per table of the report formats (二, 三, 四, pre-2019 statistics)."""
