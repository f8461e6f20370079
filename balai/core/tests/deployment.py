"""Balai laid out as in production, on loopback, for tests: nginx with the shipped
configuration (deploy/nginx/balai.conf) in front of N web processes, and M task
workers, all on the test's own database.

    def test_something(deployment):
        site = deployment(web=2, workers=2)
        urllib.request.urlopen(site.url + "/healthz", context=site.tls)
        site.web[0].kill()      # kill -9, as the kernel would
        site.web[0].start()     # and back, once it answers /healthz again

The test's database is shared with the processes (the fixture asks for
`transactional_db`, as `live_server` does), so data a test makes is seen by
them and theirs by the test. Every process is stopped at teardown, nginx last.
Without nginx the test skips, and fails with CI=true (.ci/run installs it).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from balai.core.tests.tools import missing_tool, self_signed_certificate

NGINX_CONFIG = Path(__file__).resolve().parents[3] / "deploy" / "nginx" / "balai.conf"
BALAI = [sys.executable, "-m", "balai"]
READY_SECONDS = 120  # a loaded 2-core machine may take a minute to import Django
# What `balai worker` prints after it has registered (balai/core/management/commands/worker.py).
WORKER_STARTED = re.compile(r"Task worker (\S+) started")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nginx_path() -> str:
    path = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.access(path, os.X_OK):
        missing_tool("nginx is not installed (apt-get install nginx)")
    return path


def wait_for(condition: Callable[[], bool], what: str, timeout: float = READY_SECONDS) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not within {timeout} s")
        time.sleep(0.2)


def answers(url: str, context: ssl.SSLContext | None = None) -> bool:
    """True when GET url answers 200."""
    try:
        with urllib.request.urlopen(url, timeout=5, context=context) as response:  # noqa: S310
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


def database_url() -> str:
    """The test database (pytest-django's, already set up) as a DATABASE_URL."""
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@dataclass
class Process:
    """One process of the deployment, started again as often as a test likes."""

    name: str
    command: list[str]
    env: dict[str, str]
    log: Path
    ready: Callable[[Process], bool]
    url: str = ""  # web processes: their own address, bypassing nginx
    popen: subprocess.Popen | None = None
    log_offset: int = 0  # where the log of the latest start begins

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    @property
    def worker_id(self) -> str:
        """The id a `balai worker` printed once registered (its latest start): the one
        it claims tasks under."""
        found = WORKER_STARTED.search(self.log_text())
        assert found, f"{self.name} printed no worker id"
        return found.group(1)

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def start(self) -> Process:
        """Start it and wait until it is ready; fails with its log when it is not."""
        self.log_offset = self.log.stat().st_size if self.log.exists() else 0
        with self.log.open("ab") as log:
            # A session of its own: kill() reaches gunicorn's workers too.
            self.popen = subprocess.Popen(
                self.command,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            wait_for(lambda: self.alive() and self.ready(self), f"{self.name} ready")
        except TimeoutError as exc:
            self.stop()
            tail = self.log_text()[-3000:]
            pytest.fail(f"{exc}; exit code {self.popen.returncode}; log:\n{tail}")
        return self

    def kill(self) -> None:
        """kill -9 the process and its children, as the kernel's OOM killer would."""
        self._signal(signal.SIGKILL)

    def stop(self, timeout: float = 30) -> None:
        """SIGTERM, then SIGKILL whatever is left after `timeout` seconds."""
        if self.popen is None:
            return
        self._signal(signal.SIGTERM, timeout)
        self._signal(signal.SIGKILL)

    def _signal(self, sig: int, timeout: float = 30) -> None:
        if self.popen is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=timeout)

    def log_text(self) -> str:
        """What the process wrote since it was last started."""
        with self.log.open("rb") as log:
            log.seek(self.log_offset)
            return log.read().decode(errors="replace")


@dataclass
class Deployment:
    url: str  # https://127.0.0.1:PORT, nginx's TLS server
    http_url: str  # nginx's plain HTTP server (it redirects to url)
    env: dict[str, str]  # the environment every Balai process runs with
    data_dir: Path  # BALAI_DATA_DIR: media, static, error pages
    nginx: Process
    web: list[Process] = field(default_factory=list)
    workers: list[Process] = field(default_factory=list)
    # An SSL context trusting the deployment's self-signed certificate.
    tls: ssl.SSLContext = field(default_factory=ssl.create_default_context)
    certificate: Path | None = None

    @property
    def processes(self) -> list[Process]:
        return [*self.web, *self.workers, self.nginx]

    def stop(self) -> None:
        for process in [*self.web, *self.workers, self.nginx]:
            process.stop()

    def balai(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        """Run a `balai` command with the deployment's environment."""
        return subprocess.run(
            [*BALAI, *args], env=self.env, capture_output=True, text=True, **kwargs
        )


def substitute(text: str, pattern: str, replacement: str) -> str:
    """re.sub that fails when the shipped configuration no longer has what it replaces."""
    result, count = re.subn(pattern, lambda _: replacement, text, flags=re.MULTILINE)
    if not count:
        raise AssertionError(f"{NGINX_CONFIG} has no {pattern!r}: update deployment.py")
    return result


def render_nginx_site(
    *,
    web_ports: list[int],
    http_port: int,
    https_port: int,
    data_dir: Path,
    run_dir: Path,
    certificate: Path,
    key: Path,
    max_request_mb: int,
) -> str:
    """The shipped site configuration, with loopback ports and temporary paths."""
    site = NGINX_CONFIG.read_text()
    servers = "".join(f"    server 127.0.0.1:{port};\n" for port in web_ports)
    site = substitute(site, r"(^    server 127\.0\.0\.1:\d+;\n)+", servers)
    site = substitute(site, r"^    listen \[::\]:\d+.*\n", "")
    site = substitute(site, r"listen 80;", f"listen 127.0.0.1:{http_port};")
    site = substitute(site, r"listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl")
    site = substitute(
        site, r"https://\$host\$request_uri", f"https://$host:{https_port}$request_uri"
    )
    site = substitute(site, r"ssl_certificate \S+;", f"ssl_certificate {certificate};")
    site = substitute(site, r"ssl_certificate_key \S+;", f"ssl_certificate_key {key};")
    site = substitute(
        site, r"client_max_body_size \d+m;", f"client_max_body_size {max_request_mb}m;"
    )
    site = substitute(site, r"/var/log/balai/", f"{run_dir}/")
    site = substitute(site, r"/var/www/letsencrypt", str(run_dir / "acme"))
    return substitute(site, r"/var/lib/balai", str(data_dir))


def nginx_main_config(run_dir: Path, site: Path) -> str:
    """What Debian's /etc/nginx/nginx.conf gives the site, with paths of this run."""
    # As root, workers would switch to nobody, who cannot read pytest's 0700 folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "".join(
        f"    {kind}_temp_path {run_dir}/{kind}_temp;\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}daemon off;\nworker_processes 1;\npid {run_dir}/nginx.pid;\n"
        f"error_log {run_dir}/error.log;\n"
        "events { worker_connections 1024; }\n"
        "http {\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
        f"    sendfile on;\n    access_log {run_dir}/access.log;\n{temp}"
        f"    include {site};\n}}\n"
    )


@pytest.fixture(scope="session")
def deployment_assets(tmp_path_factory):
    """Collected static files and nginx's error pages, made once per test process."""
    folder = tmp_path_factory.mktemp("deployment-assets")
    env = {**os.environ, "BALAI_DATA_DIR": str(folder), "BALAI_DEBUG": ""}
    for command in (
        ["collectstatic", "--no-input"],
        ["error-pages", str(folder / "error-pages" / "_galat")],
    ):
        subprocess.run([*BALAI, *command], env=env, check=True, capture_output=True)
    return folder


@pytest.fixture
def deployment(transactional_db, deployment_assets, tmp_path, settings):
    """A factory: deployment(web=2, workers=2, env={...}) starts the production layout
    on loopback and returns a Deployment; everything it started stops at teardown."""
    nginx = nginx_path()
    started: list[Deployment] = []

    def start(*, web: int = 1, workers: int = 1, env: dict[str, str] | None = None) -> Deployment:
        from django.core.cache import cache

        root = tmp_path / f"deployment{len(started)}"
        data_dir, run_dir = root / "data", root / "run"
        run_dir.mkdir(parents=True)
        data_dir.mkdir()
        # Static files and error pages are the same for every deployment.
        (data_dir / "static").symlink_to(deployment_assets / "static")
        (data_dir / "error-pages").symlink_to(deployment_assets / "error-pages")
        (data_dir / "media").mkdir()
        http_port, https_port = free_port(), free_port()
        url = f"https://127.0.0.1:{https_port}"
        process_env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "BALAI_DATA_DIR": str(data_dir),
            # The test's own key: what it signs (tokens, links), the processes accept.
            "BALAI_SECRET_KEY": settings.SECRET_KEY,
            "BALAI_DEBUG": "",
            "BALAI_BEHIND_PROXY": "1",
            "BALAI_SITE_URL": url,
            "BALAI_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "BALAI_REDIS_URL": "",
            "BALAI_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "BALAI_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "BALAI_MAX_REQUEST_MB": str(settings.BALAI_MAX_REQUEST_BYTES // (1024 * 1024)),
            # One metrics directory for every process, as the systemd units share
            # /run/balai/metrics: a scrape of any web process counts them all.
            "PROMETHEUS_MULTIPROC_DIR": str(run_dir / "metrics"),
            **(env or {}),
        }
        (run_dir / "metrics").mkdir()
        # What the processes write (uploads, letters), the test reads from the same place.
        settings.MEDIA_ROOT = data_dir / "media"
        cache.clear()  # the database cache table outlives the flush between tests

        certificate, key = self_signed_certificate(run_dir)
        tls = ssl.create_default_context(cafile=str(certificate))
        web_processes = []
        for index in range(web):
            port = free_port()
            web_processes.append(
                Process(
                    name=f"web{index}",
                    command=[*BALAI, "web", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
                    env=process_env,
                    log=run_dir / f"web{index}.log",
                    url=f"http://127.0.0.1:{port}",
                    ready=lambda p: answers(p.url + "/healthz"),
                )
            )
        worker_processes = [
            Process(
                name=f"worker{index}",
                # Production's command: registers, recovers dead workers' work, then runs.
                command=[*BALAI, "worker", "--interval", "0.2"],
                env=process_env,
                log=run_dir / f"worker{index}.log",
                ready=lambda p: WORKER_STARTED.search(p.log_text()) is not None,
            )
            for index in range(workers)
        ]
        site = run_dir / "balai.conf"
        site.write_text(
            render_nginx_site(
                web_ports=[int(p.url.rsplit(":", 1)[1]) for p in web_processes],
                http_port=http_port,
                https_port=https_port,
                data_dir=data_dir,
                run_dir=run_dir,
                certificate=certificate,
                key=key,
                max_request_mb=int(process_env["BALAI_MAX_REQUEST_MB"]),
            )
        )
        main_config = run_dir / "nginx.conf"
        main_config.write_text(nginx_main_config(run_dir, site))
        nginx_command = [
            nginx,
            "-p",
            str(run_dir),
            "-c",
            str(main_config),
            "-e",
            str(run_dir / "error.log"),
        ]
        check = subprocess.run([*nginx_command, "-t"], capture_output=True, text=True)
        assert check.returncode == 0, f"nginx -t:\n{check.stderr}"
        site_deployment = Deployment(
            url=url,
            http_url=f"http://127.0.0.1:{http_port}",
            env=process_env,
            data_dir=data_dir,
            nginx=Process(
                name="nginx",
                command=nginx_command,
                env=process_env,
                log=run_dir / "nginx.log",
                ready=lambda p: answers(url + "/healthz", tls),
            ),
            web=web_processes,
            workers=worker_processes,
            tls=tls,
            certificate=certificate,
        )
        started.append(site_deployment)
        for process in [*web_processes, *worker_processes, site_deployment.nginx]:
            process.start()
        return site_deployment

    yield start
    # Before transactional_db flushes the database the processes are using.
    for site_deployment in started:
        site_deployment.stop()
