"""Line-level handling of PDF-extracted text: numbering, page noise, footnote letters."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import compress
from typing import NamedTuple

# Page headers and footers that land inside paragraphs and tables.
_NOISE = [
    r"https?://\S+",  # interleaved undocs links
    r"第\s*\d+\s*款\s+\S+",  # running header "第 3 款 政治事务"
    r"第[一二三四五六七八九十]+编\s+\S+",  # running header "第二编 政治事务"
    r"\d+/\d+\s+\d{2}-\d{5}",  # footer "17/136 23-08138"
    r"\d{2}-\d{5}\s+\d+/\d+",  # footer "23-08138 26/136"
]
_FOOTNOTE = r"[a-z]\s+\S"  # " a 包括 1 484 400 美元支出…"
_NOISE_LINE = re.compile("^(?:" + "|".join(_NOISE) + ")$")
_FOOTNOTE_LINE = re.compile("^" + _FOOTNOTE)
# What those lines can start with (a digit is any Unicode decimal digit, as \d): most lines are
# ruled out without a regex call. Noise that starts with a digit is a page footer, which prints a
# "/" ("17/136 23-08138"): table rows, which start with digits too, are ruled out by its absence.
_NOISE_FIRST = frozenset("h第")
_FOOTER_MARK = "/"
_GLUED_FOOTNOTE = re.compile(r"(?<=[\u4e00-\u9fff\)）])\s?[a-h]$")


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # bundled dictionaries; imported lazily (reports and script detection only)

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional -> Simplified Chinese (OpenCC t2s), for matching; character positions are kept."""
    return _t2s().convert(text)


class Line(NamedTuple):
    number: int  # 1-based line number in the file
    raw: str  # as in the file, without the newline
    text: str  # stripped
    noise: bool = False  # a page header or footer (is_page_noise), classified once by numbered_lines
    footnote: bool = False  # a footnote line (is_footnote), likewise

    @property
    def continues(self) -> bool:
        """A wrapped line: the PDF text leaves no trailing space on a line whose item goes on."""
        return bool(self.raw) and not self.raw[-1].isspace()


def numbered_lines(text: str) -> list[Line]:
    """Non-blank lines with their 1-based numbers, page noise and footnote lines marked."""
    noise_line, footnote_line = _NOISE_LINE.match, _FOOTNOTE_LINE.match
    new = tuple.__new__  # Line(...) without the generated __new__'s extra call: ~6,000 lines a fascicle
    raws = text.split("\n")
    if "\r" in text:  # CRLF line ends: trimmed before the loop, not tested for on every line
        raws = [raw.rstrip("\r") for raw in raws]
    return [
        new(
            Line,
            (
                i,
                raw,
                stripped,
                ((c := stripped[0]) in _NOISE_FIRST or (c.isdecimal() and _FOOTER_MARK in stripped))
                and noise_line(stripped) is not None,
                # _FOOTNOTE's second character is a space (str.isspace is re's \s): most lines
                # starting with a-z (links) are ruled out without a regex call
                "a" <= c <= "z" and stripped[1:2].isspace() and footnote_line(stripped) is not None,
            ),
        )
        # empty lines (about half of a fascicle's) passed over in C, before any is stripped
        for i, raw in compress(enumerate(raws, start=1), raws)
        if (stripped := raw.strip())
    ]


def is_page_noise(text: str) -> bool:
    return bool(_NOISE_LINE.match(text))


def is_footnote(text: str) -> bool:
    return bool(_FOOTNOTE_LINE.match(text))


@lru_cache(maxsize=8192)  # row labels recur table after table
def strip_footnote_letter(label: str) -> tuple[str, str | None]:
    """``建设和平支助办公室b`` -> (``建设和平支助办公室``, ``b``)."""
    m = _GLUED_FOOTNOTE.search(label)
    if not m:
        return label, None
    return label[: m.start()].rstrip(), m.group(0).strip()
