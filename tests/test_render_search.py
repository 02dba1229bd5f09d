"""What an organisation page gives the search index: each date title and description once."""

from __future__ import annotations

from dataclasses import replace

from hub_builder.render.output import fragment_marker
from hub_builder.render.pages import organisation_page
from hub_builder.status.report import status_report
from tests.conftest import fixture_hub

IGNORED = " data-pagefind-ignore>"


def test_a_repeated_title_or_description_is_searched_where_it_first_appears() -> None:
    hub = fixture_hub()
    [org] = hub.organisations
    first = org.key_dates[-1]
    again = replace(first, id=f"{first.id}-again", description="Check the guidance.")
    once_more = replace(first, id=f"{first.id}-once-more", description="Check the guidance.")
    org = replace(org, key_dates=(*org.key_dates, again, once_more))
    hub = replace(hub, organisations=(org,))

    output = organisation_page(hub, org, "2026-27", status_report(hub).row(org.id))
    html = "".join(output.fragments)

    title = f">{first.title}</span>"
    assert html.count(title) == 3
    assert html.count(f"<span{IGNORED}{first.title}</span>") == 2
    description = ">Check the guidance.</span>"
    assert html.count(description) == 2
    assert html.count(f'<span class="hub-date__description"{IGNORED}Check the guidance.') == 1
    # Column heads and "Source" links are never searched; they repeat on every row. The
    # results-deadline tables are left out whole (the status page's business, not search's).
    searched_tables = html.count('<table class="hub-dates">') + html.count("hub-groups")
    assert html.count("<thead data-pagefind-ignore>") == searched_tables == 3
    assert html.count('<table class="hub-status-table">') == 2
    page = output.content.decode()
    assert page.count('<details class="hub-for-aos" id="for-awarding-organisations" '
                      "data-pagefind-ignore>") == 1  # fmt: skip
    aos = page.index('<details class="hub-for-aos"')
    status_tables = [
        fragment_marker(index)
        for index, block in enumerate(output.fragments)
        if block.startswith('<table class="hub-status-table">')
    ]
    assert len(status_tables) == 2
    assert all(aos < page.index(m) < page.index("</details>", aos) for m in status_tables)
    assert html.count('class="hub-source"') == html.count("data-pagefind-ignore>Source")
