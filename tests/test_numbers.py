import pytest

from pipelines.parsing.numbers import parse_number_text, split_cells, split_trailing_cells


def cells(line: str, n: int, decimal=None):
    label, tokens, repairs = split_trailing_cells(line)
    split = split_cells(tokens, n, decimal)
    assert split is not None, line
    return label, [c.text for c in split.cells], [c.value for c in split.cells], split.alternatives, repairs


def test_money_row_reads_from_the_right_and_keeps_nil_and_negatives():
    label, texts, values, alternatives, _ = cells("员额 43 526.4 47 278.1 — — (7.2) (7.2) (0.0) 47 270.9", 8, True)
    assert label == "员额"
    assert texts == ["43 526.4", "47 278.1", "—", "—", "(7.2)", "(7.2)", "(0.0)", "47 270.9"]
    assert values == [43526.4, 47278.1, None, None, -7.2, -7.2, 0.0, 47270.9]
    assert alternatives == 0


def test_label_with_digits_is_not_read_as_cells():
    label, texts, *_ = cells("1. 预防、管理和解决冲突 23 752.7 26 165.8 — — (7.2) (7.2) (0.0) 26 158.6", 8, True)
    assert label == "1. 预防、管理和解决冲突"
    assert texts[0] == "23 752.7"


@pytest.mark.parametrize(
    "line,n,expected",
    [
        ("x 400 548 400 400", 4, [400, 548, 400, 400]),
        ("x 277 277", 2, [277, 277]),
        (
            "特别政治任务 4 346 4 371 25 — — — 68 60 (8) 4 414 4 431 17",
            12,
            [4346, 4371, 25, None, None, None, 68, 60, -8, 4414, 4431, 17],
        ),
    ],
)
def test_integer_runs_split_by_the_column_count(line, n, expected):
    assert cells(line, n, False)[2] == expected


def test_ambiguous_integer_run_is_reported_not_hidden():
    # "1 200 300" as two cells is "1 200 | 300" or "1 | 200 300": both fit, so the split says so.
    _, tokens, _ = split_trailing_cells("x 1 200 300")
    split = split_cells(tokens, 2, False)
    assert split.alternatives == 1
    assert [c.value for c in split.cells] == [1, 200300]  # deterministic choice: shortest first cell


def test_number_typos_are_repaired_and_reported():
    label, texts, values, _, repairs = cells("工作方案 51 069 .7 61 603.7 391.8.", 3, True)
    assert values == [51069.7, 61603.7, 391.8]
    assert len(repairs) == 2


def test_no_split_when_the_cells_do_not_fit():
    _, tokens, _ = split_trailing_cells("x 4 032.2")
    assert split_cells(tokens, 8, True) is None


def test_narrative_numbers():
    assert parse_number_text("51 212 800") == 51212800
    assert parse_number_text("(42 063.3)") == -42063.3
    assert parse_number_text("abc") is None
