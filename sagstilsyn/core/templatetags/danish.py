"""Danish numbers in the templates (`{% load danish %}`): `{{ n|tal }}` writes 29272 as "29.272", and
`{{ n|antal:"ny sag,nye sager" }}` writes "1 ny sag" and "1.927 nye sager" (sagstilsyn.core.numbers).

Django's own thousands separator (USE_THOUSAND_SEPARATOR) stays off on purpose: it would also write ids
and years handed to a template as numbers ("/sager/1.234/", "2.026").
"""

from __future__ import annotations

from django import template
from django.core.paginator import Paginator

from sagstilsyn.core.numbers import number_text

register = template.Library()


@register.filter(name="tal")
def tal(value: object) -> str:
    """`{{ 29272|tal }}` → "29.272"."""
    return number_text(value)


@register.filter(name="antal")
def antal(value: object, forms: str) -> str:
    """`{{ n|antal:"ny sag,nye sager" }}` → "1 ny sag", "0 nye sager", "1.927 nye sager"."""
    singular, _, plural = forms.partition(",")
    try:
        one = int(str(value)) == 1
    except ValueError:
        one = False
    return f"{number_text(value)} {singular if one or not plural else plural}"


@register.filter(name="elided_pages")
def elided_pages(paginator: Paginator[object], number: int) -> list[int | str]:
    """A pager's page numbers around page `number`, with gaps (…) for the rest: 1 … 4 5 6 7 8 … 20."""
    return list(paginator.get_elided_page_range(number, on_each_side=2, on_ends=1))
