"""Modules Great Expectations imports but our suites never call are imported on first use
(pipelines/validation/deferred_imports.py)."""

from __future__ import annotations

import subprocess
import sys

from pipelines.validation import deferred_imports


def test_a_deferred_module_runs_on_first_attribute_read(tmp_path, monkeypatch):
    (tmp_path / "probe_module.py").write_text("import builtins\nbuiltins.probe_runs += 1\nANSWER = 42\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr("builtins.probe_runs", 0, raising=False)
    monkeypatch.delitem(sys.modules, "probe_module", raising=False)
    deferred_imports.defer(("probe_module", "no_such_module_anywhere"))
    assert "no_such_module_anywhere" not in sys.modules  # not installed: left to fail as it would
    import builtins

    import probe_module

    assert builtins.probe_runs == 0  # imported by name, not run
    assert probe_module.ANSWER == 42 and builtins.probe_runs == 1
    assert sys.modules["probe_module"].ANSWER == 42 and builtins.probe_runs == 1  # the real module, once


def test_great_expectations_imports_without_scipy_stats_or_altair_which_still_work():
    code = (
        "import sys\n"
        "from pipelines.validation import suites\n"
        "suites.import_library()\n"
        "print(sorted(m for m in ('scipy.stats._stats_py', 'altair.vegalite') if m in sys.modules))\n"
        "from scipy import stats\n"
        "print(round(float(stats.entropy([0.5, 0.5], [0.25, 0.75])), 4))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["[]", "0.1438"]
