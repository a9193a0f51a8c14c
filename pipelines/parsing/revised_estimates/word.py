"""What a Word file is, read from its content: the symbol in its page headers, the kind from its
tables' titles (at least one known table kind), the title from its title paragraph."""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.parsing.revised_estimates import docx
from pipelines.parsing.revised_estimates.structure import table_specs


@dataclass(frozen=True)
class WordInfo:
    symbol: str | None
    title: str | None
    known_tables: int  # tables whose title names a known table kind
    blocks: list


def describe_word(raw: bytes) -> WordInfo:
    symbols = docx.header_symbols(raw)
    blocks = docx.read_blocks(raw)
    title = next(
        (b.text.text for b in blocks if isinstance(b, docx.Paragraph) and b.style.startswith("Title") and b.text.text),
        None,
    )
    known = sum(1 for s in table_specs(blocks) if s.kind.table_kind != "unknown")
    return WordInfo(symbols[0] if symbols else None, title, known, blocks)
