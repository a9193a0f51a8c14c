"""What a Word file is, read from its content: the symbol in its page headers, the kind from its
tables' titles (at least one known table kind), the title from its title paragraph."""

from __future__ import annotations

import time
from dataclasses import dataclass

from pipelines.parsing.revised_estimates import docx
from pipelines.parsing.revised_estimates.structure import table_specs


@dataclass(frozen=True)
class WordInfo:
    symbol: str | None
    title: str | None
    known_tables: int  # tables whose title names a known table kind
    blocks: list
    read_seconds: float = 0.0  # reading the file, when it was read (it may have been read earlier)


# The last Word file read, by content: a run identifies a file (registry) and then parses it, and
# reading document.xml is the cost of both (~2 s for A/80/400). The blocks are never modified once read.
_last: tuple[bytes, WordInfo] | None = None


def describe_word(raw: bytes) -> WordInfo:
    global _last
    last = _last
    if last is not None and last[0] == raw:
        return last[1]
    info = _describe(raw)
    _last = (raw, info)
    return info


def _describe(raw: bytes) -> WordInfo:
    t0 = time.perf_counter()
    symbols = docx.header_symbols(raw)
    blocks = docx.read_blocks(raw)
    title = next(
        (b.text.text for b in blocks if isinstance(b, docx.Paragraph) and b.style.startswith("Title") and b.text.text),
        None,
    )
    known = sum(1 for s in table_specs(blocks) if s.kind.table_kind != "unknown")
    return WordInfo(symbols[0] if symbols else None, title, known, blocks, time.perf_counter() - t0)
