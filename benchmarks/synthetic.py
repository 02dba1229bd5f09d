"""Write a deterministic synthetic hub of fictional awarding organisations for benchmarks.

    python benchmarks/synthetic.py --scale hub --out /tmp/hub-sources

Every organisation is "Example Awarding Body N" with example.org links: the data is made up
and never published. The same scale always gives byte-identical files (fixed seed).
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import yaml

SEED = 2026


@dataclass(frozen=True)
class Scale:
    organisations: int
    groups: int
    dates: int


SCALES = {
    "tiny": Scale(5, 50, 500),
    "small": Scale(25, 500, 5_000),
    "hub": Scale(250, 20_000, 100_000),
    "over": Scale(1_000, 80_000, 500_000),
}

KINDS = [
    "registration",
    "entries",
    "checkpoint",
    "assessment-window",
    "claims",
    "results-to-centres",
    "results-to-learners",
    "certificates",
    "post-results-services",
    "resits",
    "other",
]
TYPES = [
    "Applied General Qualification",
    "Vocationally Related Qualification",
    "Technical Qualification",
    "Occupational Qualification",
    "Other Vocational Qualification",
]
LEVELS = [["3"], ["1/2"], ["2"], ["1/2", "2"], ["3", "4"]]
SUBJECTS = [
    "Business",
    "Health and Social Care",
    "Engineering",
    "Applied Science",
    "Sport",
    "Creative Media",
    "Information Technology",
    "Construction",
    "Hospitality",
    "Childcare",
    "Agriculture",
    "Travel and Tourism",
    "Art and Design",
    "Music",
]
SUITES = ["Nationals", "Technicals", "Tech Awards", "Diplomas", "Certificates", "Extended Diplomas"]
EVENTS = [
    "Registration deadline",
    "Entry deadline",
    "Term-time checkpoint",
    "Assessment window",
    "Claims deadline",
    "Results to centres",
    "Results to learners",
    "Certificates issued",
    "Post-results services deadline",
    "Resit entries",
    "Moderation visit window",
]
FIRST_DAY = date(2025, 9, 1)
DAYS = 730  # two academic years: 2025-26 and 2026-27


def write_hub(scale: Scale, out: Path) -> None:
    rng = random.Random(SEED)
    (out / "organisations").mkdir(parents=True, exist_ok=True)
    (out / "national.yaml").write_text(NATIONAL, "utf-8")
    for index in range(scale.organisations):
        groups = _share(scale.groups, scale.organisations, index)
        dates = _share(scale.dates, scale.organisations, index)
        org = organisation(rng, index + 1, groups, dates)
        text = yaml.safe_dump(org, sort_keys=False, allow_unicode=True, width=100)
        (out / "organisations" / f"{org['id']}.yaml").write_text(text, "utf-8")


def _share(total: int, parts: int, index: int) -> int:
    return total // parts + (1 if index < total % parts else 0)


def organisation(rng: random.Random, number: int, groups: int, dates: int) -> dict[str, object]:
    org_id = f"example-ab-{number:04d}"
    site = f"https://example.org/ab-{number:04d}"
    group_list = [group(rng, site, g) for g in range(groups)]
    return {
        "id": org_id,
        "name": f"Example Awarding Body {number}",
        "acronym": f"EAB{number}",
        "recognition_number": f"RN{90000 + number}",
        "website": f"{site}/",
        "source_url": f"{site}/about",
        "maintainers": [f"@example-ab-{number:04d}/exams"],
        "compiled_on": "2026-11-01",
        "qualification_groups": group_list,
        "key_dates": [key_date(rng, site, d, group_list) for d in range(dates)],
        "guidance": [guidance(rng, site, g) for g in range(rng.randint(3, 8))],
        "contacts": [
            {
                "id": "out-of-term",
                "role": "out-of-term",
                "email": f"results@ab-{number:04d}.example.org",
                "hours": "9am to 5pm, Monday to Friday",
                "source_url": f"{site}/contact",
            }
        ],
    }


def group(rng: random.Random, site: str, index: int) -> dict[str, object]:
    name = f"{rng.choice(SUITES)} in {rng.choice(SUBJECTS)} {index + 1}"
    description = f"{name}: qualifications taught in schools and colleges."
    source_url = f"{site}/qualifications/{index + 1}"
    found: dict[str, object] = {
        "id": f"group-{index + 1}",
        "name": name,
        "qualification_type": rng.choice(TYPES),
        "levels": list(rng.choice(LEVELS)),
        "qualification_numbers": [
            f"6{rng.randint(0, 99):02d}/{rng.randint(0, 9999):04d}/{rng.choice('0123456789X')}"
        ],
        "description": description,
        "quote": {"statement": description},
        "source_url": source_url,
    }
    if rng.random() < 0.7:  # seven groups in ten have a page naming them as in scope
        found["results"] = {
            "timing": "results-day",
            "evidence": [
                {"says": "scope", "statement": f"{name} is in scope.", "source_url": source_url}
            ],
        }
    return found


def key_date(
    rng: random.Random, site: str, index: int, groups: list[dict[str, object]]
) -> dict[str, object]:
    start = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    kind = rng.randrange(len(KINDS))
    item: dict[str, object] = {
        "id": f"date-{index + 1}",
        "title": f"{EVENTS[kind]} ({rng.choice(SUBJECTS)})",
        "kind": KINDS[kind],
        "start": start.isoformat(),
    }
    if rng.random() < 0.3:
        item["end"] = (start + timedelta(days=rng.randint(1, 40))).isoformat()
    if rng.random() < 0.2:
        item["time"] = rng.choice(["09:00", "12:00", "17:00", "18:00", "23:59"])
    if groups:
        item["applies_to"] = sorted({str(rng.choice(groups)["id"]) for _ in range(2)})
    item["status"] = rng.choice(["confirmed", "confirmed", "confirmed", "provisional"])
    item["description"] = "Centres should check the awarding body's guidance for details."
    item["quote"] = {"statement": "Check our guidance for details."}
    item["source_url"] = f"{site}/key-dates#{index + 1}"
    return item


def guidance(rng: random.Random, site: str, index: int) -> dict[str, object]:
    return {
        "id": f"guide-{index + 1}",
        "title": f"Guide {index + 1} for exams officers",
        "url": f"{site}/guides/{index + 1}",
        "audience": ["exams-officers"],
        "topic": rng.choice(["results", "checkpoints", "entries", "support"]),
        "summary": "What centres need to do, and when.",
    }


NATIONAL = """\
compiled_on: 2026-11-01
results_days:
  - id: level-3-results-day-2026
    title: Example Level 3 results day
    date: 2026-08-13
    levels: ["3"]
    series: Summer 2026
    source_url: https://example.org/national/results-days
  - id: level-2-results-day-2026
    title: Example Level 2 results day
    date: 2026-08-20
    levels: ["1/2", "2"]
    series: Summer 2026
    source_url: https://example.org/national/results-days
dates: []
rules: []
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    write_hub(SCALES[args.scale], args.out)


if __name__ == "__main__":
    main()
