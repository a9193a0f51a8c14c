"""Great Expectations suites, loaded from the reviewed JSON files in expectations/ into an ephemeral
context, and run on a frame. Great Expectations is imported lazily: the import alone costs seconds.

A suite file may name a dbt seed column instead of a literal value set (``{"$seed": "grades.grade_code"}``),
so accepted codes have one source of truth. Loading fails loudly, naming the file and expectation,
when Great Expectations rejects or drops an expectation: the count loaded must equal the count written.
"""

from __future__ import annotations

import csv
import json
import os
import time
from functools import cache, lru_cache
from pathlib import Path

import polars as pl

from pipelines.operations.config import EXPECTATIONS_DIR, SEEDS_DIR
from pipelines.validation import deferred_imports

SEVERITIES = ("error", "warn")
RESULT_SCHEMA: dict[str, pl.DataType] = {
    "document_id": pl.Utf8,
    "suite": pl.Utf8,
    "expectation": pl.Utf8,
    "column_name": pl.Utf8,
    "severity": pl.Utf8,
    "success": pl.Boolean,
    "element_count": pl.Int64,
    "unexpected_count": pl.Int64,
    "unexpected_sample": pl.Utf8,  # JSON list of up to 20 offending values
    "unexpected_rows": pl.Utf8,  # JSON list of up to 20 positions in the document's validated frame
}


class SuiteLoadError(RuntimeError):
    pass


class Timer:
    """Seconds spent in Great Expectations (import included), for the run summary and benchmark."""

    seconds = 0.0

    def __enter__(self):
        self._t = time.perf_counter()

    def __exit__(self, *exc):
        Timer.seconds += time.perf_counter() - self._t


def _seed_values(ref: str) -> list[str]:
    name, column = ref.split(".", 1)
    path = SEEDS_DIR / f"{name}.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    if not rows or column not in rows[0]:
        raise SuiteLoadError(f"seed reference {ref!r}: {path} has no column {column!r}")
    return sorted({r[column] for r in rows if r[column]})


def _resolve(value):
    if isinstance(value, dict) and set(value) == {"$seed"}:
        return _seed_values(value["$seed"])
    return value


def read_suite_file(path: Path) -> dict:
    spec = json.loads(path.read_text(encoding="utf-8"))
    for i, exp in enumerate(spec.get("expectations", [])):
        severity = exp.get("meta", {}).get("severity")
        if severity not in SEVERITIES:
            raise SuiteLoadError(
                f"{path}: expectation #{i} ({exp.get('type')}) has severity {severity!r}, expected one of {SEVERITIES}"
            )
        exp["kwargs"] = {k: _resolve(v) for k, v in exp.get("kwargs", {}).items()}
    return spec


@lru_cache(maxsize=1)
def _context():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")  # no network calls from the library
    with Timer():
        deferred_imports.defer()
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        ctx = gx.get_context(mode="ephemeral")
        ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    return gx, ctx


def import_library() -> None:
    """Import Great Expectations now (seconds), e.g. while another core runs ``dbt parse``."""
    _context()


@cache
def load_suite(name: str, directory: Path = EXPECTATIONS_DIR):
    """The named suite, built in the ephemeral context; raises SuiteLoadError on any dropped expectation."""
    path = directory / f"{name}.json"
    spec = read_suite_file(path)
    gx, ctx = _context()
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    with Timer():
        suite = gx.ExpectationSuite(name=f"{name}:{path.stat().st_mtime_ns}")
        for i, exp in enumerate(spec["expectations"]):
            try:
                suite.add_expectation_configuration(
                    ExpectationConfiguration(type=exp["type"], kwargs=exp["kwargs"], meta=exp.get("meta", {}))
                )
            except Exception as err:  # the library's own errors name no file
                raise SuiteLoadError(f"{path}: expectation #{i} ({exp.get('type')}) rejected: {err}") from err
        if len(suite.expectations) != len(spec["expectations"]):
            raise SuiteLoadError(
                f"{path}: {len(spec['expectations'])} expectations written, "
                f"{len(suite.expectations)} loaded: Great Expectations dropped some"
            )
        suite = ctx.suites.add(suite)
        asset = ctx.data_sources.add_pandas(f"frames_{name}").add_dataframe_asset(name)
        batch_definition = asset.add_batch_definition_whole_dataframe("whole_frame")
    return suite, batch_definition


# Pass or fail first: the library's details (every offending row and value) cost about as much again as the
# checks themselves (0.92 against 0.43 s of CPU for the bundled fascicle's five suites), and nearly every
# expectation holds. Only those that fail are validated again, with the details (and any with `mostly`, which
# may hold with offending rows).
PASS_FAIL = {"result_format": "BOOLEAN_ONLY"}
DETAILS = {"result_format": "COMPLETE", "partial_unexpected_count": 20}


@cache
def _is_row_check(expectation_type: str) -> bool:
    """Whether the expectation judges rows one by one (it reports its offending rows) or the table as a whole."""
    from great_expectations.expectations.expectation import (
        ColumnMapExpectation,
        ColumnPairMapExpectation,
        MulticolumnMapExpectation,
    )
    from great_expectations.expectations.registry import get_expectation_impl

    return issubclass(
        get_expectation_impl(expectation_type),
        (ColumnMapExpectation, ColumnPairMapExpectation, MulticolumnMapExpectation),
    )


def _holds_entirely(result) -> bool:
    return bool(result.success) and "mostly" not in result.expectation_config.kwargs


def run_suite(name: str, frame: pl.DataFrame) -> list[dict]:
    """Validate the frame (as pandas) with the suite: per expectation, its outcome and every offending row."""
    suite, batch_definition = load_suite(name)
    with Timer():
        batch = batch_definition.get_batch(batch_parameters={"dataframe": frame.to_pandas()})
        results = [
            r if _holds_entirely(r) else batch.validate(r.expectation_config.to_domain_obj(), result_format=DETAILS)
            for r in batch.validate(suite, result_format=PASS_FAIL).results
        ]
    out = []
    for r in results:
        cfg = r.expectation_config
        res = r.result or {}
        indexes, unexpected = res.get("unexpected_index_list"), res.get("unexpected_count")
        if _holds_entirely(r) and _is_row_check(cfg.type):
            indexes, unexpected = [], 0  # what the details say of a row check that holds: no offending row
        out.append(
            {
                "suite": name,
                "expectation": cfg.type,
                "column_name": cfg.kwargs.get("column") or ",".join(cfg.kwargs.get("column_list") or []),
                "severity": cfg.meta.get("severity"),
                "success": bool(r.success),
                "unexpected_count": unexpected,
                "unexpected_sample": res.get("partial_unexpected_list", [])[:20],
                # row positions of the offending rows; None for table-level expectations (column lists)
                "rows": [int(i) for i in indexes]
                if indexes is not None and all(isinstance(i, int) for i in indexes)
                else None,
            }
        )
    return out
