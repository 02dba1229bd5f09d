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
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager


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
