"""One writer at a time on the warehouse file, across processes (Dagster runs, `unwh run`, tests).

DuckDB allows one writing process per file. Every step that writes takes this lock; a second run
waits for it (up to WAREHOUSE_LOCK_TIMEOUT seconds, default 900) and then fails with a clear error,
never with a half-written warehouse.
"""

from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path


class WarehouseBusy(RuntimeError):
    pass


@contextmanager
def warehouse_lock(warehouse: Path, timeout: float | None = None, log=None):
    timeout = float(os.environ.get("WAREHOUSE_LOCK_TIMEOUT", "900")) if timeout is None else timeout
    lock_path = warehouse.with_name(warehouse.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+") as fh:
        start = time.monotonic()
        waited = False
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not waited and log:
                    log(f"waiting for the warehouse lock {lock_path} (another run is writing)")
                waited = True
                if time.monotonic() - start > timeout:
                    raise WarehouseBusy(
                        f"{warehouse} is being written by another run (lock {lock_path} held for "
                        f"over {timeout:.0f} s); try again when it has finished"
                    ) from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
