"""Bytes to text: UTF-8 (with or without BOM), UTF-16, and the legacy Chinese encodings real documents
are saved in (GB18030, Big5), told apart by what the decoded text looks like."""

from __future__ import annotations

import re


def _cjk_share(text: str) -> float:
    sample = text[:20000]
    return sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff") / max(1, len(sample.strip()))


# Very frequent characters of Chinese prose, in both scripts: text decoded with the wrong legacy
# codec is still "Chinese" character by character, but rarely hits these.
_COMMON = set("的是在和了有人年国國会會为為发發这這中大上不一合联聯计計作们們工报報。，")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # below 32, except \t \n \f \r


def _control_share(text: str) -> float:
    sample = text[:20000]
    return len(_CONTROL.findall(sample)) / max(1, len(sample))


def _common_share(text: str) -> float:
    sample = text[:20000]
    return sum(1 for ch in sample if ch in _COMMON) / max(1, len(sample.strip()))


def decode(raw: bytes) -> tuple[str, str]:
    """(text, encoding). UTF-8 (with or without BOM), UTF-16 (BOM, or NUL-interleaved), GB18030 and
    Big5 for real documents saved in a legacy Chinese encoding; anything else raises UnicodeDecodeError."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    head = raw[:4096]
    if b"\x00" in head:  # UTF-16 without a BOM (NUL halves of ASCII characters), or a binary file
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = raw.decode(enc)
            except UnicodeDecodeError:
                continue
            if _cjk_share(text) > 0.2 and _control_share(text) < 0.01:
                return text, enc
        raise UnicodeDecodeError("utf-8", raw, head.index(b"\x00"), 1, "NUL bytes: a binary file, not text")
    try:
        text = raw.decode("utf-8")
        if _control_share(text) > 0.01:
            raise UnicodeDecodeError("utf-8", raw, 0, 1, "control characters: a binary file, not text")
        return text, "utf-8"
    except UnicodeDecodeError as exc:
        first_error = exc
    candidates = []
    for enc in ("gb18030", "big5"):
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        candidates.append((_common_share(text), _cjk_share(text), enc, text))
    if candidates:
        common, share, enc, text = max(candidates)
        if share > 0.2 and common > 0.02:
            return text, enc
    raise first_error
