"""The floor: the least work that produces the hub's page content from the same sources.

Parses the YAML with PyYAML's C loader, renders one page per organisation, the all-dates
page and the home page with plain Jinja2, and writes them plus one JSON file of every date.
No validation, no model, no mkdocs, no search index. The full build's time is compared with
this one's: the ratio says what the hub's checks, theme and search cost.

    python benchmarks/floor.py --sources /tmp/hub/sources --out /tmp/hub/floor

Prints one JSON object: seconds per stage and peak memory.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

import jinja2
import yaml

PAGE = jinja2.Template(
    """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><h1>{{ title }}</h1>
<table><caption>Key dates</caption><thead><tr><th scope="col">Date</th><th scope="col">What</th>
<th scope="col">Kind</th><th scope="col">Status</th></tr></thead><tbody>
{% for d in dates %}<tr id="{{ d.id }}">
<td>{{ d.start }}{% if d.end %} to {{ d.end }}{% endif %}</td>
<th scope="row">{{ d.title }}<br>{{ d.description }} <a href="{{ d.source_url }}">Source</a></th>
<td>{{ d.kind }}</td><td>{{ d.status }}</td></tr>
{% endfor %}</tbody></table>
{% for g in groups %}
<p id="group-{{ g.id }}">{{ g.name }}: {{ g.qualification_type }}</p>{% endfor %}
{% for l in guidance %}<p><a href="{{ l.url }}">{{ l.title }}</a> {{ l.summary }}</p>{% endfor %}
</body></html>""",
    autoescape=True,
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sources", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    seconds: dict[str, float] = {}

    started = time.perf_counter()
    files = sorted((args.sources / "organisations").glob("*.yaml"))
    organisations = [yaml.load(f.read_bytes(), Loader=yaml.CSafeLoader) for f in files]
    seconds["load"] = time.perf_counter() - started

    started = time.perf_counter()
    pages: dict[str, str] = {}
    every_date = []
    for org in organisations:
        dates = sorted(org.get("key_dates", []), key=lambda d: (d["start"], d["id"]))
        every_date += [{**d, "organisation": org["id"]} for d in dates]
        pages[f"organisations/{org['id']}/index.html"] = PAGE.render(
            title=org["name"],
            dates=dates,
            groups=org.get("qualification_groups", []),
            guidance=org.get("guidance", []),
        )
    every_date.sort(key=lambda d: (d["start"], d["organisation"], d["id"]))
    pages["dates/index.html"] = PAGE.render(
        title="All key dates", dates=every_date, groups=[], guidance=[]
    )
    pages["index.html"] = PAGE.render(title="Home", dates=every_date[:8], groups=[], guidance=[])
    seconds["render"] = time.perf_counter() - started

    started = time.perf_counter()
    for path, html in pages.items():
        target = args.out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, "utf-8")
    (args.out / "dates.json").write_text(json.dumps(every_date, sort_keys=True), "utf-8")
    seconds["write"] = time.perf_counter() - started

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"stages": seconds, "total": sum(seconds.values()), "peak_mb": peak_mb}))


if __name__ == "__main__":
    main()
