"""Preview the site on 127.0.0.1, rebuilding when sources, pages, theme or config change.

Uses mkdocs' own live-reload server over the built ``out`` folder. A rebuild that fails
(an invalid source, say) reports its problems through ``on_problems`` and keeps serving the
last good build. Blocks until interrupted.
"""

from __future__ import annotations

from collections.abc import Callable

from hub_builder.errors import HubError
from hub_builder.pipeline import BuildOptions, Progress, build


def serve(
    options: BuildOptions, *, port: int, progress: Progress, on_problems: Callable[[HubError], None]
) -> None:
    from mkdocs.livereload import LiveReloadServer

    def rebuild() -> None:
        try:
            build(options, progress)
        except HubError as exc:
            on_problems(exc)

    rebuild()
    server = LiveReloadServer(
        builder=rebuild, host="127.0.0.1", port=port, root=str(options.out.resolve())
    )
    for watched in options.inputs:
        if watched.exists():
            server.watch(str(watched.resolve()))
    progress(f"Serving on http://127.0.0.1:{port}/ (Ctrl+C to stop)")
    try:
        server.serve()  # type: ignore[no-untyped-call]
    finally:
        server.shutdown()
