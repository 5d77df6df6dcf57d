"""Parse: one raw document in, the rows of every warehouse table out (pipelines.parse.report)."""
