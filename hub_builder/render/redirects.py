"""Pages for old organisation addresses, so bookmarks keep working.

When an organisation's id changes (a rename, a merger), its old page address must not
break: bookmarks, printed lists and calendar notes point at it. ``sources/redirects.yaml``
maps old ids to current ones (checked by :mod:`hub_builder.check.redirects`)::

    redirects:
      - from: old-id        # the id the organisation used to have
        to: new-id          # its id now: sources/organisations/new-id.yaml

Each becomes ``organisations/<old-id>/index.html``: a small page with a canonical link, a
script that goes on to the new address keeping the ``#anchor`` of a bookmarked date or
group, a meta refresh for browsers without JavaScript (which cannot keep the anchor) and a
plain link, so it works everywhere and search engines move on.

    >>> redirect_outputs([Redirect("cache", "example-awarding-body")])[0].path
    'organisations/cache/index.html'

(:func:`normalise.redirects` reads the file's entries as :class:`model.Redirect` records.)
"""

from __future__ import annotations

from collections.abc import Iterable

from jinja2 import Environment

from hub_builder.model import Redirect
from hub_builder.render.output import Output

PAGE = Environment(autoescape=True, keep_trailing_newline=True).from_string(
    """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>This page has moved - VTQ Hub</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<link rel="canonical" href="../{{ new }}/">
<script src="../../assets/moved.js"></script>
<noscript><meta http-equiv="refresh" content="0; url=../{{ new }}/"></noscript>
</head>
<body>
<main>
<h1>This page has moved</h1>
<p>The awarding organisation that was at this address is now at
<a href="../{{ new }}/">organisations/{{ new }}/</a>. Please update your bookmark.</p>
</main>
</body>
</html>
"""
)


def redirect_outputs(items: Iterable[Redirect]) -> list[Output]:
    return [
        Output(f"organisations/{r.old}/index.html", PAGE.render(new=r.new).encode("utf-8"))
        for r in items
    ]
