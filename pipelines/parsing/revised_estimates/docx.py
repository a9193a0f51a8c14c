"""A Word file (.docx) read from its bytes: paragraphs and tables in document order.

A .docx is a zip holding ``word/document.xml``; it is recognised by that content, never by its name.
Runs printed as superscript are footnote markers ("expenditure" + superscript "a"): they are kept
apart from the text so that labels and values come out as printed without them. Every paragraph and
every table row gets an ordinal in document order (``source_line`` of the facts read from it).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SYMBOL = re.compile(r"\b[A-Z]/\d+/[\w.]+(?:/[\w.]+)*")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Text:
    text: str  # the runs as printed, superscript markers left out, whitespace collapsed
    footnote: str  # superscript markers, in order ("" when none)


@dataclass(frozen=True)
class Cell:
    text: Text
    grid_start: int  # first grid column the cell covers
    grid_span: int
    merged_from_above: bool  # a vertical-merge continuation: prints nothing of its own


@dataclass(frozen=True)
class Row:
    ordinal: int
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Paragraph:
    ordinal: int
    style: str
    text: Text


@dataclass
class Table:
    index: int  # 0-based, document order
    rows: list[Row] = field(default_factory=list)


def is_docx(raw: bytes) -> bool:
    """A zip archive that holds word/document.xml."""
    if not raw.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            return "word/document.xml" in zf.namelist()
    except zipfile.BadZipFile:
        return False


def header_symbols(raw: bytes) -> list[str]:
    """Document symbols printed in the page headers (word/header*.xml), most frequent first."""
    counts: dict[str, int] = {}
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        for name in sorted(n for n in zf.namelist() if re.fullmatch(r"word/header\d*\.xml", n)):
            root = etree.fromstring(zf.read(name))
            text = "".join(t.text or "" for t in root.iter(f"{W}t"))
            for symbol in _SYMBOL.findall(text):
                counts[symbol] = counts.get(symbol, 0) + 1
    return sorted(counts, key=lambda s: -counts[s])


def _text(element) -> Text:
    printed, marks = [], []
    for run in element.iter(f"{W}r"):
        superscript = run.find(f"{W}rPr/{W}vertAlign")
        is_mark = superscript is not None and superscript.get(f"{W}val") == "superscript"
        for child in run:
            if child.tag == f"{W}t":
                (marks if is_mark else printed).append(child.text or "")
            elif child.tag in (f"{W}tab", f"{W}br", f"{W}cr"):
                printed.append(" ")
            elif child.tag == f"{W}noBreakHyphen":
                printed.append("-")
    return Text(_SPACES.sub(" ", "".join(printed)).strip(), "".join(marks).strip())


def _cell(tc, grid_start: int) -> Cell:
    props = tc.find(f"{W}tcPr")
    span = props.find(f"{W}gridSpan") if props is not None else None
    vmerge = props.find(f"{W}vMerge") if props is not None else None
    continued = vmerge is not None and vmerge.get(f"{W}val") in (None, "continue")
    paragraphs = [_text(p) for p in tc.findall(f"{W}p")]
    text = Text(" ".join(p.text for p in paragraphs if p.text).strip(), "".join(p.footnote for p in paragraphs))
    return Cell(text, grid_start, int(span.get(f"{W}val")) if span is not None else 1, continued)


def _row(tr, ordinal: int) -> Row:
    skipped = tr.find(f"{W}trPr/{W}gridBefore")
    col = int(skipped.get(f"{W}val")) if skipped is not None else 0
    cells = []
    for tc in tr.iter(f"{W}tc"):
        if tc.getparent() is not tr and tc.getparent().tag != f"{W}sdtContent":
            continue  # a table nested in a cell is read as that cell's text
        cell = _cell(tc, col)
        cells.append(cell)
        col += cell.grid_span
    return Row(ordinal, tuple(cells))


def read_blocks(raw: bytes) -> list[Paragraph | Table]:
    """Body paragraphs and tables in document order (content controls unwrapped)."""
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        root = etree.fromstring(zf.read("word/document.xml"), etree.XMLParser(huge_tree=True))
    blocks: list[Paragraph | Table] = []
    ordinal = 0
    tables = 0

    def walk(container) -> None:
        nonlocal ordinal, tables
        for el in container:
            if el.tag == f"{W}p":
                ordinal += 1
                style = el.find(f"{W}pPr/{W}pStyle")
                blocks.append(Paragraph(ordinal, style.get(f"{W}val") if style is not None else "", _text(el)))
            elif el.tag == f"{W}tbl":
                table = Table(tables)
                tables += 1
                for tr in el.iter(f"{W}tr"):
                    if next(tr.iterancestors(f"{W}tbl")) is el:  # not a row of a nested table
                        ordinal += 1
                        table.rows.append(_row(tr, ordinal))
                blocks.append(table)
            elif el.tag == f"{W}sdt":
                content = el.find(f"{W}sdtContent")
                if content is not None:
                    walk(content)

    walk(root.find(f"{W}body"))
    return blocks
