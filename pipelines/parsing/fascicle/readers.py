"""The reader contract for a fascicle's tables: one registry, one signature, one row loop.

``table_kinds.csv`` names each table kind's reader in its ``parser`` column. A reader is registered
here under that name with the frame its rows go to, and has one signature::

    read(span: TableSpan, context: ReadContext) -> (rows, findings)

Tables whose figures sit in rows (numeric tables, compliance rates, deliverables, annex IV, post
changes) subclass ``RowReader`` and are driven by ``read_rows``: page noise (and footnotes, unless the
reader keeps them) skipped, each line split into a label and its trailing figures, a figure repaired
by the splitter reported the same way for every reader. A new table kind is a small RowReader and a
row in table_kinds.csv. Findings go through ``TableFindings``, which takes each code's severity from
``SEVERITY``, so the same repair is ``warn`` and the same skip ``info`` in every reader.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pipelines.parsing.fascicle.structure import TableSpan
from pipelines.parsing.findings import Finding
from pipelines.parsing.numbers import split_trailing_cells
from pipelines.parsing.text import Line

# error: a value was not loaded; warn: loaded with a repair or a guess; info: noise skipped
SEVERITY = {
    "unknown_layout": "error",
    "cells_do_not_fit": "error",
    "unknown_label": "error",
    "unknown_unit": "error",
    "no_rows": "error",
    "post_change_row_unreadable": "error",
    "truncated": "error",
    "number_typo_repaired": "warn",
    "unknown_table_kind": "warn",
    "unknown_entity": "warn",
    "annex_iv_missing": "warn",
    "leaked_chart_data": "info",
    "blank_cells_inferred": "info",
    "uncertain_year": "info",
}
# parser names of table_kinds.csv that have no reader (yet): the table is listed, not read
NOT_READ = ("not_yet", "unknown")


def finding(code: str, message: str, table: str | None = None, line: int | None = None) -> Finding:
    """A finding at its code's one severity."""
    return Finding(SEVERITY[code], code, message, table, line)


class TableFindings(list):
    """A table's findings, each code at its one severity; ``where`` prefixes line-level messages."""

    def __init__(self, table: str, where: str):
        super().__init__()
        self.table, self.where = table, where

    def add(self, code: str, message: str, line: int | None) -> None:
        self.append(finding(code, message, self.table, line))

    def at(self, code: str, ln: Line, detail: str) -> None:
        """A finding about one line: ``table 3.24 line 812: <detail>``."""
        self.add(code, f"{self.where} line {ln.number}: {detail}", ln.number)

    def ambiguous(self, ln: Line, detail: str, resolved: bool) -> None:
        """Figures that split several ways: info when the row's arithmetic picked one, else warn."""
        self.append(
            Finding(
                "info" if resolved else "warn",
                "ambiguous_split",
                f"{self.where} line {ln.number}: {detail}",
                self.table,
                ln.number,
            )
        )


@dataclass(frozen=True)
class ReadContext:
    kind: str  # the table kind (table_kinds.csv)
    doc: dict  # document_id, document_symbol, language, script: onto every row
    heading: Any = None  # the headings in force at the table (performance.Context), when a reader needs it


Reader = Callable[[TableSpan, ReadContext], tuple[list[dict], list[Finding]]]


@dataclass(frozen=True)
class Registered:
    read: Reader
    frame: str  # facts | post_changes | kpis


READERS: dict[str, Registered] = {}


def reader(parser: str, frame: str) -> Callable[[Reader], Reader]:
    """Register ``read`` as the reader of the tables whose kind names ``parser``."""

    def register(read: Reader) -> Reader:
        if parser in READERS:
            raise ValueError(f"two readers for parser {parser!r}")
        READERS[parser] = Registered(read, frame)
        return read

    return register


def registered(parser: str) -> Registered | None:
    """The reader of ``parser``; None for a kind that is listed, not read; an error for a typo in the csv."""
    if parser in NOT_READ:
        return None
    if parser not in READERS:
        raise KeyError(
            f"pipelines/parsing/fascicle/table_kinds.csv names parser {parser!r}, which no reader "
            f"registers (known: {sorted(READERS)})"
        )
    return READERS[parser]


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
    for ln in reader.span.lines:
        if ln.noise or (ln.footnote and reader.skip_footnotes):
            continue
        claimed = reader.claim(ln)
        if claimed is STOP:
            break
        if claimed:
            continue
        label, tokens, repairs = split_trailing_cells(ln.text)
        if not tokens:
            reader.text(ln)
            continue
        loaded = reader.row(ln, label, tokens)
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
