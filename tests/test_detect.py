"""Documents are recognised from their content, never their file names."""

from pipelines.ingest import BINARY, EMPTY, PARSED, QUARANTINED, UNKNOWN_KIND, parse_file
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
