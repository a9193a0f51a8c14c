"""The corpus of bad inputs: each gets a clear, specific status naming the file (and line), and the
good documents beside it are unaffected. End-to-end behaviour is in test_operations.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipelines import document
from pipelines.document import QUARANTINED
from pipelines.operations import registry
from pipelines.parsing.dispatch import parse_file
from tests.conftest import FASCICLE, HIGHLIGHTS_2023, REPORT_2022

FASCICLE_TEXT = FASCICLE.read_text(encoding="utf-8")


def make_corpus(root: Path, huge: bool = True) -> dict[str, Path]:
    """Bad (and oddly named or encoded, but good) inputs, by case name; ``huge``: with a 200 MB file."""
    raw = root / "raw"
    raw.mkdir()
    outside = root / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(FASCICLE_TEXT, encoding="utf-8")
    lines = FASCICLE_TEXT.split("\n")
    cases = {
        "empty": ("empty.txt", b""),
        "binary": ("scan.pdf", b"%PDF-1.7\n\x00\x01\x02\x03" * 100),
        "gbk": ("2023 年 报告 亮点 (GBK).txt", HIGHLIGHTS_2023.read_text(encoding="utf-8").encode("gb18030")),
        "utf16": ("fascicle-utf16.txt", FASCICLE_TEXT.encode("utf-16")),
        "utf16_no_bom": ("fascicle-utf16le.txt", FASCICLE_TEXT.encode("utf-16-le")),
        "truncated": ("truncated.txt", "\n".join(lines[:4100]).encode("utf-8")),
        "unknown": ("minutes.txt", "会议记录\n今天讨论了预算。\n".encode()),
        "duplicate": ("copy of fascicle.txt", FASCICLE.read_bytes()),
        "original": ("fascicle.txt", FASCICLE.read_bytes()),
        "missing_column": (
            "missing-column.txt",
            "\n".join(lines[:3899] + ["员额 43 526.4 47 278.1 — — (7.2) (7.2) 47 270.9 "] + lines[3900:]).encode(),
        ),
        "extra_column": (
            "extra-column.txt",
            "\n".join(
                lines[:3899] + ["员额 43 526.4 47 278.1 — — (7.2) (7.2) (0.0) 47 270.9 1.0 "] + lines[3900:]
            ).encode(),
        ),
    }
    paths = {}
    for case, (name, data) in cases.items():
        (raw / name).write_bytes(data)
        paths[case] = raw / name
    import opencc  # the Big5 case: the Traditional report, its Simplified sidebars converted too

    traditional = opencc.OpenCC("s2t").convert(REPORT_2022.read_text(encoding="utf-8"))
    (raw / "report-big5.txt").write_bytes(traditional.encode("big5", errors="replace"))
    paths["big5"] = raw / "report-big5.txt"
    os.symlink(outside / "secret.txt", raw / "link.txt")
    paths["symlink"] = raw / "link.txt"
    if huge:
        paths["huge"] = raw / "huge.txt"
        with open(paths["huge"], "wb") as fh:
            chunk = ("这是一个很大的文件。" * 1000 + "\n").encode()
            for _ in range(200 * 1024 * 1024 // len(chunk) + 1):
                fh.write(chunk)
    return paths


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, dict[str, Path]]:
    root = tmp_path_factory.mktemp("corpus")
    return root / "raw", make_corpus(root)


@pytest.mark.parametrize(
    "case,status,reason,words",
    [
        ("empty", QUARANTINED, document.EMPTY, "empty file"),
        ("binary", QUARANTINED, document.BINARY, "binary"),
        ("unknown", QUARANTINED, document.UNKNOWN_KIND, "not a recognised document"),
        ("truncated", QUARANTINED, document.TRUNCATED, "ends inside table 3.27"),
        ("missing_column", QUARANTINED, document.PARSE_ERRORS, "line 3900"),
        ("extra_column", QUARANTINED, document.PARSE_ERRORS, "line 3900"),
        ("symlink", QUARANTINED, document.OUTSIDE, "outside RAW_DIR"),
        ("huge", QUARANTINED, document.TOO_LARGE, "MB limit"),
    ],
)
def test_bad_input_is_quarantined_with_a_clear_message(corpus, case, status, reason, words):
    raw_dir, paths = corpus
    doc = parse_file(paths[case], raw_dir)
    assert (doc.status, doc.reason) == (status, reason), doc.message
    assert str(paths[case]) in doc.message and words in doc.message


@pytest.mark.parametrize(
    "case,encoding,kind",
    [
        ("gbk", "gb18030", "work_report_highlights"),
        ("big5", "big5", "work_report"),
        ("utf16", "utf-16", "budget_fascicle"),
        ("utf16_no_bom", "utf-16-le", "budget_fascicle"),
    ],
)
def test_a_real_document_in_another_encoding_is_decoded_and_says_so(corpus, case, encoding, kind):
    raw_dir, paths = corpus
    doc = parse_file(paths[case], raw_dir)
    assert (doc.status, doc.encoding, doc.kind) == (document.PARSED, encoding, kind), doc.message
    assert f"decoded from {encoding.upper()}" in doc.message


def test_the_decoded_fascicle_gives_the_same_facts(corpus):
    raw_dir, paths = corpus
    utf8 = parse_file(FASCICLE)
    utf16 = parse_file(paths["utf16"], raw_dir)
    assert utf16.frames["resources"].drop("document_id").equals(utf8.frames["resources"].drop("document_id"))


def test_number_typo_is_repaired_and_reported(corpus):
    raw_dir, paths = corpus
    doc = parse_file(paths["original"], raw_dir)
    assert doc.status == document.PARSED
    typo = doc.frames["parse_findings"].filter(doc.frames["parse_findings"]["source_line"] == 9434)
    assert typo["code"].to_list() == ["number_typo_repaired"] and "069 .7" in typo["message"][0]


def test_registry_names_duplicates_and_odd_file_names(corpus):
    raw_dir, paths = corpus
    files = {Path(f.source_path).name: f for f in registry.scan(raw_dir)}
    dup, original = files["copy of fascicle.txt"], files["fascicle.txt"]
    assert dup.document_id == original.document_id
    assert {dup.duplicate_of, original.duplicate_of} - {None} == {str(paths["duplicate"])} or {
        dup.duplicate_of,
        original.duplicate_of,
    } - {None} == {str(paths["original"])}
    assert files["2023 年 报告 亮点 (GBK).txt"].document_kind == "work_report_highlights"
    assert files["fascicle-utf16.txt"].duplicate_of is not None  # same text, other encoding
    assert files["report-big5.txt"].document_symbol == "A/78/1"
    assert files["link.txt"].refused == document.OUTSIDE and files["huge.txt"].refused == document.TOO_LARGE
