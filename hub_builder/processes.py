"""Work shared with forked processes, for the stages whose work grows with the hub.

A forked child starts as a copy of this process, so what it works on is never pickled, only
what it sends back. A fork copies one thread only, and a lock another thread held would stay
held in the child: so forking is used only on Linux and the like (macOS's system libraries
are not safe to fork, and Windows cannot), from a process running a single thread (as a
build does; ``vtq-hub serve``, say, runs more). Otherwise the work is done in this process,
with the same result.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any, TypeVar

from hub_builder.errors import BuildError

Here = TypeVar("Here")
There = TypeVar("There")


def can_fork() -> bool:
    return (
        sys.platform != "darwin"
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    )


@contextmanager
def forked(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``workers`` forked processes (see :func:`pool_of`). Printed text still
    buffered is written first: each child would write its copy again when it ends."""
    sys.stdout.flush()
    sys.stderr.flush()
    with pool_of(workers, "fork") as pool:
        yield pool


@contextmanager
def pool_of(workers: int, start_method: str) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``workers`` processes started by ``start_method``: "fork", or "spawn" (a
    fresh interpreter each, never a copy of this process). Work not started is cancelled on
    an error."""
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
        with forked(1) as child:
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
