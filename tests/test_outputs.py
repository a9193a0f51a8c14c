"""The HTML report (in a real headless browser) and the Fiscal Data Package export."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest

from pipelines.outputs.fdp import MODEL_SCHEMA

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def report(built_warehouse: Path) -> Path:
    return built_warehouse.parent / "report" / "index.html"


def test_report_is_self_contained_and_bilingual(report):
    html = report.read_text(encoding="utf-8")
    # nothing to fetch: no external scripts, styles, images or fonts (the SVG namespace is not a fetch)
    assert not re.search(r"""(src|href)\s*=\s*["'](https?:)?//""", html)
    assert "@import" not in html and "url(" not in html
    for words in (
        "按实体和资金来源列示的资源",
        "Resources by entity and funding source",
        "按职等列示的员额",
        "Posts by grade",
        "Deliverables: planned vs actual",
        "Headline metrics",
        "数据质量发现",
        "千美元 · thousands of US$",
    ):
        assert words in html
    assert html.count('<svg class="chart"') == 7
    assert "775\u2009326.2" in html  # SPM 2024 regular budget, annex IV line 11508, thin-space thousands


def test_report_shows_the_five_year_series_and_the_secretariat_wide_changes(report):
    html = report.read_text(encoding="utf-8")
    five_years = html[html.index("Five-year series") : html.index("Secretariat-wide UN80 changes")]
    assert "员额 Posts · 2022: 43\u2009526.4" in five_years  # A/78/6 table 3.24, DPPA posts, 2022 expenditure
    assert "员额 Posts · 2026: 44\u2009920.6" in five_years  # A/80/400 table 78, Posts, 2026 revised estimate
    assert "revised_estimate" in five_years and "proposed" in five_years  # the chosen phase and the one not chosen
    changes = html[html.index("Secretariat-wide UN80 changes") :]
    assert "3. Political affairs · 其他 · other: −107\u2009005.2" in changes  # A/80/400 table 6, section 3, Other


def test_report_hard_codes_no_fiscal_year():
    from tests.conftest import ROOT

    source = (ROOT / "pipelines" / "outputs" / "report.py").read_text(encoding="utf-8")
    assert not re.findall(r"\b20[0-9]{2}\b", source)


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make test installs it)")
def test_report_renders_in_headless_chromium(report, tmp_path):
    profile = tmp_path / "profile"
    dom = subprocess.run(
        [
            CHROMIUM,
            *FLAGS,
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=3000",
            "--dump-dom",
            report.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert 'data-charts="7"' in dom.stdout  # the page's own script ran and counted its charts
    assert "Uncaught" not in dom.stderr and "CONSOLE" not in dom.stderr
    shot = tmp_path / "report.png"
    subprocess.run(
        [
            CHROMIUM,
            *FLAGS,
            f"--user-data-dir={profile}",
            f"--screenshot={shot}",
            "--window-size=1100,2400",
            report.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 50_000  # a blank page is a few kilobytes


def test_fiscal_data_package_is_valid(built_warehouse: Path):
    import frictionless

    path = built_warehouse.parent / "export" / "fiscal-data-package" / "datapackage.json"
    report = frictionless.validate(str(path))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.validate(descriptor["model"], json.loads(MODEL_SCHEMA.read_text(encoding="utf-8")))
    measures = descriptor["model"]["measures"]
    assert {m["phase"] for m in measures.values()} == {"executed", "approved", "adjusted", "proposed"}
    assert {m["currency"] for m in measures.values()} == {"USD"} and {m["factor"] for m in measures.values()} == {1000}
    assert set(descriptor["model"]["dimensions"]) == {"entity", "funding_source", "classification", "date"}


def test_fiscal_data_package_holds_the_printed_values(built_warehouse: Path):
    import csv

    path = built_warehouse.parent / "export" / "fiscal-data-package" / "resources.csv"
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    # 表 3.24 line 3924: DPPA 共计 47 859.0 (2022 expenditure) … 51 212.8 (2024 estimate)
    total = [r for r in rows if r["source_table"] == "3.24" and r["source_line"] == "3924"]
    assert {(r["fiscal_year"], r["amount_executed"], r["amount_approved"], r["amount_proposed"]) for r in total} == {
        ("2022", "47859.0", "", ""),
        ("2023", "", "50605.7", ""),
        ("2024", "", "", "51212.8"),
    }
    # A/80/400 table 78, DPPA Total: 2025 approved 108 109.0, 2026 proposed 109 320.5, 2026 revised estimate 98 650.6
    dppa = [
        r
        for r in rows
        if r["document_symbol"] == "A/80/400" and r["source_table"] == "78" and r["classification_code"] == "total"
    ]
    assert {(r["fiscal_year"], r["amount_approved"], r["amount_proposed"], r["amount_adjusted"]) for r in dppa} == {
        ("2025", "108109.0", "", ""),
        ("2026", "", "109320.5", ""),
        ("2026", "", "", "98650.6"),
    }


def test_dbt_docs_generate_offline(built_warehouse: Path, tmp_path):
    import os
    import sys

    from pipelines.defs.dbt_project import target_path
    from pipelines.operations.config import Settings
    from tests.conftest import RAW, ROOT

    # the session's run left dbt's parse state for this warehouse: with it dbt parses only what changed since
    # (nothing), not the whole project (~3 s of CPU); without it, dbt parses all, as a fresh clone does
    state = ROOT / "dbt" / target_path(Settings(raw_dir=RAW, warehouse_path=built_warehouse)) / "partial_parse.msgpack"
    if state.is_file():
        shutil.copy(state, tmp_path / state.name)
    # dbt attaches its warehouse read-write: a copy, so that the scenarios reading the session's warehouse meanwhile
    # (tests/test_incremental_marts.py) can open it
    copy = tmp_path / "warehouse" / built_warehouse.name
    copy.parent.mkdir()
    shutil.copy(built_warehouse, copy)
    env = {**os.environ, "WAREHOUSE_PATH": str(copy)}
    dbt = Path(sys.executable).parent / "dbt"
    result = subprocess.run(
        [str(dbt), "docs", "generate", "--profiles-dir", ".", "--target-path", str(tmp_path)],
        cwd=ROOT / "dbt",
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    catalog = json.loads((tmp_path / "catalog.json").read_text())
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert any(k.endswith("fct_resources") for k in catalog["nodes"])
    undocumented = [
        n["name"]
        for n in manifest["nodes"].values()
        if n["resource_type"] == "model" and n["path"].startswith(("marts", "analytics")) and not n.get("description")
    ]
    assert undocumented == []
    # every column of every mart and analytics view is described (hand-written or the column glossary)
    described = {
        n["name"]: {c.lower() for c, v in n["columns"].items() if v.get("description")}
        for n in manifest["nodes"].values()
        if n["resource_type"] == "model"
    }
    missing = [
        (manifest["nodes"][uid]["name"], col)
        for uid, node in catalog["nodes"].items()
        if uid in manifest["nodes"] and manifest["nodes"][uid]["path"].startswith(("marts", "analytics"))
        for col in node["columns"]
        if col.lower() not in described[manifest["nodes"][uid]["name"]]
    ]
    assert missing == []
    assert {e["name"] for e in manifest["exposures"].values()} == {"html_report", "fiscal_data_package"}
