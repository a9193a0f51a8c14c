"""The fascicle's reader contract: every parser table_kinds.csv names has a reader, and a finding's
severity is its code's, whichever reader reports it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pipelines.parsing.fascicle import parse_fascicle
from pipelines.parsing.fascicle.readers import NOT_READ, READERS, registered
from pipelines.parsing.text import numbered_lines

ROOT = Path(__file__).resolve().parents[1]
KINDS = ROOT / "pipelines" / "parsing" / "fascicle" / "table_kinds.csv"
FASCICLE = ROOT / "data" / "raw" / "002_76b708e149a256cd.txt"


def test_every_parser_of_table_kinds_has_a_reader():
    with open(KINDS, encoding="utf-8", newline="") as fh:
        parsers = {r["parser"] for r in csv.DictReader(fh)}
    assert parsers - set(READERS) == {"not_yet"}
    assert set(READERS) == {"numeric", "post_changes", "compliance", "deliverables", "performance", "annex_iv"}
    assert all(p in NOT_READ for p in parsers - set(READERS))
    with pytest.raises(KeyError, match="table_kinds.csv names parser 'numerik'"):
        registered("numerik")


def test_a_repaired_cell_is_the_same_warning_in_every_reader():
    doc = {"document_id": "d", "document_symbol": "A/78/6 (Sect. 3)", "language": "zh", "script": "Hans"}
    findings = parse_fascicle(numbered_lines(FASCICLE.read_text(encoding="utf-8")), doc).findings
    repairs = findings.filter(findings["code"].str.ends_with("_repaired"))
    # table 3.59 (compliance rates) line 7466 prints "不适用 a": the letter is a footnote mark, dropped
    assert ("warn", "number_typo_repaired", "3.59", 7466) in repairs.select(
        "severity", "code", "source_table", "source_line"
    ).rows()
    # and the numeric tables' repairs (table 3.78 line 9434 "069 .7", table 3.80 line 9517 "391.8.") alike
    assert repairs.select("source_table", "source_line").rows() == [("3.59", 7466), ("3.78", 9434), ("3.80", 9517)]
    assert set(repairs["code"]) == {"number_typo_repaired"} and set(repairs["severity"]) == {"warn"}


def test_every_reader_of_the_word_table_kinds_is_registered_on_the_same_contract():
    from pipelines.parsing.revised_estimates.readers import READERS as WORD_READERS
    from pipelines.parsing.revised_estimates.readers import registered as word_registered

    kinds = ROOT / "pipelines" / "parsing" / "revised_estimates" / "table_kinds.csv"
    with open(kinds, encoding="utf-8", newline="") as fh:
        parsers = {r["reader"] for r in csv.DictReader(fh)}
    assert parsers - set(WORD_READERS) == {"not_yet"}
    assert set(WORD_READERS) == {"matrix", "staffing", "post_actions", "phase_rows", "block_rows", "overall_rows"}
    assert word_registered("not_yet") is None
    with pytest.raises(KeyError, match="revised_estimates/table_kinds.csv names parser 'matrik'"):
        word_registered("matrik")


def test_a_finding_built_by_hand_is_reported_at_its_codes_one_severity():
    from pipelines.parsing.findings import Finding
    from pipelines.parsing.readers import ReadContext, Registry

    registry = Registry("test.csv")

    @registry.reader("hand", "facts")
    def read(table, context):
        return [], [Finding("error", "cell_repaired", "m"), Finding("warn", "ambiguous_split", "m")]

    _, found = registry.registered("hand").read(None, ReadContext("k", {}))
    # a repair is a warning in every reader; a code outside the table keeps the reader's severity
    assert [(f.code, f.severity) for f in found] == [("cell_repaired", "warn"), ("ambiguous_split", "warn")]
