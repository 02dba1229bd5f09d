"""The strict YAML loader: data, positions and every refusal with its place."""

from hub_builder.load.strict_yaml import Limits, load


def messages(text: str, limits: Limits | None = None) -> list[str]:
    return [p.format() for p in load(text.encode(), "f.yaml", limits).problems]


def test_plain_values_keep_their_text_and_dates_stay_strings() -> None:
    doc = load(b"a: NO\nb: yes\nc: on\nd: 2026-08-13\ne: 1.10\nf: true\ng: 12\nh: ~\n", "f.yaml")
    assert doc.data == {
        "a": "NO",
        "b": "yes",
        "c": "on",
        "d": "2026-08-13",
        "e": "1.10",
        "f": True,
        "g": 12,
        "h": None,
    }


def test_quoted_values_are_always_text() -> None:
    assert load(b"a: \"true\"\nb: '12'\n", "f.yaml").data == {"a": "true", "b": "12"}


def test_positions_of_values_and_keys_are_one_based() -> None:
    doc = load(b"top:\n  - id: x\n    name: Y\n", "f.yaml")
    assert doc.position(("top", 0, "name")) == (3, 11)
    assert doc.key_position(("top", 0, "name")) == (3, 5)
    assert doc.position(("top", 0, "missing")) == (2, 5)


def test_duplicate_key_names_both_lines() -> None:
    assert messages("id: a\nname: b\nid: c\n") == [
        "f.yaml:3:1: id: duplicate key 'id': it is already set on line 1; keep one"
    ]


def test_anchors_aliases_and_tags_are_refused() -> None:
    assert messages("a: &x 1\nb: *x\nc: !!python/object:os.system x\n") == [
        "f.yaml:1:4: a: anchors (&x) are not allowed; write each value out in full",
        "f.yaml:2:4: b: aliases (*x) are not allowed; write the value out in full",
        "f.yaml:3:4: c: tags (tag:yaml.org,2002:python/object:os.system) are not allowed; "
        "write a plain value, quoted if it is text",
    ]


def test_syntax_error_has_line_and_column() -> None:
    assert messages("a: [1, 2\nb: 3\n") == [
        "f.yaml:2:2: YAML syntax error: did not find expected ',' or ']'"
    ]


def test_more_than_one_document_is_refused() -> None:
    assert messages("a: 1\n---\na: 2\n") == [
        "f.yaml:2:1: only one YAML document is allowed; remove the '---'"
    ]


def test_invalid_utf8_is_reported_with_its_line() -> None:
    doc = load(b"a: 1\nb: \xff\n", "f.yaml")
    assert doc.data is None
    assert [p.format() for p in doc.problems] == [
        "f.yaml:2:1: the file is not UTF-8 text (byte 8); save it as UTF-8"
    ]


def test_limits_on_size_depth_and_count_are_reported() -> None:
    assert messages("a: 1\n" * 10, Limits(max_bytes=20)) == [
        "f.yaml:1:1: the file is 50 bytes; the limit is 20. Split it or remove old dates"
    ]
    assert messages("a: [[[[1]]]]\n", Limits(max_depth=3)) == [
        "f.yaml:1:6: nesting is deeper than 3 levels"
    ]
    assert messages("a: [1, 2, 3, 4]\n", Limits(max_nodes=4)) == [
        "f.yaml:1:8: the file has more than 4 values"
    ]


def test_keys_must_be_text() -> None:
    assert messages("? [a, b]\n: 1\n") == ["f.yaml:1:3: a key must be plain text"]


def test_positions_are_worked_out_from_the_text_the_first_time_one_is_asked_for() -> None:
    document = load(b"id: x\nname:\n  - a\n  - b\n", "x.yaml")
    places = document.places
    assert places.positions == {} and places.text is not None, "only the text is kept"
    assert document.position(("name", 1)) == (4, 5)
    assert document.key_position(("name",)) == (2, 1)
    problem = document.problem(("name", 9), "m")
    assert (problem.line, problem.col) == (3, 3), "where the nearest parent, the list, starts"
    assert places.text is None, "worked out once"
