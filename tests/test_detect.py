"""Documents are recognised from their content, never their file names."""

import polars as pl

from pipelines.document import BINARY, EMPTY, PARSED, QUARANTINED, UNKNOWN_KIND
from pipelines.parsing.dispatch import parse_file
from pipelines.parsing.fascicle.structure import entity_headings
from pipelines.parsing.text import Line
from pipelines.validation import blocking_failures, validate_frames
from tests.conftest import FASCICLE, HIGHLIGHTS_2023, REPORT_2022


def test_bundled_documents_are_recognised(tmp_path):
    # Renamed copies: the name carries no meaning.
    for src, kind, symbol, script, status in [
        (FASCICLE, "budget_fascicle", "A/78/6 (Sect. 3)", "Hans", PARSED),
        (REPORT_2022, "work_report", "A/78/1", "Hant", PARSED),
        (HIGHLIGHTS_2023, "work_report_highlights", None, "Hans", PARSED),
    ]:
        copy = tmp_path / f"renamed-{kind}.txt"
        copy.write_bytes(src.read_bytes())
        doc = parse_file(copy)
        assert (doc.kind, doc.script, doc.status) == (kind, script, status)
        if symbol:
            assert doc.document_symbol == symbol
        assert doc.document_id.startswith(doc.content_sha256[:16])
        assert doc.frames["kpis"].height > 0


def test_a_document_that_is_not_a_fascicle_gets_a_clear_status(tmp_path):
    other = tmp_path / "notes.txt"
    other.write_text("会议记录\n今天讨论了预算。\n表 1 不是一个表\n", encoding="utf-8")
    doc = parse_file(other)
    assert (doc.status, doc.reason) == (QUARANTINED, UNKNOWN_KIND)
    assert str(other) in doc.message
    assert all(df.is_empty() for df in doc.frames.values())


def test_empty_and_binary_files_are_unreadable_with_the_file_named(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "image.bin"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    for path, words, reason in [(empty, "empty file", EMPTY), (binary, "binary", BINARY)]:
        doc = parse_file(path)
        assert (doc.status, doc.reason) == (QUARANTINED, reason)
        assert str(path) in doc.message and words in doc.message


# --- a fascicle is recognised by its structure, not by Section 3's entity names --------------------------

HEADINGS = {
    1: "一. 政治和建设和平事务部",
    5800: "二. 特别政治任务",
    5813: "三. 联合国中东和平进程特别协调员办事处",
    6717: "四. 联合国关于在巴勒斯坦被占领土修建隔离墙造成的损失登记册",
    7473: "五. 联合国驻非洲联盟办事处",
    8563: "六. 反恐怖主义办公室",
}


def renamed_copy(tmp_path, renames: dict[int, str]):
    lines = FASCICLE.read_text(encoding="utf-8").split("\n")
    for number, heading in renames.items():
        assert lines[number - 1].strip() == HEADINGS[number]
        lines[number - 1] = "  " + heading + " "
    path = tmp_path / "renamed.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _outside(frame, first, last, line="source_line"):
    return frame.filter(~pl.col(line).is_between(first, last)).drop("document_id")


def test_an_entity_the_seed_does_not_know_is_reported_and_the_rest_lands(fascicle, tmp_path):
    # UNOAU's heading (line 7473, its section runs to line 8562) renamed to a name the seed does not hold
    doc = parse_file(renamed_copy(tmp_path, {7473: "五. 联合国驻萨赫勒办事处"}))
    assert (doc.kind, doc.status, doc.document_symbol) == ("budget_fascicle", PARSED, "A/78/6 (Sect. 3)")
    hit = doc.frames["parse_findings"].filter(pl.col("code") == "unknown_entity")
    assert hit.select("severity", "source_line").rows() == [("warn", 7473)]
    assert "联合国驻萨赫勒办事处" in hit["message"][0] and "dbt/seeds/entities.csv" in hit["message"][0]
    for name in ("resources", "posts", "post_changes", "kpis"):
        got, want = doc.frames[name], fascicle.frames[name]
        # nothing of the unknown entity's section lands; every other row is the bundled document's
        assert got.filter(pl.col("source_line").is_between(7473, 8562)).is_empty(), name
        assert _outside(got, 7473, 8562).equals(_outside(want, 7473, 8562)), name
    assert not doc.frames["source_tables"]["source_table"].is_in(["3.65", "3.66", "3.67"]).any()
    # annex IV prints the entity under its seeded name: its row still lands
    annex = doc.frames["resources"].filter(pl.col("source_table") == "annex_iv")
    assert "UNOAU" in annex["entity_code"].to_list()
    validated = validate_frames(doc.document_id, doc.frames)
    assert blocking_failures(validated["validation_results"]).is_empty()


def test_a_fascicle_of_entities_none_of_which_the_seed_knows_is_still_a_fascicle(tmp_path):
    renames = {
        n: h.split(". ")[0] + ". 某某" + "甲乙丙丁戊己"[i] + "办事处" for i, (n, h) in enumerate(HEADINGS.items())
    }
    doc = parse_file(renamed_copy(tmp_path, renames))
    assert (doc.kind, doc.status) == ("budget_fascicle", PARSED)
    hit = doc.frames["parse_findings"].filter(pl.col("code") == "unknown_entity")
    assert hit["source_line"].to_list() == list(HEADINGS)
    # only annex IV, whose rows name the entities as the seed does, lands
    assert set(doc.frames["resources"]["source_table"]) == {"annex_iv"}


def test_entity_headings_run_in_order_and_hold_only_a_name():
    lines = [
        Line(i + 1, t, t)
        for i, t in enumerate(
            [
                "一. 某某部",
                "正文。",
                "一. 第一项措施",
                "二. 某某办事处",
                "三. 通过了决议，并且",
                "四. 二",
                "三. 某某处",
                "附件一",
                "四. 附件里的标题",
            ]
        )
    ]
    assert [ln.number for ln in entity_headings(lines)] == [1, 4, 7]
