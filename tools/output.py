"""Replacing output/ with a finished build, safely: a reader or a host never sees a half-written site.

A build is written into a new folder beside output/ and swapped in only when it succeeded:
- the swap is one atomic ``renameat2(RENAME_EXCHANGE)`` on Linux (output/ is never missing),
  else two renames, and a crash between them is repaired by the next build;
- when output/ is a symbolic link, the folder it points to is replaced and the link kept;
- when output/ is a mount point (which cannot be renamed), its contents are replaced file by file;
- a lock file lets one build at a time swap, so overlapping builds wait instead of failing;
- folders left by a build that was killed are removed by the next one.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def target_of(deploy: Path) -> Path:
    """The folder a build replaces: output/ itself, or the folder output/ links to."""
    return deploy.resolve() if deploy.is_symlink() else deploy


def _siblings(real: Path, kind: str) -> list[Path]:
    return sorted(real.parent.glob(f".{real.name}-{kind}-*"))


@contextlib.contextmanager
def locked(deploy: Path) -> Iterator[None]:
    """Holds the build lock of `deploy` (waiting, with a message, while another build holds it)."""
    real = target_of(deploy)
    real.parent.mkdir(parents=True, exist_ok=True)
    with open(real.parent / f".{real.name}.lock", "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            sys.stderr.write(f"Another build of {deploy.name}/ is running; waiting for it to finish…\n")
            fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def recover(deploy: Path) -> None:
    """Repairs what an interrupted build left: output/ missing after a crash between two renames
    (the previous site is put back), and staging folders of builds that were killed."""
    real = target_of(deploy)
    old = _siblings(real, "old")
    if not real.exists() and not real.is_symlink() and old:
        old[-1].rename(real)
        old = old[:-1]
    for leftover in old + _siblings(real, "new"):
        shutil.rmtree(leftover, ignore_errors=True)


def new_staging(deploy: Path) -> Path:
    """An empty folder beside output/ (on the same file system, so the swap is a rename)."""
    real = target_of(deploy)
    staging = Path(tempfile.mkdtemp(prefix=f".{real.name}-new-", dir=real.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; a web server must be able to read it
    return staging


def exchange(first: Path, second: Path) -> bool:
    """Swaps two paths atomically (Linux renameat2); False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EXDEV, errno.EPERM):
        return False
    raise OSError(code, os.strerror(code), str(second))


def publish(staging: Path, deploy: Path) -> None:
    """Puts the finished build in `staging` in place of output/ (see the module's docstring)."""
    real = target_of(deploy)
    if not real.exists():
        staging.rename(real)
    elif os.path.ismount(real):
        replace_contents(staging, real)
        shutil.rmtree(staging, ignore_errors=True)
    elif exchange(staging, real):
        shutil.rmtree(staging, ignore_errors=True)  # it now holds the previous site
    else:
        previous = real.with_name(f".{real.name}-old-{staging.name.rsplit('-', 1)[-1]}")
        real.rename(previous)
        staging.rename(real)
        shutil.rmtree(previous, ignore_errors=True)


def replace_contents(source: Path, target: Path) -> None:
    """Makes `target` hold exactly what `source` holds, replacing each file atomically."""
    wanted = set()
    for folder, _, files in os.walk(source):
        relative = Path(folder).relative_to(source)
        (target / relative).mkdir(parents=True, exist_ok=True)
        for name in files:
            wanted.add(relative / name)
            os.replace(Path(folder, name), target / relative / name)
    for folder, folders, files in os.walk(target, topdown=False):
        relative = Path(folder).relative_to(target)
        for name in files:
            if relative / name not in wanted:
                (Path(folder) / name).unlink()
        for name in folders:
            path = Path(folder, name)
            if not any(path.iterdir()):
                path.rmdir()
