"""A local PostgreSQL cluster for the DuckLake catalog: Debian's server, started as a non-root user.

    python -m pipelines.warehouse.pgcluster up [DIR]     # initdb (first time) and start; prints the env to export
    python -m pipelines.warehouse.pgcluster down [DIR]   # stop it
    python -m pipelines.warehouse.pgcluster env [DIR]    # print the env of a running cluster

PostgreSQL refuses to run as root, so when this runs as root the cluster folder is owned by, and the
server runs as, the ``postgres`` user Debian's package creates (``runuser``). The server listens on a
free port on a Unix socket only (no TCP), in a temporary folder; trust authentication on that socket,
which only this machine can reach. The tests start and stop their own throwaway cluster with it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from pipelines.operations.config import PROJECT_ROOT

DEFAULT_DIR = PROJECT_ROOT / ".pg"
DATABASE = "unwh"
SUPERUSER = "postgres"


class PostgresMissing(RuntimeError):
    pass


def bin_dir() -> Path:
    """Debian installs the server programs under /usr/lib/postgresql/<major>/bin (not on PATH)."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    majors = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))
    if not majors:
        raise PostgresMissing("PostgreSQL is not installed: `make lake-up` installs Debian's postgresql as root")
    return majors[-1].parent


def _as_owner(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", SUPERUSER, "--", *cmd] if os.geteuid() == 0 else cmd


def _run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    done = subprocess.run(_as_owner(cmd), capture_output=True, text=True, **kw)
    if done.returncode:
        raise RuntimeError(
            f"{' '.join(cmd)} failed ({done.returncode}): {(done.stderr or done.stdout)[-800:]} (the "
            f"folder must be reachable by the user {SUPERUSER} when run as root)"
        )
    return done


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class Cluster:
    data_dir: Path
    socket_dir: Path
    port: int

    @property
    def catalog(self) -> str:
        """The WAREHOUSE_CATALOG value: DuckLake's ``postgres:`` prefix and a libpq connection string."""
        return self.catalog_for(DATABASE)

    def catalog_for(self, database: str) -> str:
        return f"postgres:dbname={database} host={self.socket_dir} port={self.port} user={SUPERUSER}"

    def env(self, data_path: Path) -> dict[str, str]:
        return {"WAREHOUSE_CATALOG": self.catalog, "WAREHOUSE_DATA_PATH": str(data_path)}


def _state_file(folder: Path) -> Path:
    return folder / "cluster.env"


def running(folder: Path) -> Cluster | None:
    state = _state_file(folder)
    if not state.exists():
        return None
    values = dict(line.split("=", 1) for line in state.read_text().split())
    cluster = Cluster(Path(values["data_dir"]), Path(values["socket_dir"]), int(values["port"]))
    status = subprocess.run(
        _as_owner([str(bin_dir() / "pg_ctl"), "status", "-D", str(cluster.data_dir)]), capture_output=True, text=True
    )
    return cluster if status.returncode == 0 and cluster.socket_dir.exists() else None


def up(folder: Path = DEFAULT_DIR) -> Cluster:
    """Initialise (first time) and start the cluster in ``folder``; idempotent."""
    folder = folder.resolve()
    found = running(folder)
    if found:
        return found
    binaries = bin_dir()
    data_dir = folder / "data"
    folder.mkdir(parents=True, exist_ok=True)
    socket_dir = Path(tempfile.mkdtemp(prefix="unwh-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, SUPERUSER)
        shutil.chown(socket_dir, SUPERUSER)
    if not (data_dir / "PG_VERSION").exists():
        initdb = [str(binaries / "initdb"), "-D", str(data_dir), "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8"]
        _run([*initdb, "--no-instructions"])
    port = free_port()
    options = f"-p {port} -k {socket_dir} -c listen_addresses='' -c max_connections=200"
    log = str(folder / "server.log")
    _run([str(binaries / "pg_ctl"), "start", "-w", "-t", "60", "-D", str(data_dir), "-l", log, "-o", options])
    cluster = Cluster(data_dir, socket_dir, port)
    _state_file(folder).write_text(f"data_dir={data_dir}\nsocket_dir={socket_dir}\nport={port}\n")
    create_database(cluster, DATABASE)
    return cluster


def create_database(cluster: Cluster, name: str) -> str:
    """A database for one lake (the tests make one each); returns its WAREHOUSE_CATALOG."""
    createdb = [str(bin_dir() / "createdb"), "-h", str(cluster.socket_dir), "-p", str(cluster.port), "-U", SUPERUSER]
    for _ in range(50):
        made = subprocess.run(_as_owner([*createdb, name]), capture_output=True, text=True)
        if made.returncode == 0 or "already exists" in made.stderr:
            return cluster.catalog_for(name)
        time.sleep(0.1)
    raise RuntimeError(f"createdb {name} failed: {made.stderr}")


def down(folder: Path = DEFAULT_DIR) -> None:
    folder = folder.resolve()
    state = _state_file(folder)
    if not state.exists():
        return
    cluster = running(folder)
    if cluster:
        _run([str(bin_dir() / "pg_ctl"), "stop", "-w", "-m", "fast", "-D", str(cluster.data_dir)])
        shutil.rmtree(cluster.socket_dir, ignore_errors=True)
    state.unlink(missing_ok=True)


def _print_env(cluster: Cluster, folder: Path) -> None:
    data_path = os.environ.get("WAREHOUSE_DATA_PATH") or str(PROJECT_ROOT / "warehouse" / "lake")
    for key, value in cluster.env(Path(data_path)).items():
        print(f"export {key}='{value}'")


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "up"
    folder = Path(argv[1]) if len(argv) > 1 else DEFAULT_DIR
    if command == "up":
        cluster = up(folder)
        print(f"# PostgreSQL for the lake is running (data {cluster.data_dir}); to use the lake:", file=sys.stderr)
        _print_env(cluster, folder)
    elif command == "env":
        cluster = running(folder.resolve())
        if not cluster:
            print(f"no cluster running in {folder}: run `make lake-up`", file=sys.stderr)
            return 1
        _print_env(cluster, folder)
    elif command == "down":
        down(folder)
        print(f"PostgreSQL in {folder} stopped", file=sys.stderr)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
