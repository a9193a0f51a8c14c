"""Line-level handling of PDF-extracted text: numbering, page noise, footnote letters."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Page headers and footers that land inside paragraphs and tables.
_NOISE = [
    re.compile(r"^https?://\S+$"),                       # interleaved undocs links
    re.compile(r"^第\s*\d+\s*款\s+\S+$"),                  # running header "第 3 款 政治事务"
    re.compile(r"^第[一二三四五六七八九十]+编\s+\S+$"),       # running header "第二编 政治事务"
    re.compile(r"^\d+/\d+\s+\d{2}-\d{5}$"),                # footer "17/136 23-08138"
    re.compile(r"^\d{2}-\d{5}\s+\d+/\d+$"),                # footer "23-08138 26/136"
]
_FOOTNOTE_LINE = re.compile(r"^[a-z]\s+\S")              # " a 包括 1 484 400 美元支出…"
_GLUED_FOOTNOTE = re.compile(r"(?<=[\u4e00-\u9fff\)）])\s?[a-h]$")


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # bundled dictionaries; imported lazily (reports and script detection only)

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional -> Simplified Chinese (OpenCC t2s), for matching; character positions are kept."""
    return _t2s().convert(text)


@dataclass(frozen=True)
class Line:
    number: int        # 1-based line number in the file
    raw: str           # as in the file, without the newline
    text: str          # stripped

    @property
    def continues(self) -> bool:
        """A wrapped line: the PDF text leaves no trailing space on a line whose item goes on."""
        return bool(self.raw) and not self.raw[-1].isspace()


def numbered_lines(text: str) -> list[Line]:
    """Non-blank lines with their 1-based numbers."""
    out = []
    for i, raw in enumerate(text.split("\n"), start=1):
        raw = raw.rstrip("\r")
        stripped = raw.strip()
        if stripped:
            out.append(Line(i, raw, stripped))
    return out


def is_page_noise(text: str) -> bool:
    return any(p.match(text) for p in _NOISE)


def is_footnote(text: str) -> bool:
    return bool(_FOOTNOTE_LINE.match(text))


def strip_footnote_letter(label: str) -> tuple[str, str | None]:
    """``建设和平支助办公室b`` -> (``建设和平支助办公室``, ``b``)."""
    m = _GLUED_FOOTNOTE.search(label)
    if not m:
        return label, None
    return label[: m.start()].rstrip(), m.group(0).strip()
