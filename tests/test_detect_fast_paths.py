"""Detection's shortcuts give the answers of the plain searches they replace (issue 12)."""

import hashlib

from pipelines.parsing.fascicle import structure
from pipelines.parsing.text import numbered_lines
from pipelines.reading import detect
from pipelines.reading.decode import decode
from pipelines.reading.detect import _TABLE_LINE, _prints_tables, script_of
from tests.conftest import FASCICLE


def test_table_titles_counted_from_the_line_index_agree_with_the_text():
    text = FASCICLE.read_text(encoding="utf-8")
    lines = numbered_lines(text)
    # the bundled fascicle prints 80 numbered tables (表 3.1 ... ), each title on a line of its own
    assert len(_TABLE_LINE.findall(text)) == 80
    assert _prints_tables(text, lines, at_least=80)
    assert not _prints_tables(text, lines, at_least=81)


def test_a_title_wrapped_over_two_lines_is_still_counted_by_the_text_search():
    # "表" and its number on separate lines: no line is a title, but the text search (\s spans the
    # newline) counts them, as detection did before it read the line index
    three = "\n".join(f"表\n3.{n}" for n in (1, 2, 3)) + "\n"
    assert _prints_tables(three, numbered_lines(three))
    two = "\n".join(f"表\n3.{n}" for n in (1, 2)) + "\n"
    assert not _prints_tables(two, numbered_lines(two))


def test_the_script_is_traditional_above_five_percent_of_han_characters_changed():
    assert script_of("联合国会员国的发展报告") == "Hans"
    assert script_of("聯合國會員國的發展報告") == "Hant"
    assert script_of("Proposed programme budget 2024") == "Latn"
    # 5 of 100 characters convert: not more than 5%, Simplified; 6 of 100: Traditional
    assert script_of("国" * 95 + "國" * 5) == "Hans"
    assert script_of("国" * 94 + "國" * 6) == "Hant"
    # only the first 20,000 characters are read, Latin text and digits between Han characters ignored
    assert script_of("a1 " * 7000 + "國" * 10) == "Latn"
    assert script_of("x 国 y " * 38 + "國 z" * 2) == "Hans"  # 2 of 40
    assert script_of("x 国 y " * 37 + "國 z" * 2) == "Hant"  # 2 of 39


def test_the_fascicle_is_still_detected_as_one():
    text = FASCICLE.read_text(encoding="utf-8")
    kind, symbol, _ = detect.classify(text, numbered_lines(text))
    assert (kind, symbol) == (detect.FASCICLE, "A/78/6 (Sect. 3)")


def test_the_symbol_searched_in_the_text_is_the_one_the_lines_print():
    text = FASCICLE.read_text(encoding="utf-8")
    lines = numbered_lines(text)
    assert structure.document_symbol(lines, text) == structure.document_symbol(lines) == "A/78/6 (Sect. 3)"
    # a reference wrapped over two lines is on no line: neither search counts it (counted, Sect. 4 would
    # come first and, with no running header to check it against, be taken)
    wrapped = "见 A/78/6\n(Sect. 4)\n和 A/78/6 (Sect. 5)\n"
    for variant in (wrapped, wrapped.replace("\n", "\r\n")):
        variant_lines = numbered_lines(variant)
        assert structure.document_symbol(variant_lines, variant) == structure.document_symbol(variant_lines)
        assert structure.document_symbol(variant_lines, variant) == "A/78/6 (Sect. 5)"


def test_a_utf8_file_hashed_as_its_bytes_has_the_id_of_its_text_in_any_encoding():
    raw = FASCICLE.read_bytes()
    text, encoding = decode(raw)
    lines = numbered_lines(text)
    assert encoding == "utf-8"
    fast = detect.describe(text, lines, raw, encoding)
    assert fast.content_sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert fast == detect.describe(text, lines, raw)  # the encoding not given: the text encoded again
    # the same document saved as GB18030 is the same document
    legacy = text.encode("gb18030")
    legacy_text, legacy_encoding = decode(legacy)
    assert legacy_encoding == "gb18030"
    assert detect.describe(legacy_text, numbered_lines(legacy_text), legacy, legacy_encoding) == fast
