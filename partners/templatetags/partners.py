"""Template filters of the partners pages."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.translation import gettext as _

from core.choices import DatePrecision

register = template.Library()


def partial_date(on: dt.date | None, precision: str = DatePrecision.DAY) -> str:
    """A date written as precisely as its source states it: ``2013`` for a year, ``04/2013`` for a
    month, ``dd/mm/yyyy`` for a day (documents often give only "4/2013" or "2013")."""
    if on is None:
        return _("undated")
    if precision == DatePrecision.YEAR:
        return f"{on:%Y}"
    if precision == DatePrecision.MONTH:
        return f"{on:%m/%Y}"
    return f"{on:%d/%m/%Y}"


@register.filter(name="partial_date")
def partial_date_filter(on, precision=DatePrecision.DAY) -> str:
    """``{{ step.on|partial_date:step.precision }}``."""
    return partial_date(on, precision or DatePrecision.DAY)
