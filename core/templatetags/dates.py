"""Template filters for dates known only to the year or the month (core.periods.partial_date)."""

from django import template

from core.choices import DatePrecision
from core.periods import partial_date

register = template.Library()


@register.filter(name="partial_date")
def partial_date_filter(on, precision=DatePrecision.DAY) -> str:
    """``{{ step.on|partial_date:step.precision }}``."""
    return partial_date(on, precision or DatePrecision.DAY)
