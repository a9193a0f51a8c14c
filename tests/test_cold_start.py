"""What `unwh run` no longer does twice or per run (issue 12): the Word file read, the registry scan,
dagster-dbt's `dbt --version` and seed re-parse; a stale manifest's `dbt parse` runs beside the run."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import msgpack
import pytest
from dagster_dbt import DbtCliResource, DbtProject

from pipelines.defs import dbt_project as dbt_project_module
from pipelines.defs.dbt_cli import WarehouseDbtCli
from pipelines.defs.dbt_project import _keep_parsed_seeds, dbt_project
from pipelines.operations import registry
from pipelines.operations.config import DBT_PROJECT_DIR, DEFAULT_WAREHOUSE, SEEDS_DIR, Settings
from pipelines.parsing import dispatch
from pipelines.parsing.revised_estimates import docx, word
from tests.conftest import RAW

WORD = RAW / "A_80_400.docx"


def test_the_word_file_is_read_once_for_the_registry_and_the_parse(tmp_path, monkeypatch, revised_estimates):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    content = WORD.read_bytes()
    blocks = word.describe_word(content).blocks  # as the session's parse read them (tests/conftest.py)
    reads = []

    def read_blocks(data: bytes) -> list:  # counted; the blocks of these bytes, read once per session
        reads.append(1)
        assert data == content
        return blocks

    parsed, parse_blocks = [], dispatch.parse_blocks

    def counted_parse(*args):  # the tables are parsed by the run's parse only, not by the registry
        parsed.append(1)
        return parse_blocks(*args)

    monkeypatch.setattr(word, "_last", None)  # not read earlier in this test
    monkeypatch.setattr(docx, "read_blocks", read_blocks)
    monkeypatch.setattr(dispatch, "parse_blocks", counted_parse)
    first = registry.scan(raw)
    again = registry.scan(raw)  # the registry asset, after `unwh run` chose the partitions
    assert parsed == []
    doc = dispatch.parse_file(raw / WORD.name, raw)
    assert len(reads) == 1 and len(parsed) == 1 and doc.frames["resources"].height > 0
    assert [(f.source_path, f.document_id, f.document_kind) for f in again] == [
        (f.source_path, f.document_id, f.document_kind) for f in first
    ]
    entry = next(f for f in first if f.source_path.endswith(WORD.name))
    assert (doc.document_id, doc.kind, doc.document_symbol) == (entry.document_id, entry.document_kind, "A/80/400")
    assert doc.read_seconds > 0  # the summary still reports the read, done by the registry
    identified = []
    identify = registry.identify
    monkeypatch.setattr(
        registry, "identify", lambda path, raw_dir: identified.append(path.name) or identify(path, raw_dir)
    )
    os.utime(raw / WORD.name, ns=(1, 1))  # a file whose size or time changed is identified again
    assert [f.document_id for f in registry.scan(raw)] == [f.document_id for f in first]
    assert identified == [WORD.name]


def test_the_identified_files_kept_are_those_raw_dir_holds_now(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("000_96f0efd4942c3e09.txt", "001_b234d91e145fc020.txt"):
        shutil.copy(RAW / name, raw / name)
    registry.scan(raw)
    assert sorted(k[0] for k in registry._identified if k[1] == str(raw)) == sorted(str(p) for p in raw.iterdir())
    (raw / "001_b234d91e145fc020.txt").unlink()
    registry.scan(raw)
    assert [k[0] for k in registry._identified if k[1] == str(raw)] == [str(raw / "000_96f0efd4942c3e09.txt")]


def test_dbt_version_is_the_one_dbt_prints():
    printed = subprocess.run(["dbt", "--version"], capture_output=True, text=True, check=True).stdout
    version = WarehouseDbtCli(project_dir=dbt_project)._cli_version
    assert f"installed: {version}" in printed


def test_seed_checksums_kept_in_the_partial_parse_state(tmp_path):
    state_path = tmp_path / "partial_parse.msgpack"
    shutil.copy(dbt_project_module.ensure_manifest().with_name("partial_parse.msgpack"), state_path)
    state = msgpack.unpackb(state_path.read_bytes(), raw=False, strict_map_key=False)
    seeds = {k: v for k, v in state["files"].items() if v.get("parse_file_type") == "seed"}
    for entry in seeds.values():  # as dagster-dbt's preparer leaves them
        entry["checksum"] = {"name": "sha256", "checksum": "0" * 64}
    state_path.write_bytes(msgpack.packb(state))
    _keep_parsed_seeds(state_path)
    kept = msgpack.unpackb(state_path.read_bytes(), raw=False, strict_map_key=False)["files"]
    assert len(seeds) == len(list(SEEDS_DIR.glob("*.csv"))) == 21
    for key in seeds:
        content = (SEEDS_DIR / key.rsplit("/", 1)[1]).read_text(encoding="utf-8").strip()
        assert kept[key]["checksum"]["checksum"] == hashlib.sha256(content.encode()).hexdigest()


def test_the_manifest_is_prepared_without_dagster_dbts_start_up_costs(tmp_path, monkeypatch):
    """`dbt parse` on a stale manifest goes through WarehouseDbtCli (no `dbt --version`, no adapter), not
    through the DbtCliResource dagster-dbt's own preparer builds."""
    calls = []

    class Parsed:
        def wait(self):
            return self

    monkeypatch.setattr(
        WarehouseDbtCli, "cli", lambda self, args, **kw: calls.append((type(self), list(args))) or Parsed()
    )
    monkeypatch.setattr(
        DbtCliResource, "cli", lambda self, args, **kw: calls.append((type(self), list(args))) or Parsed()
    )
    project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR, target_path=tmp_path / "target")
    dbt_project_module.WarehousePreparer().prepare(project)
    assert calls == [(WarehouseDbtCli, ["parse", "--quiet"])]


def test_a_failed_background_parse_fails_the_run_where_the_manifest_is_read(monkeypatch):
    monkeypatch.setattr(dbt_project_module, "_inputs_newer_than", lambda manifest: True)
    monkeypatch.setattr(dbt_project_module, "_preparing", None)

    def broken():
        raise RuntimeError("dbt parse failed: models/broken.sql")

    monkeypatch.setattr(dbt_project_module, "_prepare", broken)
    assert dbt_project_module.prepare_in_background() is True
    assert dbt_project_module.prepare_in_background() is False  # one parse at a time
    with pytest.raises(RuntimeError, match="models/broken.sql"):
        dbt_project_module.ensure_manifest()
    assert dbt_project_module._preparing is None


def _profile_state(**env: str) -> str:
    """What dbt's partial-parse state check keeps of the profile (dbt/parser/manifest.py
    build_manifest_state_check: the connection fields; the target name decides which fields)."""
    import pprint

    from dbt.config.profile import Profile, read_profile
    from dbt.config.renderer import ProfileRenderer
    from dbt_common.context import set_invocation_context

    set_invocation_context(env)  # what the profile's env_var() reads
    target, data = Profile.render_profile(read_profile(str(DBT_PROJECT_DIR))["unwh"], "unwh", None, ProfileRenderer({}))
    return target + pprint.pformat(sorted(Profile._credentials_from_profile(data, "unwh", target).connection_info()))


def test_dbt_keeps_the_same_parse_state_for_every_warehouse(tmp_path):
    """dbt keys its parse state on the profile, which no longer holds where the warehouse is: every un.duckdb
    (the default, the test suite's, the benchmark's) shares dbt's own `target`, and every lake one folder."""
    one, other = (tmp_path / name / "un.duckdb" for name in ("a", "b"))
    state = _profile_state(WAREHOUSE_PATH=str(one))
    assert _profile_state(WAREHOUSE_PATH=str(other)) == state == _profile_state()  # dbt run by hand in dbt/
    assert _profile_state(WAREHOUSE_PATH=str(DEFAULT_WAREHOUSE)) == state
    for settings in (Settings(raw_dir=RAW, warehouse_path=p) for p in (one, other, DEFAULT_WAREHOUSE)):
        assert dbt_project_module.target_path(settings) == Path("target")
    # a file of another name is built under its catalog, which every relation dbt compiles names: its own state
    named = tmp_path / "c" / "wh.duckdb"
    assert _profile_state(WAREHOUSE_PATH=str(named)) != state
    assert dbt_project_module.target_path(Settings(raw_dir=RAW, warehouse_path=named)) == Path(
        "target/warehouses/wh.duckdb"
    )
    lakes = [
        {"WAREHOUSE_CATALOG": f"postgres:dbname={name} host=/tmp", "WAREHOUSE_DATA_PATH": str(tmp_path / name)}
        for name in ("lake1", "lake2")
    ]
    assert _profile_state(**lakes[0]) == _profile_state(**lakes[1]) != state
    settings = [
        Settings(
            raw_dir=RAW,
            warehouse_path=one,
            warehouse_catalog=lake["WAREHOUSE_CATALOG"],
            warehouse_data_path=Path(lake["WAREHOUSE_DATA_PATH"]),
        )
        for lake in lakes
    ]
    assert {dbt_project_module.target_path(s) for s in settings} == {Path("target/warehouses/lake")}
