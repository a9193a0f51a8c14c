"""The Word tables' readers, registered under the reader column of table_kinds.csv.

The contract (one registry mechanism, one signature ``read(spec, context) -> (rows, findings)``,
one severity per finding code) is the fascicle's: pipelines/parsing/readers.py. A Word reader gets the
table as ``TableSpec`` (the Word rows, its title and kind) and the entity of the heading above it in
``context.entity``; its rows go to the frame the csv's family column names (resources, posts,
post_changes). A new table kind is a row in table_kinds.csv and, when no reader fits, a small reader.
"""

from __future__ import annotations

from pipelines.parsing.readers import ReadContext, Registry, TableFindings

__all__ = ["READERS", "ReadContext", "TableFindings", "reader", "registered"]

READERS = Registry("pipelines/parsing/revised_estimates/table_kinds.csv")
reader = READERS.reader
registered = READERS.registered
