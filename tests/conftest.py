from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.ingest import ParsedDocument, parse_file

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
FASCICLE = RAW / "002_76b708e149a256cd.txt"
REPORT_2022 = RAW / "001_b234d91e145fc020.txt"
HIGHLIGHTS_2023 = RAW / "000_96f0efd4942c3e09.txt"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def fascicle() -> ParsedDocument:
    return parse_file(FASCICLE)
