"""Write a synthetic hub of realistic size: fictional awarding organisations only.

Every organisation is called "Synthetic Awarding Body NNN" (acronym SABNNN, recognition
number RN9NNNN) and every date is made up: the output is for benchmarks, never for sources/.

    python benchmarks/synthetic_hub.py /tmp/hub --organisations 250 --dates 400

writes ``/tmp/hub/national.yaml`` and ``/tmp/hub/organisations/sab-NNN.yaml``: 250 x 400 =
100,000 key dates, spread over three academic years, with 8 qualification groups each.
"""

from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from pathlib import Path

SUBJECTS = (
    "Applied Science",
    "Business",
    "Health and Social Care",
    "Engineering",
    "Sport and Exercise Science",
    "Information Technology",
    "Creative Media",
    "Construction",
    "Hospitality",
    "Childcare",
    "Digital Production",
    "Agriculture",
)
GROUP_STEMS = (
    ("Nationals", "Applied General Qualification", "3"),
    ("Technicals", "Technical Qualification", "3"),
    ("Tech Awards", "Vocationally Related Qualification", "1/2"),
    ("Certificates", "Occupational Qualification", "2"),
    ("Diplomas", "Other Vocational Qualification", "3"),
    ("Awards", "Vocationally Related Qualification", "2"),
    ("Graded Exams", "Performing Arts Graded Qualification", "1"),
    ("Extended Certificates", "Applied General Qualification", "3"),
)
KINDS = (
    ("registration", "Registration deadline"),
    ("entries", "Entries deadline"),
    ("checkpoint", "Term-time checkpoint"),
    ("assessment-window", "Assessment window"),
    ("claims", "Certification claims deadline"),
    ("results-to-centres", "Results released to centres"),
    ("results-to-learners", "Results day"),
    ("certificates", "Certificates despatched"),
    ("post-results-services", "Post-results services deadline"),
    ("resits", "Resit entries deadline"),
    ("other", "Moderation visit window"),
)
YEARS = (2025, 2026, 2027)


def organisation_yaml(number: int, dates: int, rng: random.Random) -> str:
    oid = f"sab-{number:03d}"
    lines = [
        f"id: {oid}",
        f"name: Synthetic Awarding Body {number:03d}",
        f"acronym: SAB{number:03d}",
        f"recognition_number: RN9{number:04d}",
        f"website: https://example.org/{oid}/",
        f"source_url: https://example.org/{oid}/about",
        "checked_on: 2026-11-01",
        "qualification_groups:",
    ]
    groups = []
    for index, (stem, qtype, level) in enumerate(GROUP_STEMS):
        subject = SUBJECTS[(number + index) % len(SUBJECTS)]
        gid = f"group-{index}"
        groups.append(gid)
        lines += [
            f"  - id: {gid}",
            f"    name: SAB{number:03d} {subject} {stem}",
            f"    qualification_type: {qtype}",
            f'    levels: ["{level}"]',
            f"    progression: {'true' if index < 4 else 'false'}",
            f"    source_url: https://example.org/{oid}/{gid}",
        ]
    lines.append("key_dates:")
    for index in range(dates):
        kind, title = KINDS[index % len(KINDS)]
        year = YEARS[index % len(YEARS)]
        start = date(year - 1, 9, 1) + timedelta(days=rng.randrange(330))
        group = groups[index % len(groups)]
        lines += [
            f"  - id: date-{index}",
            f"    title: {title} {index} for {SUBJECTS[index % len(SUBJECTS)]}",
            f"    kind: {kind}",
            f"    start: {start.isoformat()}",
        ]
        if kind in ("assessment-window", "checkpoint"):
            lines.append(f"    end: {(start + timedelta(days=14)).isoformat()}")
        lines += [
            f"    series: Summer {year}",
            f"    applies_to: [{group}]",
            f"    status: {('confirmed', 'provisional')[index % 2]}",
            f"    source_url: https://example.org/{oid}/dates",
        ]
    return "\n".join(lines) + "\n"


NATIONAL = """checked_on: 2026-11-01
results_days:
  - id: level-3-results-day-2027
    title: Synthetic Level 3 results day
    date: 2027-08-12
    levels: ["3"]
    series: Summer 2027
    source_url: https://example.org/national/results-days
  - id: level-2-results-day-2027
    title: Synthetic Level 2 results day
    date: 2027-08-19
    levels: ["1/2", "2"]
    series: Summer 2027
    source_url: https://example.org/national/results-days
dates: []
rules: []
"""


def write_hub(folder: Path, organisations: int, dates: int, seed: int = 2026) -> None:
    rng = random.Random(seed)
    (folder / "organisations").mkdir(parents=True, exist_ok=True)
    (folder / "national.yaml").write_text(NATIONAL, "utf-8")
    for number in range(1, organisations + 1):
        text = organisation_yaml(number, dates, rng)
        (folder / "organisations" / f"sab-{number:03d}.yaml").write_text(text, "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--organisations", type=int, default=250)
    parser.add_argument("--dates", type=int, default=400, help="key dates per organisation")
    args = parser.parse_args()
    write_hub(args.folder, args.organisations, args.dates)


if __name__ == "__main__":
    main()
