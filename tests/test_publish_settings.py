"""Publishing settings come from the environment, so each is checked before anything is built or sent: a value
that smuggles an ssh option, an rsync option or shell syntax is refused by name, rsync gets one argument per
value (no shell), and its failure fails the task. SITEURL must be a plain web address for every production
build."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ARTICLE, ROOT, WIDE_LOG_ENV, invoke, snapshot, with_make

GOOD = {"SITEURL": "https://example.org/healing", "SSH_HOST": "example.org", "SSH_PATH": "/var/www/site"}
FAKE_RSYNC = """#!{python}
# A stand-in for rsync (tests/test_publish_settings.py): records its arguments, exits as told
import json, os, sys
with open(os.environ["ZQ_RSYNC_LOG"], "a") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
sys.exit(int(os.environ.get("ZQ_RSYNC_EXIT", "0")))
"""


@pytest.fixture
def fake_rsync(tmp_path) -> dict[str, str]:
    """The environment for a task, with a fake `rsync` first on PATH that records each call in a log."""
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "rsync"
    script.write_text(FAKE_RSYNC.format(python=sys.executable))
    script.chmod(0o755)
    return {**WIDE_LOG_ENV, "PATH": f"{folder}{os.pathsep}{os.environ['PATH']}", "ZQ_RSYNC_LOG": str(tmp_path / "log")}


def rsync_calls(env: dict[str, str]) -> list[list[str]]:
    log = Path(env["ZQ_RSYNC_LOG"])
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SSH_PORT", "22 -oProxyCommand=touch /tmp/zq-pwned"),
        ("SSH_PORT", "0"),
        ("SSH_PORT", "65536"),
        ("SSH_PORT", "２２"),  # full-width digits
        ("SSH_HOST", "--rsync-path=x #"),
        ("SSH_HOST", "-oProxyCommand=touch /tmp/zq-pwned"),
        ("SSH_HOST", "nancy@example.org"),
        ("SSH_HOST", "example.org:/etc"),
        ("SSH_HOST", "example.org\nother.org"),
        ("SSH_USER", "nancy -oProxyCommand=x"),
        ("SSH_USER", "-l"),
        ("SSH_PATH", "/var/www; rm -rf ~"),
        ("SSH_PATH", "/var/www/$(touch /tmp/zq-pwned)"),
        ("SSH_PATH", "--delete-excluded"),
        ("SSH_PATH", "other-host:/var/www"),
        ("SSH_PATH", "/var/www\n/etc"),
        ("SSH_PATH", "~/site"),
        ("SSH_PATH", "/"),
        ("SSH_PATH", "."),
        ("SSH_PATH", "//"),
        ("SSH_PATH", "/etc"),
    ],
)
def test_a_publishing_setting_that_is_not_plain_is_refused_naming_it(name, value):
    from invoke import Exit

    import tasks

    with pytest.raises(Exit) as refused:
        tasks.publish_settings({**GOOD, name: value})
    assert refused.value.code == 2 and f"{name}={value!r}" in str(refused.value.message)
    assert "nothing was built or sent" in str(refused.value.message)


def publishing(monkeypatch, env: dict[str, str], builds: list[str]) -> None:
    """`invoke publish` run in this process with `env` as its environment, each build it starts put in `builds`
    instead of made (test_publish_calls_rsync_with_one_argument_per_value runs the task in a new process, and builds)."""
    from invoke import Context

    import tasks

    for name in ("SITEURL", "SSH_HOST", "SSH_PATH", "SSH_USER", "SSH_PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(tasks, "run_build", lambda settings_file: builds.append(Path(settings_file).name))
    tasks.publish(Context())


def test_a_refused_publishing_setting_stops_the_task_before_anything_is_built_or_sent(monkeypatch, fake_rsync):
    from invoke import Exit

    builds: list[str] = []
    with pytest.raises(Exit) as refused:
        publishing(monkeypatch, {**fake_rsync, **GOOD, "SSH_HOST": "-oProxyCommand=touch /tmp/zq"}, builds)
    assert refused.value.code == 2 and "SSH_HOST='-oProxyCommand=touch /tmp/zq'" in str(refused.value.message)
    assert rsync_calls(fake_rsync) == [] and builds == []


@pytest.mark.slow  # starts the command line (invoke) in a new process
def test_publish_calls_rsync_with_one_argument_per_value_and_no_shell(project, fake_rsync):
    env = {**fake_rsync, **GOOD, "SSH_USER": "nancy", "SSH_PORT": "2222"}
    result = invoke(project, "publish", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert rsync_calls(env) == [
        [
            "--delete",
            "--exclude",
            ".DS_Store",
            "-pthrvz",
            "-c",
            "-s",
            "-e",
            "ssh -p 2222",
            "--",
            f"{project / 'output'}/",
            "nancy@example.org:/var/www/site",
        ]
    ]
    assert 'href="https://example.org/healing/natural-pain-relief.html"' in (project / "output" / ARTICLE).read_text()


@pytest.mark.parametrize(
    ("settings", "port", "target"),
    [
        ({"SSH_USER": "nancy", "SSH_PORT": "2222"}, "2222", "nancy@example.org:/var/www/site"),
        ({"SSH_HOST": "192.0.2.7", "SSH_PATH": "www/site-2.0"}, "22", "192.0.2.7:www/site-2.0"),
    ],
)
def test_rsync_goes_to_the_users_host_and_path_on_its_port_default_22(settings, port, target):
    import tasks

    command = tasks.rsync_command(tasks.publish_settings({**GOOD, **settings}), Path("/zq/output"))
    assert command[command.index("-e") + 1] == f"ssh -p {port}"
    assert command[-3:] == ["--", "/zq/output/", target], "the two paths after --, never read as options"


def test_when_rsync_fails_publish_fails_and_says_so(monkeypatch, fake_rsync):
    from invoke import Exit

    builds: list[str] = []
    with pytest.raises(Exit) as failed:
        publishing(monkeypatch, {**fake_rsync, **GOOD, "ZQ_RSYNC_EXIT": "23"}, builds)
    assert failed.value.code == 1
    message = str(failed.value.message)
    assert "rsync failed (exit status 23" in message and "example.org may be only partly updated" in message
    assert builds == ["publishconf.py"] and len(rsync_calls(fake_rsync)) == 1, "built for production, then sent"


def test_without_rsync_publish_says_so_and_builds_nothing(monkeypatch, tmp_path):
    from invoke import Exit

    empty = tmp_path / "empty-bin"
    empty.mkdir()
    builds: list[str] = []
    with pytest.raises(Exit) as refused:
        publishing(monkeypatch, {**GOOD, "PATH": str(empty)}, builds)
    assert refused.value.code == 2 and "publish needs rsync" in str(refused.value.message)
    assert builds == []


BAD_SITEURLS = {
    "javascript:alert(1)": "is not a web address starting with https:// or http://",
    "https://example.org/\nheal": "holds '\\n'",
    "example.org": "is not a web address starting with https:// or http://",
    "https://nancy:secret@example.org": "holds a user name or password",
    "https://example.org/?utm=x": "has a query",
    "https://example.org/#top": "has a query ('?…') or fragment",
    "https://": "has no host name",
    "https://example.org:99999": "has a port that is not a number from 1 to 65535",
    'https://example.org/"><script>': "holds '\"'",
    "ftp://example.org": "is not a web address",
}


@pytest.mark.parametrize("value", list(BAD_SITEURLS))
def test_a_siteurl_that_is_not_a_plain_web_address_is_refused(value, monkeypatch):
    monkeypatch.delenv("SITEURL", raising=False)
    publishconf = importlib.import_module("publishconf")
    with pytest.raises(SystemExit) as stopped:
        publishconf.checked_siteurl(value)
    assert str(stopped.value).startswith(f"publishconf.py: SITEURL={value!r} {BAD_SITEURLS[value]}")


@pytest.mark.parametrize(
    ("value", "used"),
    [
        ("https://example.org/healing/", "https://example.org/healing"),
        ("https://example.org/", "https://example.org"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("https://nancy.github.io/healing", "https://nancy.github.io/healing"),
    ],
)
def test_a_plain_siteurl_is_used_without_its_trailing_slash(value, used, monkeypatch):
    monkeypatch.delenv("SITEURL", raising=False)
    assert importlib.import_module("publishconf").checked_siteurl(value) == used


@pytest.mark.slow  # starts the command line (invoke) in a new process; the values are tested above, in-process
@pytest.mark.parametrize(
    ("task", "value"),
    [("production", "javascript:alert(1)"), ("publish", "https://example.org/\nheal"), ("gh-pages", "example.org")],
)
def test_every_production_task_refuses_a_bad_siteurl_and_leaves_output_alone(project, fake_rsync, task, value):
    (project / "output").mkdir()
    (project / "output" / "index.html").write_text("the site as it was")
    before = snapshot(project / "output")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=project, check=True)
    result = invoke(project, task, env={**fake_rsync, **GOOD, "SITEURL": value})
    assert result.returncode != 0
    assert f"SITEURL={value!r}" in result.stderr and "Traceback" not in result.stdout + result.stderr
    assert snapshot(project / "output") == before and not list(project.glob(".output-*"))
    assert rsync_calls(fake_rsync) == []
    branches = subprocess.run(["git", "branch", "--list", "gh-pages"], cwd=project, capture_output=True, text=True)
    assert branches.stdout == ""


@pytest.mark.parametrize(
    "value",
    [
        "//",
        "//.",
        "//..",
        "../..",
        "x/../../..",
        "/etc",
        "/home",
        "/var",
        "/usr",
        "/bin",
        "/./",
        "public_html",
        "/home/nancy",
        "/etc/site",
        "/var/www",
        "/Users/nancy",
        "/var/www/../../etc",
    ],
)
def test_ssh_path_that_is_a_root_a_system_or_home_folder_or_leaves_its_folder_is_refused(value):
    tasks = importlib.import_module("tasks")
    assert tasks.path_refusal(value), value


@pytest.mark.parametrize(
    ("value", "used"),
    [
        ("//var//www//site/", "/var/www/site"),
        ("/var/./www/site", "/var/www/site"),
        ("/srv/site", "/srv/site"),
        ("public_html/healing", "public_html/healing"),
        ("/home/nancy/public_html", "/home/nancy/public_html"),
    ],
)
def test_ssh_path_is_sent_in_its_canonical_form(value, used):
    tasks = importlib.import_module("tasks")
    assert not tasks.path_refusal(value)
    assert tasks.publish_settings({**GOOD, "SSH_PATH": value})["SSH_PATH"] == used


def test_a_siteurl_scheme_and_host_are_read_in_any_case(monkeypatch):
    monkeypatch.delenv("SITEURL", raising=False)
    publishconf = importlib.import_module("publishconf")
    assert publishconf.checked_siteurl("HTTPS://Example.ORG/Healing/") == "https://example.org/Healing"


@pytest.mark.slow  # starts the command line (make, python -m tools.build) in new processes
def test_every_way_to_build_follows_every_other_and_none_runs_publishconf(project):
    (project / "publishconf.py").write_text("raise SystemExit('zq: publishconf.py was run')\n")
    article = project / "content" / "acupressure-for-back-pain.md"
    module = [sys.executable, "-m", "tools.build"]
    for n, command in enumerate([module, ["make", "--no-print-directory", "build"], module, ["invoke", "build"]]):
        article.write_text(article.read_text() + f"\nZq change {n}.\n")  # each build reads it again, the rest cached
        command = [str(ROOT / ".venv" / "bin" / "invoke"), "build"] if command[0] == "invoke" else command
        result = subprocess.run(
            command, cwd=with_make(project), capture_output=True, text=True, env=WIDE_LOG_ENV, timeout=600
        )
        assert result.returncode == 0, (command, result.stderr)
        assert f"Zq change {n}." in (project / "output" / ARTICLE).read_text()
