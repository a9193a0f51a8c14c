"""The reader contract shared by every document family's table readers.

A family keeps its tables' kinds in a ``table_kinds.csv`` whose parser/reader column names a reader.
Each reader registers under that name in its family's ``Registry`` and has one signature::

    read(table, context: ReadContext) -> (rows, findings)

``table`` is what the family's structure step cut out (a text span, a Word table with its title);
``context`` carries the table kind, the document columns copied onto every row, and what the
headings above the table say (the entity, a performance heading). Findings are built with
``pipelines.parsing.findings.finding`` (or ``TableFindings``), one severity per code; whatever a
reader returns is passed through that table again, so no reader can report the same code otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pipelines.parsing.findings import Finding, at_one_severity, finding

# parser names of a table_kinds.csv that have no reader (yet): the table is listed, not read
NOT_READ = ("not_yet", "unknown")


@dataclass(frozen=True)
class ReadContext:
    kind: str  # the table kind (table_kinds.csv)
    doc: dict  # document_id, document_symbol, language, script: onto every row
    heading: Any = None  # the headings in force at the table (fascicle performance.Context), when needed
    entity: str | None = None  # entity code of the heading above the table (Word); None: Secretariat-wide


Reader = Callable[[Any, ReadContext], tuple[list[dict], list[Finding]]]


@dataclass(frozen=True)
class Registered:
    read: Reader
    frame: str  # the frame its rows go to: facts | post_changes | kpis


class Registry(dict):
    """parser name -> Registered, for the table kinds of one csv (named in errors)."""

    def __init__(self, csv: str):
        super().__init__()
        self.csv = csv

    def reader(self, parser: str, frame: str) -> Callable[[Reader], Reader]:
        """Register ``read`` as the reader of the tables whose kind names ``parser``."""

        def register(read: Reader) -> Reader:
            if parser in self:
                raise ValueError(f"two readers for parser {parser!r}")

            def read_at_one_severity(table: Any, context: ReadContext) -> tuple[list[dict], list[Finding]]:
                rows, found = read(table, context)
                return rows, at_one_severity(found)

            read_at_one_severity.__doc__ = read.__doc__
            self[parser] = Registered(read_at_one_severity, frame)
            return read

        return register

    def registered(self, parser: str) -> Registered | None:
        """The reader of ``parser``; None for a kind listed, not read; an error for a typo in the csv."""
        if parser in NOT_READ:
            return None
        if parser not in self:
            raise KeyError(f"{self.csv} names parser {parser!r}, which no reader registers (known: {sorted(self)})")
        return self[parser]


class TableFindings(list):
    """A table's findings, each code at its one severity; ``where`` prefixes line-level messages."""

    def __init__(self, table: str, where: str):
        super().__init__()
        self.table, self.where = table, where

    def add(self, code: str, message: str, line: int | None) -> None:
        self.append(finding(code, message, self.table, line))

    def at(self, code: str, ln: Any, detail: str) -> None:
        """A finding about one printed line (anything with a ``number``): ``table 3.24 line 812: <detail>``."""
        self.add(code, f"{self.where} line {ln.number}: {detail}", ln.number)

    def ambiguous(self, ln: Any, detail: str, resolved: bool) -> None:
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
