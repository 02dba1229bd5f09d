"""The network side of the link check and the Register cross-check, on the hub's one client.

``http_checker(client, today)`` checks one URL for :func:`links.check_links`: HEAD, then GET
when HEAD is refused, redirects recorded. ``api_getter(client, base)`` GETs a Register API
path for :func:`register.fetch_snapshot`: parsed JSON, or None when the API answers 404.
Every request goes through :class:`http.HttpClient` and its :class:`http.Policy` (https only
unless loopback is allowed for tests, timeouts, size cap, redirects re-checked per hop).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from hub_builder.errors import FetchFailed
from hub_builder.http import HttpClient, Policy
from hub_builder.links import Checker
from hub_builder.register import REGISTER_API, GetJson
from hub_builder.status import LinkResult

#: Link checks are quick looks, not downloads: short timeouts, one retry, no body read.
LINK_POLICY = Policy(connect_timeout=5.0, read_timeout=10.0, deadline=30.0, retries=1)


def http_checker(client: HttpClient, today: date) -> Checker:
    """Check a URL with the hub's HTTP client: HEAD, then GET when HEAD is refused."""

    def check(url: str) -> LinkResult:
        try:
            response = client.probe(url)
        except FetchFailed as exc:
            return LinkResult(url, False, exc.status, str(exc), today)
        return LinkResult(
            url,
            True,
            response.status,
            f"HTTP {response.status}",
            today,
            final_url=response.url if response.url != url else "",
            redirects=response.redirects,
        )

    return check


def api_getter(client: HttpClient, base: str = REGISTER_API) -> GetJson:
    """GET ``base + path`` with the hub's HTTP client; None for 404 (not on the Register)."""

    def get_json(path: str) -> Any:
        try:
            response = client.get(base.rstrip("/") + path)
        except FetchFailed as exc:
            if exc.status == 404:
                return None
            raise
        try:
            return json.loads(response.body)
        except ValueError as exc:
            raise FetchFailed(f"{path}: the Register's answer is not JSON ({exc})") from exc

    return get_json
