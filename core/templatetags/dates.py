"""Template filters for dates known only to the year or the month (core.periods.partial_date), and periods as a
reader writes them (core.periods.period_in_words)."""

from django import template

from core.choices import DatePrecision
from core.periods import partial_date, period_in_words

register = template.Library()


@register.filter(name="partial_date")
def partial_date_filter(on, precision=DatePrecision.DAY) -> str:
    """``{{ step.on|partial_date:step.precision }}``."""
    return partial_date(on, precision or DatePrecision.DAY)


@register.filter(name="period_in_words")
def period_in_words_filter(label) -> str:
    """``{{ "2017-H1"|period_in_words }}``: "6 tháng đầu năm 2017", where a page reads a period (never in a field
    where it is typed, which keeps 2017-H1)."""
    return period_in_words(str(label))
