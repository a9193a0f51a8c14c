"""Every frame the parse returns, saved before a change to the parsers and compared after it.

    .venv/bin/python -m benchmarks.frames_snapshot save DIR [--corpus N]
    .venv/bin/python -m benchmarks.frames_snapshot compare DIR [--corpus N]

The documents are the bundled text files (data/raw/*.txt) and a generated corpus of N documents
(make_corpus, seed 0, written under DIR). Frames are compared with ``DataFrame.equals`` and their
schemas, in the order the parser returns their rows (not sorted): a speed-up must change nothing.
The document's status, kind, id and message are compared too (its timings are not).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import polars as pl

from benchmarks import make_corpus
from pipelines.parsing.dispatch import parse_file


def documents(out_dir: Path, corpus: int) -> list[Path]:
    generated = out_dir / "corpus"
    if not generated.exists():
        make_corpus.write(generated, corpus)
    return sorted(make_corpus.BUNDLED.glob("*.txt")) + sorted(generated.glob("*.txt"))  # not its manifest


def frames_of(path: Path) -> dict[str, pl.DataFrame]:
    doc = parse_file(path)
    described = {"status": [doc.status], "kind": [doc.kind], "document_id": [doc.document_id], "message": [doc.message]}
    return {**doc.frames, "document": pl.DataFrame(described)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=["save", "compare"])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--corpus", type=int, default=20)
    args = parser.parse_args()
    frames_dir = args.out_dir / "frames"
    frames_dir.mkdir(parents=True, exist_ok=True)
    paths, compared, differ = documents(args.out_dir, args.corpus), 0, []
    for path in paths:
        for name, frame in frames_of(path).items():
            saved = frames_dir / f"{path.parent.name}__{path.name}__{name}.parquet"
            if args.mode == "save":
                frame.write_parquet(saved)
                continue
            before = pl.read_parquet(saved)
            compared += 1
            if not (before.equals(frame) and before.schema == frame.schema):
                differ.append(f"{path.name} {name}: {before.shape} before, {frame.shape} now")
    for line in differ:
        print(line)
    print(f"{args.mode}: {len(paths)} documents" + (f", {compared} frames, {len(differ)} differ" if compared else ""))
    raise SystemExit(1 if differ else 0)


if __name__ == "__main__":
    main()
