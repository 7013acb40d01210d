"""Debian's nginx on 127.0.0.1, serving a built site with the snippet the production build writes beside output/.

Nothing of /etc/nginx but its mime.types is used: each server gets its own nginx.conf, pid file, temporary
folders and logs in a temporary folder, runs in the foreground as the user running the tests (no master
process: nothing changes user) until the `with` block ends.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from apache import _started, _stop

from conftest import free_port

NGINX = Path("/usr/sbin/nginx")

CONFIG = """\
# Written by tests/nginx.py for one test server: only /etc/nginx/mime.types comes from the system.
daemon off;
master_process off;
pid "{run}/nginx.pid";
error_log "{run}/error.log" warn;
events {{ }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
{temp}
    server {{
        listen 127.0.0.1:{port};
        server_name 127.0.0.1;
        root "{root}";
        include "{snippet}";
    }}
}}
"""
TEMP = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]


@contextmanager
def nginx_serving(folder: Path, snippet: Path, *, prefix: str = "") -> Iterator[str]:
    """Runs nginx on a free port of 127.0.0.1 with `snippet` in its server block, serving `folder` at URL path
    `prefix` (the server's root holds the folder under that name); yields the base URL, e.g.
    "http://127.0.0.1:43123/healing". Stops nginx at the end."""
    if not NGINX.exists():
        pytest.fail(f"{NGINX} is missing: make test installs Debian's nginx-light", pytrace=False)
    with tempfile.TemporaryDirectory(prefix="nginx-") as temporary:
        run = Path(temporary)
        root = run / "root"
        shutil.copytree(folder, root / prefix.lstrip("/"))
        for name in TEMP:
            (run / name).mkdir()
        for attempt in range(3):  # another process may take the free port before nginx binds it
            port = free_port()
            config = run / "nginx.conf"
            config.write_text(
                CONFIG.format(
                    run=run,
                    port=port,
                    root=root,
                    snippet=snippet.resolve(),
                    temp="".join(f'    {name}_temp_path "{run / name}";\n' for name in TEMP),
                ),
                encoding="utf-8",
            )
            with (run / "console.log").open("w") as console:
                process = subprocess.Popen(
                    [str(NGINX), "-p", str(run), "-c", str(config), "-e", str(run / "error.log")],
                    cwd=run,
                    stdin=subprocess.DEVNULL,
                    stdout=console,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            try:
                base = f"http://127.0.0.1:{port}"
                if _started(process, base, "nginx"):
                    yield base + prefix
                    return
                logs = "".join((run / name).read_text(errors="replace") for name in ("console.log", "error.log"))
                if attempt < 2 and "Address already in use" in logs:
                    continue
                pytest.fail(f"nginx did not start (exit status {process.poll()}):\n{logs}", pytrace=False)
            finally:
                _stop(process)
