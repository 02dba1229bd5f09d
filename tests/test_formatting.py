"""GOV.UK date and time style."""

from datetime import date, time
from urllib.parse import urlsplit

import pytest

from hub_builder.formatting import domain, govuk_date, govuk_range, govuk_time, govuk_weekday_date


def test_dates_have_no_ordinals_or_commas() -> None:
    assert govuk_date(date(2026, 8, 13)) == "13 August 2026"
    assert govuk_date(date(2027, 1, 1)) == "1 January 2027"
    assert govuk_weekday_date(date(2026, 8, 13)) == "Thursday 13 August 2026"


def test_ranges_use_to_and_drop_a_shared_year() -> None:
    assert govuk_range(date(2024, 12, 9), date(2025, 1, 31)) == "9 December 2024 to 31 January 2025"
    assert govuk_range(date(2025, 3, 1), date(2025, 4, 30)) == "1 March to 30 April 2025"
    assert govuk_range(date(2025, 3, 1), None) == "1 March 2025"


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (time(18, 0), "6pm"),
        (time(17, 30), "5:30pm"),
        (time(23, 59), "11:59pm"),
        (time(12, 0), "midday"),
        (time(0, 0), "midnight"),
        (time(0, 1), "12:01am"),
        (time(9, 5), "9:05am"),
    ],
)
def test_times(moment: time, text: str) -> None:
    assert govuk_time(moment) == text


@pytest.mark.parametrize(
    "url",
    [
        "https://www.Pearson.com/a/b?x#y",
        "http://x.org",
        "https://x.org?q",
        "https://x.org#f",
        "https://",
        "https:///p",
        "mailto:a@b",
        "https://a b/c",
        "https://a\tb/c",
        "https://user:pw@Host.COM:443/p",
        "https://[::1]/x",
        "HTTPS://X.ORG/p",
        " https://x.org/",
        "https://x.org\x00/p",
        "//x.org/p",
        "https://www./",
        "ftp://x/y",
    ],
)
def test_a_domain_is_the_address_hostname_as_urlsplit_reads_it(url: str) -> None:
    host = urlsplit(url).hostname or url
    assert domain(url) == host.removeprefix("www.")
