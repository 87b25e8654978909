"""Issue 18, item 2: the demo holds every figure of Quảng Nam's 2013 foreign-affairs summary (seed 001), with the
word the document puts before it and money in the currency it states."""

from decimal import Decimal

import pytest

from core.models import DeclaredFigure

pytestmark = pytest.mark.django_db

SUMMARY = "Tổng kết tình hình hoạt động đối ngoại năm 2013 và dự kiến chương trình hoạt động trọng tâm năm 2014"

# The 35 figures of the summary as the document writes them (reviewed against the text): indicator, year, value,
# upper value of a range, qualifier, currency. A figure the document states twice in the same words is one
# statement; "khoảng 200 tỷ đồng" and later "gần 200 tỷ đồng" are two.
FIGURES = [
    ("outgoing_leadership_delegations", "2013", 10, None, "exact", ""),  # "10 đoàn", sections I.1.a and I.2.a
    ("promotion_events_abroad", "2013", 10, None, "more_than", ""),  # "trên 10 sự kiện"
    ("fdi_new_projects", "2013", 5, None, "exact", ""),
    ("fdi_new_capital_usd", "2013", 37_500_000, None, "exact", "USD"),
    ("fdi_disbursed_usd", "2013", 57_800_000, None, "about", "USD"),  # "khoảng 57,8 triệu USD"
    ("fdi_budget_contribution_vnd", "2013", 400_000_000_000, None, "about_more_than", "VND"),  # "khoảng trên"
    ("fdi_jobs", "2013", 20_000, None, "about", ""),
    ("ngo_projects", "2013", 82, None, "exact", ""),  # sections I.1.b and I.3
    ("ngo_aid_value_vnd", "2013", 200_000_000_000, None, "about", "VND"),  # "khoảng 200 tỷ đồng"
    ("ngo_aid_value_vnd", "2013", 200_000_000_000, None, "nearly", "VND"),  # "gần 200 tỷ đồng"
    ("oda_disbursed_usd", "2013", 42_000_000, None, "about", "USD"),
    ("outgoing_delegations", "2013", 164, None, "exact", ""),
    ("outgoing_person_trips", "2013", 730, None, "exact", ""),
    ("incoming_delegations", "2013", 25, None, "exact", ""),
    ("incoming_visitors", "2013", 205, None, "exact", ""),
    ("international_conferences", "2013", 2, None, "exact", ""),
    ("foreign_press_groups", "2013", 26, None, "exact", ""),
    ("foreign_reporters", "2013", 156, None, "exact", ""),
    ("ngo_visiting_groups", "2013", 159, None, "exact", ""),
    ("ngo_visitors", "2013", 902, None, "exact", ""),
    ("foreign_volunteer_groups", "2013", 13, None, "exact", ""),
    ("foreign_volunteers", "2013", 76, None, "more_than", ""),  # "hơn 76 lượt"
    ("ngos_operating", "2013", 60, None, "more_than", ""),  # "hơn 60 tổ chức"
    ("border_markers_built", "2013", 60, None, "exact", ""),
    ("border_reference_posts_built", "2013", 5, None, "exact", ""),
    ("aid_given_value", "2014", 5_000_000_000, None, "about", "VND"),  # a clinic, "khoảng 05 tỷ đồng"
    ("gifts_given_items", "2013", 100, None, "exact", ""),
    ("foreign_students_trained", "2013", 25, None, "exact", ""),
    ("aid_received_value", "2013", 200_000_000, None, "exact", "LAK"),  # "200 triệu kíp"
    ("scholarship_rate_received", "2013", 800_000, None, "exact", "LAK"),  # "800.000 kíp/người/tháng"
    ("agreements_signed", "2013", 2, None, "exact", ""),
    ("diplomatic_anniversaries", "2013", 40, None, "exact", ""),
    ("central_allocation_requested", "2014", 10_000_000_000, 20_000_000_000, "range", "VND"),
]


def test_the_demo_holds_every_figure_of_the_2013_summary(demo):
    held = {
        (f.indicator, f.period, f.value, f.value_max, f.qualifier, f.currency)
        for f in DeclaredFigure.objects.filter(owner__key="quang-nam-legacy", source_document=SUMMARY)
    }
    expected = {
        (code, period, Decimal(value), Decimal(upper) if upper else None, qualifier, currency)
        for code, period, value, upper, qualifier, currency in FIGURES
    }
    assert expected <= held, expected - held
    # The 2012 totals the summary compares with, and the awards it lists one by one, added up.
    assert {(f.indicator, f.value) for f in DeclaredFigure.objects.filter(source_document=SUMMARY, period="2012")} >= {
        ("outgoing_delegations", 189),
        ("outgoing_person_trips", 764),
    }
    assert DeclaredFigure.objects.get(source_document=SUMMARY, indicator="awards_received", period="2013").value == 27


def test_money_keeps_the_currency_and_scale_of_its_document(demo):
    """Bắc Giang's plan: "1.391 tỷ đồng" of ODA disbursed over 2016-2020 is VND 1,391 billion, not USD 1,391."""
    figure = DeclaredFigure.objects.get(owner__key="bac-giang-legacy", indicator="oda_disbursed_vnd")
    assert (figure.period, figure.value, figure.currency) == ("2016/2020", Decimal(1_391_000_000_000), "VND")
    assert not DeclaredFigure.objects.filter(owner__key="bac-giang-legacy", indicator="oda_disbursed_usd").exists()
    assert "1.391.000.000.000 VND" in figure.value_display()


def test_a_currency_that_contradicts_the_indicator_is_refused(demo):
    from django.core.exceptions import ValidationError

    figure = DeclaredFigure.objects.get(owner__key="bac-giang-legacy", indicator="oda_disbursed_vnd")
    figure.currency = "USD"
    with pytest.raises(ValidationError) as caught:
        figure.full_clean()
    assert "currency" in caught.value.message_dict
    figure.currency = ""
    figure.full_clean()
    assert figure.currency == "VND"
