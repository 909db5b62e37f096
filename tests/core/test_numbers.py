"""Danish numbers for people: the thousands separator and singular or plural (filters `tal` and `antal`)."""

from __future__ import annotations

from django.template import Context, Template

from sagstilsyn.core.numbers import count_text, number_text


def test_a_number_gets_a_point_between_the_thousands() -> None:
    assert [number_text(n) for n in (0, 7, 999, 1927, 29272, 40000, -1234567)] == [
        "0",
        "7",
        "999",
        "1.927",
        "29.272",
        "40.000",
        "-1.234.567",
    ]
    assert number_text("20000") == "20.000"
    assert number_text(None) == ""
    assert number_text("ikke et tal") == "ikke et tal"


def test_one_is_singular_every_other_number_plural() -> None:
    assert count_text(1, "ny sag", "nye sager") == "1 ny sag"
    assert count_text(0, "ny sag", "nye sager") == "0 nye sager"
    assert count_text(1927, "ny sag", "nye sager") == "1.927 nye sager"


def test_the_template_filters() -> None:
    template = Template(
        '{% load danish %}{{ a|tal }} · {{ b|antal:"ny sag,nye sager" }} · {{ c|antal:"ny sag,nye sager" }}'
    )
    assert (
        template.render(Context({"a": 29272, "b": 1, "c": 20000})) == "29.272 · 1 ny sag · 20.000 nye sager"
    )
