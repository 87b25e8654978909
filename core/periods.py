"""Reporting periods as written in commands and the API: ``2013``, ``2017-H1``, ``2017-H2``, ``2016/2020``.

Calendar bounds are used here; a reporting regime's data cut-off (Decree 09/2019/NĐ-CP, Art. 12:
half-year data from 15 December to 14 June) is applied by the regime, not by the period.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.choices import DatePrecision

_PATTERN = re.compile(r"^\s*(?P<start>\d{4})(?:-H(?P<half>[12])|/(?P<end>\d{4}))?\s*$", re.IGNORECASE)
MIN_YEAR, MAX_YEAR = 1945, 2100


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


@dataclass(frozen=True, order=True)
class Period:
    """A year, a half-year or a span of whole years."""

    start: dt.date
    end: dt.date
    label: str

    @classmethod
    def parse(cls, text: str) -> "Period":
        """Parse ``2013``, ``2017-H1`` or ``2016/2020``; raise ValidationError with a clear message."""
        match = _PATTERN.match(str(text or ""))
        if not match:
            raise ValidationError(
                _("“%(value)s” is not a period: write 2013, 2017-H1, 2017-H2 or 2016/2020."),
                code="invalid_period",
                params={"value": str(text)[:40]},
            )
        start_year = int(match["start"])
        end_year = int(match["end"]) if match["end"] else start_year
        if not (MIN_YEAR <= start_year <= MAX_YEAR and MIN_YEAR <= end_year <= MAX_YEAR):
            raise ValidationError(_("The year must be between 1945 and 2100."), code="invalid_period")
        if end_year < start_year:
            raise ValidationError(_("A span must end after it starts."), code="invalid_period")
        if match["half"] == "1":
            return cls(dt.date(start_year, 1, 1), dt.date(start_year, 6, 30), f"{start_year}-H1")
        if match["half"] == "2":
            return cls(dt.date(start_year, 7, 1), dt.date(start_year, 12, 31), f"{start_year}-H2")
        label = str(start_year) if end_year == start_year else f"{start_year}/{end_year}"
        return cls(dt.date(start_year, 1, 1), dt.date(end_year, 12, 31), label)

    @property
    def kind(self) -> str:
        if "-H" in self.label:
            return "half_year"
        return "span" if "/" in self.label else "year"

    def previous(self) -> "Period":
        """The period of the same length just before: 2012 for 2013, 2016-H2 for 2017-H1. Built, not parsed: the
        period before the first year a user may ask for (1944 for 1945) is one in which nothing is found."""
        if self.kind == "half_year":
            year, half = int(self.label[:4]), self.label[-1]
            # H1's predecessor is H2 of the year before; H2's is H1 of the same year.
            if half == "1":
                return Period(dt.date(year - 1, 7, 1), dt.date(year - 1, 12, 31), f"{year - 1}-H2")
            return Period(dt.date(year, 1, 1), dt.date(year, 6, 30), f"{year}-H1")
        years = self.end.year - self.start.year + 1
        start, end = self.start.year - years, self.end.year - years
        label = str(start) if years == 1 else f"{start}/{end}"
        return Period(dt.date(start, 1, 1), dt.date(end, 12, 31), label)

    def year_before(self) -> "Period":
        """The period a report compares with ("so với cùng kỳ năm trước"): the same half of the year before for a
        half-year (2016-H1 for 2017-H1), else the period just before (:meth:`previous`)."""
        if self.kind == "half_year":
            year, half = int(self.label[:4]) - 1, self.label[-1]
            start, end = (
                (dt.date(year, 1, 1), dt.date(year, 6, 30))
                if half == "1"
                else (dt.date(year, 7, 1), dt.date(year, 12, 31))
            )
            return Period(start, end, f"{year}-H{half}")
        return self.previous()

    @property
    def words(self) -> str:
        """The period as a reader writes it, in the page's language: "6 tháng đầu năm 2017", "năm 2013", "giai đoạn
        2016-2020". Pages show these; the label (2017-H1) stays what a user types and the API answers."""
        if self.kind == "half_year":
            half = _("first half of %(year)s") if self.label.endswith("H1") else _("second half of %(year)s")
            return str(half) % {"year": self.end.year}
        if self.kind == "span":
            return _("period %(start)s-%(end)s") % {"start": self.start.year, "end": self.end.year}
        return _("year %(year)s") % {"year": self.label}

    def __str__(self) -> str:
        return self.label


def period_in_words(label: str) -> str:
    """``label`` (2017-H1, 2013, 2016/2020) as a reader writes it (:attr:`Period.words`); a label that is not a
    period (a stored row of an older form) is shown as it is rather than failing the page."""
    try:
        return Period.parse(label).words
    except ValidationError:
        return str(label)
