"""The hub's ways to touch files outside the built site: read a file of the checkout
without following a link, read a file packaged with hub_builder, and write a file whole or
not at all.

``read_inside(root, path, limit)`` is how every file the build or ``validate`` reads from the
checkout is read (source files, feeds, snapshots, history, reports, ``mkdocs.yml``, the
hand-written pages): ``path`` must be a regular file inside the folder ``root``, and no part
of it below ``root`` may be a symbolic link. Each folder on the way and the file itself are
opened with ``O_NOFOLLOW`` relative to the one before (so a link swapped in between a check
and the read is refused too), and the file's type is checked on the open descriptor.
Anything else raises :class:`errors.RefusedFile` before a byte is read; its message names
the path as given, never where a link leads. A file that does not exist raises
``FileNotFoundError`` as usual.

``write_atomic(path, content)`` writes a temporary file beside ``path``, flushes it to disk
and renames it over ``path``, so a reader (or a crash) never sees half a file. Every file the
hub writes outside the site goes through it: the change history, feed snapshots, Register
snapshots, the link report, CODEOWNERS, new organisation files and the last build's stamp.
Files are written readable by everyone (0644), as files in a repository are. In the site
being built, the HTML check rewrites each page through it too, with the page's own mode and
without waiting for the disk (the site is swapped in whole afterwards).
``package_text(*parts)`` reads a text file shipped inside the package (schemas, templates).

    read_inside(Path("sources"), Path("sources/history.json"), limit=50_000_000)
    write_atomic(Path("sources/history.json"), text.encode("utf-8"))
    package_text("schema", "organisation.schema.json")
"""

from __future__ import annotations

import errno
import fcntl
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from hub_builder.errors import RefusedFile

FILE_MODE = 0o644
FOLDER_MODE = 0o755
_NO_LINK = os.O_NOFOLLOW | os.O_CLOEXEC
_FOLDER = os.O_RDONLY | os.O_DIRECTORY | _NO_LINK
_FILE = os.O_RDONLY | os.O_NONBLOCK | _NO_LINK  # O_NONBLOCK: a FIFO cannot hold the open


def read_inside(root: Path, path: Path, limit: int) -> bytes:
    """The bytes of ``path``, a regular file inside ``root`` reached without a link, at most
    ``limit`` of them; raises :class:`errors.RefusedFile` (or ``FileNotFoundError``)."""
    shown = str(path)
    parts = _parts_below(root, path)
    if parts is None:
        raise RefusedFile(shown, f"it leads outside {root.name}/; keep the file inside it")
    with _opened(root, parts, shown) as descriptor:
        size = os.fstat(descriptor).st_size
        if size > limit:
            raise RefusedFile(shown, f"it is {size:,} bytes; the limit is {limit:,}")
        content = _read_up_to(descriptor, limit + 1)
    if len(content) > limit:
        raise RefusedFile(shown, f"it is larger than the limit of {limit:,} bytes")
    return content


def files_below(root: Path) -> tuple[list[Path], list[RefusedFile]]:
    """Every regular file below the folder ``root``, in a fixed order, found without
    following a link; and a :class:`errors.RefusedFile` for each link or other entry that
    is not a regular file or a folder (none of them is looked into)."""
    found: list[Path] = []
    refused: list[RefusedFile] = []
    if not root.is_dir():
        return found, refused
    for folder, folders, names, descriptor in os.fwalk(root, follow_symlinks=False):
        kept = []
        for name in sorted({*folders, *names}):
            mode = os.stat(name, dir_fd=descriptor, follow_symlinks=False).st_mode
            if stat.S_ISDIR(mode):
                kept.append(name)
            elif stat.S_ISREG(mode):
                found.append(Path(folder, name))
            else:
                refused.append(
                    RefusedFile(str(Path(folder, name)), f"{_kind(mode)}; {_ONLY_FILES}")
                )
        folders[:] = kept
    return found, refused


_ONLY_FILES = "the hub reads only regular files, never links: put the file itself in its place"


def _parts_below(root: Path, path: Path) -> list[str] | None:
    """The names from ``root`` down to ``path`` (both taken as written, ``..`` resolved
    without looking at the disk), or None when ``path`` is not below ``root``."""
    base = Path(os.path.abspath(root))
    target = Path(os.path.abspath(path))
    try:
        relative = target.relative_to(base)
    except ValueError:
        return None
    parts = list(relative.parts)
    return parts or None


class _opened:
    """Each folder from ``root`` down, then the file, opened relative to the last and
    without following a link; the file's descriptor, checked to be a regular file."""

    def __init__(self, root: Path, parts: list[str], shown: str) -> None:
        self.root, self.parts, self.shown = root, parts, shown
        self.descriptors: list[int] = []

    def __enter__(self) -> int:
        try:
            self.descriptors.append(os.open(self.root, os.O_RDONLY | os.O_DIRECTORY))
            for name in self.parts[:-1]:
                self.descriptors.append(self._open(name, _FOLDER, "a folder on its way"))
            descriptor = self._open(self.parts[-1], _FILE, "it")
            self.descriptors.append(descriptor)
            mode = os.fstat(descriptor).st_mode
            if not stat.S_ISREG(mode):
                raise RefusedFile(self.shown, f"{_kind(mode)}; {_ONLY_FILES}")
        except BaseException:
            self.__exit__()
            raise
        return descriptor

    def _open(self, name: str, flags: int, what: str) -> int:
        try:
            return os.open(name, flags, dir_fd=self.descriptors[-1])
        except OSError as exc:
            # O_NOFOLLOW met a link: ELOOP, or ENOTDIR where a folder was asked for
            if exc.errno in (errno.ELOOP, errno.ENOTDIR) and self._is_link(name):
                reason = f"{what} is a symbolic link; {_ONLY_FILES}"
                raise RefusedFile(self.shown, reason) from None
            raise

    def _is_link(self, name: str) -> bool:
        mode = os.stat(name, dir_fd=self.descriptors[-1], follow_symlinks=False).st_mode
        return stat.S_ISLNK(mode)

    def __exit__(self, *_: object) -> None:
        for descriptor in reversed(self.descriptors):
            os.close(descriptor)
        self.descriptors.clear()


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "it is a symbolic link"
    if stat.S_ISDIR(mode):
        return "it is a folder"
    return "it is not a regular file (a device, pipe or socket)"


def _read_up_to(descriptor: int, count: int) -> bytes:
    chunks: list[bytes] = []
    left = count
    while left > 0:
        chunk = os.read(descriptor, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


@contextmanager
def held_lock(path: Path, waiting: Callable[[], None] = lambda: None) -> Iterator[None]:
    """Hold an exclusive lock on the file ``path`` (made if need be) for the block: one
    holder at a time, across processes. When another holds it, ``waiting()`` is called once
    and the lock is waited for. The lock goes with the process, so a killed holder never
    leaves it held."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, FILE_MODE)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting()
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing the descriptor lets the lock go


def make_public(tree: Path) -> None:
    """Every folder in ``tree`` (itself included) 0755 and every file 0644, whatever the
    umask they were made under: what a web server needs to serve them."""
    tree.chmod(FOLDER_MODE)
    for _, folders, files, descriptor in os.fwalk(tree, follow_symlinks=False):
        for names, mode in ((folders, FOLDER_MODE), (files, FILE_MODE)):
            for name in names:
                kind = os.stat(name, dir_fd=descriptor, follow_symlinks=False).st_mode
                if not stat.S_ISLNK(kind):  # a link has no mode of its own
                    os.chmod(name, mode, dir_fd=descriptor)


def write_atomic(path: Path, content: bytes, mode: int = FILE_MODE, durable: bool = True) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
            if durable:
                file.flush()
                os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    """Text as UTF-8 with ``\\n`` line ends."""
    write_atomic(path, text.encode("utf-8"))


def package_text(*parts: str) -> str:
    """A UTF-8 text file inside the hub_builder package."""
    return resources.files("hub_builder").joinpath(*parts).read_text("utf-8")
