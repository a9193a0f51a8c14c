"""Parsers: raw document text -> Polars frames with provenance."""
