"""Debian's Apache on 127.0.0.1, serving a folder as an Apache host does: its .htaccess is honoured.

Nothing of /etc/apache2 or the system service is used: each server gets its own httpd.conf, pid file
and logs in a temporary folder, and runs in the foreground until the `with` block ends.
"""

from __future__ import annotations

import os
import pwd
import shutil
import stat
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import free_port

APACHE = Path("/usr/sbin/apache2")
MODULES = Path("/usr/lib/apache2/modules")
# Only what a static site's .htaccess needs; no autoindex, so no folder is ever listed
MODULE_NAMES = ["mpm_event", "authz_core", "dir", "mime", "headers", "alias", "rewrite", "env", "setenvif"]
START_LIMIT = 15  # seconds; Apache answers in well under one
# 127.0.0.1 is never reached through a proxy that the environment may name
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))

CONFIG = """\
# Written by tests/apache.py for one test server: nothing here comes from /etc/apache2.
ServerRoot "${{APACHE_RUN_DIR}}"
{modules}
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
User ${{APACHE_RUN_USER}}
Group ${{APACHE_RUN_GROUP}}
PidFile "${{APACHE_PID_FILE}}"
DefaultRuntimeDir "${{APACHE_RUN_DIR}}"
ErrorLog "${{APACHE_LOG_DIR}}/error.log"
LogLevel warn
LogFormat "%h \\"%r\\" %>s %b" brief
CustomLog "${{APACHE_LOG_DIR}}/access.log" brief
TypesConfig /etc/mime.types
DirectoryIndex index.html
AccessFileName .htaccess
DocumentRoot "{document_root}"

<Directory />
  AllowOverride None
  Require all denied
</Directory>
<Directory "{document_root}">
  Require all granted
</Directory>
<Directory "{served}">
{options}  AllowOverride All
  Require all granted
</Directory>
<Files ".ht*">
  Require all denied
</Files>
{alias}"""


@contextmanager
def apache_serving(folder: Path, *, prefix: str = "", lists_folders: bool = False) -> Iterator[str]:
    """Runs Debian's Apache as a foreground process on 127.0.0.1 and a free port, serving `folder`
    (honouring its .htaccess: AllowOverride All) at URL path `prefix` (e.g. "/healing" or "");
    `lists_folders`: like the many hosts that list a folder without an index page (mod_autoindex,
    Options +Indexes) unless the .htaccess says otherwise;
    yields the base URL, e.g. "http://127.0.0.1:43123/healing". Stops Apache at the end.

    Apache refuses to serve as root: started by root (as in CI) it drops to www-data, which may not
    enter the folder (pytest's temporary folders are private to their owner), so it then serves a
    copy of `folder` made when the block starts. Started by anyone else it keeps that user.
    """
    if not APACHE.exists():
        pytest.fail(f"{APACHE} is missing: make test installs Debian's apache2", pytrace=False)
    if prefix and (not prefix.startswith("/") or prefix.endswith("/")):
        raise ValueError(f"prefix must be empty or like '/healing', not {prefix!r}")
    with tempfile.TemporaryDirectory(prefix="apache-") as temporary:
        run = Path(temporary)
        user, group, served = _identity(run, Path(folder).resolve())
        document_root = served
        if prefix:  # only the prefix leads to the folder; anything else finds nothing
            document_root = run / "elsewhere"
            document_root.mkdir(mode=0o755)
        env = {
            "PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/bin"),
            "LANG": "C",
            "APACHE_RUN_USER": user,
            "APACHE_RUN_GROUP": group,
            "APACHE_PID_FILE": str(run / "apache.pid"),
            "APACHE_RUN_DIR": str(run),
            "APACHE_LOCK_DIR": str(run),
            "APACHE_LOG_DIR": str(run),
        }
        for attempt in range(3):  # another process may take the free port before Apache binds it
            port = free_port()
            config = run / "httpd.conf"
            config.write_text(
                CONFIG.format(
                    modules="\n".join(
                        f"LoadModule {name}_module {MODULES}/mod_{name}.so"
                        for name in [*MODULE_NAMES, *(["autoindex"] if lists_folders else [])]
                    ),
                    port=port,
                    document_root=document_root,
                    served=served,
                    alias=f'Alias "{prefix}" "{served}"\n' if prefix else "",
                    options="  Options +Indexes\n" if lists_folders else "",
                ),
                encoding="utf-8",
            )
            with (run / "console.log").open("w") as console:
                process = subprocess.Popen(
                    [str(APACHE), "-f", str(config), "-DFOREGROUND"],
                    env=env,
                    cwd=run,
                    stdin=subprocess.DEVNULL,
                    stdout=console,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            try:
                base = f"http://127.0.0.1:{port}"
                if _started(process, base):
                    yield base + prefix
                    return
                if attempt < 2 and "Address already in use" in _logs(run):
                    continue
                pytest.fail(f"Apache did not start (exit status {process.poll()}):\n{_logs(run)}", pytrace=False)
            finally:
                _stop(process)


def _identity(run: Path, folder: Path) -> tuple[str, str, Path]:
    """The User and Group Apache serves as, and the folder it serves."""
    if os.geteuid() != 0:  # Apache changes user only when started as root
        return f"#{os.getuid()}", f"#{os.getgid()}", folder
    try:
        account = pwd.getpwnam("www-data")  # the apache2 package's user
    except KeyError:
        account = pwd.getpwnam("nobody")
    closed = [str(p) for p in run.parents if not p.stat().st_mode & stat.S_IXOTH]
    if closed:
        pytest.fail(
            f"Apache's user cannot enter {', '.join(closed)}: set TMPDIR to a folder anyone may enter", pytrace=False
        )
    run.chmod(0o755)
    copy = run / "site"
    shutil.copytree(folder, copy)
    for path in [copy, *copy.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return f"#{account.pw_uid}", f"#{account.pw_gid}", copy


def _started(process: subprocess.Popen, base: str, name: str = "Apache") -> bool:
    """Waits until the server `name` answers HTTP on its port; False when it stops first or never answers."""
    deadline = time.monotonic() + START_LIMIT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with _DIRECT.open(base + "/", timeout=1) as response:
                server = response.headers.get("Server", "")
        except urllib.error.HTTPError as error:  # any status will do: it answers
            server = error.headers.get("Server", "")
        except OSError:
            time.sleep(0.05)
            continue
        if server.startswith(name) and process.poll() is None:
            return True  # and not some other server that took the port
        time.sleep(0.05)
    return False


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()  # SIGTERM: the parent stops its children and exits
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()


def _logs(run: Path) -> str:
    return "".join(
        f"--- {name}\n{(run / name).read_text(errors='replace')}"
        for name in ("console.log", "error.log")
        if (run / name).exists()
    )
