"""A deterministic corpus of N documents derived from the bundled ones, for benchmarks and tests.

    .venv/bin/python -m benchmarks.make_corpus OUT_DIR N [--seed S]

Budget fascicles get other symbols (session and section), years shifted with the session, and every
post count and deliverable count multiplied by an integer factor k (1, 2 or 3): sums, differences and
post-change texts scale with them exactly, so every consistency rule that holds in the original holds
in the copy (and the original's genuine errors stay); percentages are unchanged. Money keeps its
printed digits: multiplying it would turn the document's own 0.1 rounding differences into 0.2-0.3
and make them findings. Work reports get other symbols and shifted years.
``expected_frames`` gives what the pipeline must extract from each
generated document, derived from the original's parsed frames by the same transformation.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polars as pl

from pipelines.parsing.dispatch import parse_file

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "data" / "raw"
FASCICLE = BUNDLED / "002_76b708e149a256cd.txt"
REPORT = BUNDLED / "001_b234d91e145fc020.txt"
HIGHLIGHTS = BUNDLED / "000_96f0efd4942c3e09.txt"
# a year, not a quantity: "2022 年", "2020(实际)", "2022-2024" (never "2000萬")
_YEAR = re.compile(r"(?<![\d.])(20[0-4]\d)(?=\s*(?:年|\(|（|-))")
_POST_COUNT = re.compile(r"(\d+)(\s*个)")


@dataclass(frozen=True)
class Spec:
    """One generated document: which original, its symbol change, year shift and value factor."""

    name: str
    source: str  # fascicle | report | highlights
    session: int
    section: int
    factor: int

    @property
    def shift(self) -> int:
        return self.session - 78


def specs(n: int, seed: int = 0) -> list[Spec]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        if n > 3 and i % 20 == 19:
            source = "report" if (i // 20) % 2 else "highlights"
        else:
            source = "fascicle"
        session, section = 78 + i // 40, 3 + i % 40
        out.append(Spec(f"{i:05d}_{source}_{session}_{section}.txt", source, session, section, rng.choice([1, 2, 3])))
    return out


def _format(value: float, decimals: int) -> str:
    text = f"{abs(value):,.{decimals}f}".replace(",", " ")
    return f"({text})" if value < 0 else text


def _scaled(text: str, factor: int) -> str:
    """A printed cell multiplied by an integer, in the document's own format."""
    if factor == 1 or text in ("—", "", "不适用"):
        return text
    negative = text.startswith("(")
    digits = text.strip("()").replace(" ", "")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    value = float(digits) * factor
    return _format(-value if negative else value, decimals)


@lru_cache(maxsize=4)
def fascicle_template(factor: int) -> str:
    """The fascicle with every money, post and deliverable cell multiplied by ``factor``."""
    doc = parse_file(FASCICLE)
    lines = FASCICLE.read_text(encoding="utf-8").split("\n")
    cells: dict[int, list[str]] = {}
    facts = doc.frames["posts"].filter(pl.col("unit") != "percent")
    for line, text in facts.select("source_line", "value_text").iter_rows():
        cells.setdefault(line, []).append(text)
    kpis = doc.frames["kpis"].filter((pl.col("kpi_family") == "deliverable") & pl.col("value_text").is_not_null())
    for line, text in kpis.select("source_line", "value_text").iter_rows():
        cells.setdefault(line, []).append(text)
    for line, texts in cells.items():
        lines[line - 1] = _replace_cells(lines[line - 1], texts, factor)
    for t in doc.frames["source_tables"].filter(pl.col("table_kind") == "post_changes").iter_rows(named=True):
        for i in range(t["first_line"], t["last_line"] + 1):
            if not lines[i - 1].lstrip().startswith("注"):
                lines[i - 1] = _POST_COUNT.sub(lambda m: f"{int(m.group(1)) * factor}{m.group(2)}", lines[i - 1])
    counts = doc.frames["post_changes"].select("source_line", "count_text").unique()
    for line, text in counts.iter_rows():
        lines[line - 1] = _replace_first_after_label(lines[line - 1], text, factor)
    return "\n".join(lines)


def _replace_cells(line: str, texts: list[str], factor: int) -> str:
    """Scale the printed cells at the right-hand end of a line, keeping its spacing."""
    out, end = [], len(line)
    for text in reversed(texts):
        # a whole cell, never the "2" inside "4.2"
        found = [m for m in re.finditer(rf"(?<![\d.(]){re.escape(text)}(?![\d.)])", line) if m.end() <= end]
        if not found:
            continue
        pos = found[-1].start()
        out.append((pos, pos + len(text), _scaled(text, factor)))
        end = pos
    for start, stop, new in out:  # right to left: earlier positions stay valid
        line = line[:start] + new + line[stop:]
    return line


def _replace_first_after_label(line: str, count_text: str, factor: int) -> str:
    m = re.search(rf"(?<=\s){re.escape(count_text)}(?=\s)", line)
    if not m or count_text == "—":
        return line
    return line[: m.start()] + _scaled(count_text, factor) + line[m.end() :]


def _shift_years(text: str, shift: int) -> str:
    return _YEAR.sub(lambda m: str(int(m.group(1)) + shift), text) if shift else text


def render(spec: Spec) -> str:
    if spec.source == "fascicle":
        text = fascicle_template(spec.factor)
        text = text.replace("A/78/6 (Sect. 3)", f"A/{spec.session}/6 (Sect. {spec.section})")
        text = text.replace("A/78/6(Sect.3)", f"A/{spec.session}/6(Sect.{spec.section})")
        text = re.sub(r"第 3 款 政治事务", f"第 {spec.section} 款 政治事务", text)
    elif spec.source == "report":
        text = REPORT.read_text(encoding="utf-8").replace("A/78/1", f"A/{spec.session}/1")
    else:
        text = HIGHLIGHTS.read_text(encoding="utf-8") + f"\n<!-- edition {spec.session}-{spec.section} -->\n"
    return _shift_years(text, spec.shift)


def write(out_dir: Path, n: int, seed: int = 0) -> list[Spec]:
    out_dir.mkdir(parents=True, exist_ok=True)
    all_specs = specs(n, seed)
    for spec in all_specs:
        (out_dir / spec.name).write_text(render(spec), encoding="utf-8")
    (out_dir / ".corpus.json").write_text(json.dumps([s.__dict__ for s in all_specs]), encoding="utf-8")
    return all_specs


def expected_frames(spec: Spec) -> dict[str, pl.DataFrame]:
    """What the pipeline must extract from the generated document (resources, posts, deliverables)."""
    original = {"fascicle": FASCICLE, "report": REPORT, "highlights": HIGHLIGHTS}[spec.source]
    doc = parse_file(original)
    shift = pl.col("fiscal_year") + spec.shift
    out = {}
    for name in ("resources", "posts"):
        f = doc.frames[name]
        factor = spec.factor if name == "posts" else 1
        scale = pl.when(pl.col("unit") != "percent").then(pl.col("value") * factor).otherwise(pl.col("value"))
        out[name] = f.with_columns(
            scale.alias("value"),
            shift.cast(pl.Int32).alias("fiscal_year"),
            (pl.col("base_year") + spec.shift).cast(pl.Int32).alias("base_year"),
        )
    k = doc.frames["kpis"]
    out["kpis"] = k.with_columns(
        pl.when(pl.col("kpi_family") == "deliverable")
        .then(pl.col("value_numeric") * spec.factor)
        .otherwise(pl.col("value_numeric"))
        .alias("value_numeric"),
        shift.cast(pl.Int32).alias("fiscal_year"),
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    written = write(args.out_dir, args.n, args.seed)
    print(f"{len(written)} documents in {args.out_dir}")


if __name__ == "__main__":
    main()
