"""The reader contract for a fascicle's tables: one registry, one signature, one row loop.

``table_kinds.csv`` names each table kind's reader in its ``parser`` column. A reader is registered
here under that name with the frame its rows go to, and has one signature::

    read(span: TableSpan, context: ReadContext) -> (rows, findings)

Tables whose figures sit in rows (numeric tables, compliance rates, deliverables, annex IV, post
changes) subclass ``RowReader`` and are driven by ``read_rows``: page noise (and footnotes, unless the
reader keeps them) skipped, each line split into a label and its trailing figures, a figure repaired
by the splitter reported the same way for every reader. A new table kind is a small RowReader and a
row in table_kinds.csv. The registry, ``ReadContext`` and ``TableFindings`` are the contract shared with
the Word readers (pipelines/parsing/readers.py); each code's severity is in pipelines/parsing/findings.py.
"""

from __future__ import annotations

from collections.abc import Callable

from pipelines.parsing.fascicle.structure import TableSpan
from pipelines.parsing.findings import SEVERITY, Finding, finding
from pipelines.parsing.numbers import CELL_ENDS, split_trailing_cells
from pipelines.parsing.readers import NOT_READ, ReadContext, Registry, TableFindings
from pipelines.parsing.text import Line

__all__ = ["NOT_READ", "READERS", "SEVERITY", "ReadContext", "TableFindings", "finding", "reader", "registered"]

READERS = Registry("pipelines/parsing/fascicle/table_kinds.csv")
reader = READERS.reader
registered = READERS.registered


STOP = "stop"  # what a RowReader hook returns to end the table


class RowReader:
    """A table read row by row. ``claim`` sees each line first (headings, blocks, narrative items);
    ``text`` gets the lines that print no figures, ``row`` the others; ``rows`` is the result."""

    skip_footnotes = True
    where: str | None = None  # how messages name the table; default ``table <number>``

    def __init__(self, span: TableSpan, context: ReadContext, found: TableFindings):
        self.span, self.context, self.found = span, context, found
        self.rows: list[dict] = []

    def claim(self, ln: Line) -> bool | str:
        """True: the line is read here; STOP: the table has ended; False: split it into figures."""
        return False

    def text(self, ln: Line) -> None:
        """A line printing no figures: a header, a group heading, a wrapped label."""

    def row(self, ln: Line, label: str, tokens: list[str]) -> bool | str:
        """A line with figures; True when the row was loaded (its repairs are then reported)."""
        raise NotImplementedError

    def finish(self) -> None:
        """After the last line."""


def read_rows(reader: RowReader) -> tuple[list[dict], list[Finding]]:
    """The one row loop: noise skipped, figures split off, repairs reported as warnings."""
    claim, text_line, row = reader.claim, reader.text, reader.row  # looked up once, not per line
    skip_footnotes = reader.skip_footnotes
    for ln in reader.span.lines:
        if ln.noise or (ln.footnote and skip_footnotes):
            continue
        claimed = claim(ln)
        if claimed is STOP:
            break
        if claimed:
            continue
        # a line that cannot end in a figure is text without splitting it (the same as no tokens);
        # may_end_in_cell, inlined: it runs on every line of every table
        text = ln.text
        last = text[-1:]
        ends_in_cell = last in CELL_ENDS or last.isdecimal()
        label, tokens, repairs = split_trailing_cells(text) if ends_in_cell else ("", [], [])
        if not tokens:
            text_line(ln)
            continue
        loaded = row(ln, label, tokens)
        if loaded is STOP:
            break
        if loaded:
            for r in repairs:
                reader.found.at("number_typo_repaired", ln, r)
    reader.finish()
    return reader.rows, list(reader.found)


def row_reader(parser: str, frame: str) -> Callable[[type[RowReader]], type[RowReader]]:
    """Register a RowReader subclass: its reader builds it for the table and runs the row loop."""

    def register(cls: type[RowReader]) -> type[RowReader]:
        def read(span: TableSpan, context: ReadContext) -> tuple[list[dict], list[Finding]]:
            found = TableFindings(span.number, cls.where or f"table {span.number}")
            return read_rows(cls(span, context, found))

        read.__doc__ = cls.__doc__
        reader(parser, frame)(read)
        return cls

    return register
