"""What only a large hub needs, behind one switch: the build's only forked and spawned
processes, and every other path taken for size alone.

The real hub (34 organisations, about 80 dates, 340 KB of source files) is built on one
plain path: in one process, with the garbage collector as Python runs it and the calendars
written by the icalendar library. A hub of the size ``benchmarks/run --scale hub`` makes
(250 organisations, 100,000 dates, 46 MB of source files) takes the large path, each part
of which is kept because it made that build faster (the figures and the commands that
measured them: README, "Performance and scale"):

- **load**: the garbage collector held off while the sources are read and modelled, and
  the model then left out of its scans (:func:`kept_from_gc_scans`);
- **check**: every other source file read and checked by a forked child
  (:func:`hub_builder.check.read_and_check`);
- **render**: the pages rendered and written by a forked child while the build renders the
  data files (:func:`hub_builder.render.render_into`), and the calendars written directly
  rather than through icalendar, each event once (:mod:`hub_builder.render.ics_direct`);
- **publish**: the HTML check shared among spawned processes
  (:func:`hub_builder.publish.html_policy.secure_site`).

Each part gives what the plain path gives, byte for byte (``tests/test_scale.py`` builds the
fixture hub both ways, and the real hub with forking and the collector's freezing made to
fail). Which path a build takes is decided once, before any source file is read, from their
size (:func:`is_large`, ``LARGE_FROM_BYTES``); ``BuildOptions.scale`` ("plain" or "large")
takes one path whatever the size, for the tests and the benchmarks.

A forked child starts as a copy of this process, so what it works on is never pickled, only
what it sends back. A fork copies one thread only, and a lock another thread held would stay
held in the child: so forking is used only on Linux and the like (macOS's system libraries
are not safe to fork, and Windows cannot), from a process running a single thread (as a
build does; ``vtq-hub serve``, say, runs more). Otherwise the work is done in this process,
with the same result.
"""

from __future__ import annotations

import gc
import multiprocessing
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from hub_builder.errors import BuildError

# From this many bytes of source files a hub is large: about 2,000 dates as the benchmark
# writes them, three times the real hub's 340 KB. The real hub builds faster on the plain
# path, the benchmark's small scale (5,000 dates, 2.1 MB) on the large one (README,
# "Performance and scale").
LARGE_FROM_BYTES = 1_000_000
PATHS = ("auto", "plain", "large")  # BuildOptions.scale: by size, or one path whatever it is

Here = TypeVar("Here")
There = TypeVar("There")


def is_large(source_bytes: int, path: str = "auto") -> bool:
    """Whether a build whose source files hold ``source_bytes`` takes the large path."""
    if path not in PATHS:
        raise ValueError(f"the build's path is one of {', '.join(PATHS)}, not {path!r}")
    return path == "large" or (path == "auto" and source_bytes >= LARGE_FROM_BYTES)


def size_of(paths: Iterable[Path]) -> int:
    """How many bytes the files hold (a file that cannot be read counts for nothing: reading
    it reports why)."""
    size = 0
    for path in paths:
        try:
            size += path.stat().st_size
        except OSError:
            continue
    return size


def can_fork() -> bool:
    return (
        sys.platform != "darwin"
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    )


@contextmanager
def pool_of(workers: int, start_method: str) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``workers`` processes started by ``start_method``: "fork", or "spawn" (a
    fresh interpreter each, never a copy of this process). Printed text still buffered is
    written first: a forked child would write its copy again when it ends. Work not started
    is cancelled on an error."""
    sys.stdout.flush()
    sys.stderr.flush()
    context = multiprocessing.get_context(start_method)
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        try:
            yield pool
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise


def alongside(
    *, in_child: Callable[[], There], here: Callable[[], Here], stopped: str
) -> tuple[Here, There]:
    """``in_child`` done by one forked child while ``here`` is done in this process; both
    results. The child's work may be any function (a closure included): the child is
    forked with it, and only its result is pickled. When both raise, the child's error is
    the one raised (callers give it the work that comes first); a child that dies is a
    :class:`errors.BuildError` saying what ``stopped``."""
    _FORKED_WITH.append(in_child)
    try:
        with pool_of(1, "fork") as child:
            theirs = child.submit(_do_forked_work)
            try:
                mine = here()
            except Exception:
                theirs.result()
                raise
            return mine, theirs.result()
    except BrokenProcessPool as exc:
        raise BuildError(f"{stopped} before it finished (out of memory?)") from exc
    finally:
        _FORKED_WITH.clear()


# In this process, the work a child is about to be forked with.
_FORKED_WITH: list[Callable[[], Any]] = []


def _do_forked_work() -> Any:
    return _FORKED_WITH[0]()


@contextmanager
def kept_from_gc_scans(large: bool) -> Iterator[Callable[[], None]]:
    """On a large hub's path, within it, ``keep()`` takes every object alive out of the
    garbage collector's scans until the block ends: at hub scale the model is millions of
    objects that every full collection would otherwise scan again. Garbage is collected
    first, so that none is kept with them. Until the first ``keep()``, the collector does
    not run, but while feeds are read (:func:`collecting`): reading, checking and modelling
    the source files makes those millions of objects and next to no garbage, which
    ``keep()`` then collects. On the plain path, the collector runs as Python runs it and
    ``keep()`` does nothing."""
    if not large:
        yield lambda: None
        return
    collecting = gc.isenabled()

    def keep() -> None:
        gc.collect()
        gc.freeze()
        if collecting:
            gc.enable()

    gc.disable()
    try:
        yield keep
    finally:
        gc.unfreeze()
        if collecting:
            gc.enable()


@contextmanager
def collecting() -> Iterator[None]:
    """The garbage collector running within, even inside :func:`kept_from_gc_scans` before
    its ``keep()``: feeds are untrusted text, and parsing them may leave cycles behind. When
    it was not running, what was made before (the source files, kept until the status is
    worked out) is left out of its scans, which would otherwise all start with those
    millions of objects. Where it was running (the plain path), nothing changes."""
    was_collecting = gc.isenabled()
    if not was_collecting:
        gc.freeze()
    gc.enable()
    try:
        yield
    finally:
        if not was_collecting:
            gc.disable()
