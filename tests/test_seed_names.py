"""The structure seeds name what the documents print: every English name (entities, their other printed
names, budget parts and sections) occurs in A/80/400, every Chinese name marked printed:A/78/6 occurs in the
Chinese fascicle, and a Chinese name without a source is never presented as printed."""

from __future__ import annotations

import re
import zipfile
from functools import cache

import pytest

from pipelines import vocab
from tests.conftest import FASCICLE, RAW, SHARED

WORD_FILES = [RAW / "A_80_400.docx", SHARED / "documents" / "en" / "A_80_400.docx"]


@cache
def a80400_text() -> str:
    """The Word file's text (runs joined per paragraph, tabs and breaks as spaces), one paragraph a line."""
    path = next((p for p in WORD_FILES if p.exists()), None)
    if path is None:
        pytest.skip("A_80_400.docx is neither bundled in data/raw nor in ../shared/documents/en")
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, re.S)
    lines = []
    for p in paragraphs:
        p = re.sub(r"<w:(tab|br|cr)/>", "<w:t> </w:t>", p)
        lines.append(re.sub(r"\s+", " ", "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p))))
    return "\n".join(lines).replace("&amp;", "&").replace("&apos;", "'")


def zh_text() -> str:
    return re.sub(r"\s+", "", FASCICLE.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "seed,column",
    [
        ("entities", "name_en"),
        ("entity_names_en", "name_en"),
        ("budget_parts", "name_en"),
        ("budget_sections", "name_en"),
    ],
)
def test_every_english_name_is_printed_in_a80400(seed, column):
    text = a80400_text()
    missing = [r[column] for r in vocab.rows(seed) if r[column] not in text]
    assert not missing, f"dbt/seeds/{seed}.csv names that A/80/400 does not print: {missing}"


def test_section_and_part_rows_are_printed_with_their_numbers():
    text = a80400_text()
    for r in vocab.rows("budget_sections"):
        printed = f"{r['section_number']}. {r['name_en']}" if r["section_number"] else f"– {r['name_en']}"
        assert printed in text, r
        # the parser codes a section from the number it prints (dbt/seeds/budget_sections.csv keeps the same codes)
        assert r["section_code"] == f"section_{r['section_number']}" or r["parent_section_code"], r
    for r in vocab.rows("budget_parts"):
        assert f"Part {r['part_number']}\n" in text and r["part_code"] == f"part_{r['part_number']}", r


@pytest.mark.parametrize("seed", ["entities", "budget_parts", "budget_sections"])
def test_chinese_names_say_where_they_come_from(seed):
    text = zh_text()
    for r in vocab.rows(seed):
        source = r["name_zh_source"]
        assert source in ("printed:A/78/6", "reviewed_seed", "") and (source == "") == (r["name_zh"] == ""), r
        if source == "printed:A/78/6":
            for name in (r["name_zh"], r.get("short_name_zh", "")):
                assert re.sub(r"\s+", "", name) in text, f"{name} is not printed in A/78/6"


def test_entity_codes_and_hierarchy_are_consistent():
    entities = {r["entity_code"]: r for r in vocab.rows("entities")}
    sections = {r["section_code"]: r for r in vocab.rows("budget_sections")}
    assert {"DPPA", "SPM", "UNSCO", "UNRoD", "UNOAU", "OCT"} <= entities.keys()  # Section 3 keeps its codes
    for r in entities.values():
        if r["section_code"]:
            assert sections[r["section_code"]]["part_code"] == r["part_code"], r
        if r["parent_entity_code"]:
            assert r["parent_entity_code"] in entities, r
        if r["entity_type"] == "mission" and r["section_code"] == "3":
            assert entities[r["parent_entity_code"]]["entity_type"] in (
                "cluster",
                "special_political_missions",
                "mission_group",
            ), r
    aliases = vocab.rows("entity_names_en")
    assert {a["entity_code"] for a in aliases} <= entities.keys()
    # the parser reads entity_names_en only: every entity's own name must be there too
    assert {(r["entity_code"], r["name_en"]) for r in entities.values()} <= {
        (a["entity_code"], a["name_en"]) for a in aliases
    }
    names = [re.sub(r"\s+", " ", a["name_en"]).casefold() for a in aliases]
    assert len(names) == len(set(names)), "an English name must identify one entity"


LABELLED_SEEDS = [
    "objects_of_expenditure",
    "grades",
    "post_categories",
    "funding_sources",
    "phases",
    "measures",
    "breakdowns",
    "scopes",
]


@pytest.mark.parametrize("seed", LABELLED_SEEDS)
def test_labels_marked_printed_are_printed(seed):
    """label_en_source = printed:A/80/400 and label_zh_source = printed:A/78/6 are claims the documents back."""
    en, zh = a80400_text().casefold(), zh_text()
    for r in vocab.rows(seed):
        assert r["label_en_source"] in ("printed:A/80/400", "reviewed_seed"), r
        assert r["label_zh_source"] in ("printed:A/78/6", "reviewed_seed", ""), r
        if r["label_en_source"] == "printed:A/80/400":
            label = r["label_en"].removeprefix("Change: ")
            assert label.casefold() in en, f"{seed}: {label!r} is not printed in A/80/400"
        if r["label_zh_source"] == "printed:A/78/6":
            assert re.sub(r"\s+", "", r["label_zh"]) in zh, f"{seed}: {r['label_zh']!r} is not printed in A/78/6"


def test_line_item_variants_are_printed_and_name_known_codes():
    text = a80400_text()
    codes = {
        "object_of_expenditure": {r["object_code"] for r in vocab.rows("objects_of_expenditure")},
        "grade": {r["grade_code"] for r in vocab.rows("grades")},
    }
    for r in vocab.rows("line_item_names_en"):
        assert r["code"] in codes[r["breakdown"]] and r["name_en"] in text, r
