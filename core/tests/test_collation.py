"""Names in Vietnamese alphabetical order (issue 18, item 7): the Vietnamese alphabet (a ă â b c d đ e ê ...), tones
second, case third, on SQLite (core.collation's key) and PostgreSQL (ICU), in lists, their exports, sorting by a
column, filtered lists and the API, and the choices of forms."""

import csv
import io
import random

import pytest
from django.db import connection

from agreements.testing.factories import AgreementFactory
from core.collation import collated, sort_key
from core.models import Country
from core.testing.world import login, make_unit
from partners.forms import PartnerForm
from partners.models import Partner
from partners.testing.factories import PartnerFactory

pytestmark = pytest.mark.django_db

# In the order of a Vietnamese dictionary: i before u whatever the tone (Chính before Chungcheong); đ is a letter of
# its own after d (Dương before Đà Lạt); a, ă, â are three letters; a tone, then the case, only part equal words.
NAMES = [
    "Ai Cập",
    "Anh",
    "Áo",
    "Ăng-gô-la",
    "Ấn Độ",
    "Battambang",
    "Bằng Tường",
    "các tổ chức phi chính phủ nước ngoài",
    "Canada",
    "Chính phủ Lào",
    "Chungcheong Nam",
    "Chương trình định cư con người Liên hợp quốc",
    "Dương",
    "Đà Lạt",
    "Đông Giang",
    "Hoa Kỳ",
    "Hồ Nam",
    "Ôn Châu",
    "Ơn Thành",
    "Uganda",
    "Ưu Đàm",
    "Zambia",
]


def test_the_key_orders_as_a_vietnamese_dictionary():
    assert sorted(random.Random(18).sample(NAMES, len(NAMES)), key=sort_key) == NAMES
    assert sorted(["Chungcheong", "Chính phủ", "Đà Nẵng", "Dương"], key=sort_key) == [
        "Chính phủ",
        "Chungcheong",
        "Dương",
        "Đà Nẵng",
    ]
    assert sorted(["Mạ", "Má", "Mã", "Mả", "Mà", "Ma"], key=sort_key) == ["Ma", "Mà", "Mả", "Mã", "Má", "Mạ"]
    assert sorted(["Ba", "ba", "Bà"], key=sort_key) == ["ba", "Ba", "Bà"]
    # Spaces and punctuation come before letters, digits before letters: "Hội An" before "Hội An Tây", "Hội Anh".
    assert sorted(["Hội Anh", "Hội An Tây", "Hội An", "2 Hội"], key=sort_key) == [
        "2 Hội",
        "Hội An",
        "Hội An Tây",
        "Hội Anh",
    ]


def test_the_database_orders_as_the_key(world):
    for name in NAMES[::-1]:
        PartnerFactory(owner=world.danang, name_vi=name)
    rows = collated(Partner.objects.unrestricted("the test reads every row").order_by("name_vi"))
    assert [partner.name_vi for partner in rows] == NAMES, connection.vendor
    backwards = collated(Partner.objects.unrestricted("the test reads every row").order_by("-name_vi"))
    assert [partner.name_vi for partner in backwards] == NAMES[::-1]


def test_a_foreign_key_sorts_by_its_models_order_collated(world):
    """``order_by("owner")`` sorts by the unit's own order, its name among the rest: collated too."""
    first = make_unit("da-nang.ban-chinh-tri", "Ban Chính trị", "department", parent=world.danang)
    second = make_unit("da-nang.ban-chung", "Ban Chungcheong", "department", parent=world.danang)
    PartnerFactory(owner=second, name_vi="Thành phố Asan")
    PartnerFactory(owner=first, name_vi="Thành phố Suwon")
    rows = collated(Partner.objects.filter(owner__in=[first, second]).order_by("owner", "key"))
    assert [partner.owner for partner in rows.unrestricted("the test reads every row")] == [first, second]


def _partners(world):
    for name in NAMES[::-1]:
        PartnerFactory(owner=world.danang, name_vi=name, name_en="")


def _names(html: str) -> list[str]:
    return [name for name in NAMES if name in html]


def test_a_list_its_sorted_column_and_its_export_follow_the_vietnamese_order(client, world):
    _partners(world)
    login(client, world.province_editor)
    page = client.get("/partners/", {"page_size": 100}).content.decode()
    positions = [page.index(f">{name}<") for name in NAMES]
    assert positions == sorted(positions), "the list in Vietnamese order"
    page = client.get("/partners/", {"page_size": 100, "sort": "-name"}).content.decode()
    positions = [page.index(f">{name}<") for name in NAMES]
    assert positions == sorted(positions, reverse=True), "sorted by the name column, backwards"
    filtered = client.get("/partners/", {"page_size": 100, "kind": "locality"}).content.decode()
    positions = [filtered.index(f">{name}<") for name in NAMES]
    assert positions == sorted(positions), "a filtered list too"
    export = client.get("/partners/", {"export": "csv"}).content.decode("utf-8-sig")
    assert [row[0] for row in csv.reader(io.StringIO(export))][1:] == NAMES
    # The export follows the column sort on screen too (export equals screen).
    export = client.get("/partners/", {"export": "csv", "sort": "-name"}).content.decode("utf-8-sig")
    assert [row[0] for row in csv.reader(io.StringIO(export))][1:] == NAMES[::-1]


def test_the_api_lists_in_vietnamese_order(client, world):
    _partners(world)
    login(client, world.province_editor)
    answer = client.get("/api/v1/partners/", {"kind": "locality", "page_size": 100}).json()
    rows = answer["results"] if isinstance(answer, dict) else answer
    assert [row["name_vi"] for row in rows] == NAMES


def test_form_choices_follow_the_vietnamese_order(world):
    countries = ["Ấn Độ", "Anh", "Đan Mạch", "Dominica", "Chile", "Chính quốc", "Áo"]
    for index, name in enumerate(countries):
        Country.objects.create(iso2=f"Z{chr(65 + index)}", name_vi=name, name_en=name)
    form = PartnerForm(user=world.province_editor)
    shown = [label for _value, label in form.fields["country"].choices if label in countries]
    assert shown == ["Anh", "Áo", "Ấn Độ", "Chile", "Chính quốc", "Dominica", "Đan Mạch"]
    units = [str(unit) for unit in form.fields["owner"].queryset]
    assert units.index("Sở Tư pháp Đà Nẵng") < units.index("Sở Văn hóa Đà Nẵng")


def test_a_filter_that_joins_many_rows_keeps_one_row_each_in_vietnamese_order(client, world):
    """A filter through a many-to-many (an agreement's parties) asks for distinct rows: the collated order must go with
    it (PostgreSQL refuses an ORDER BY outside the distinct rows' columns)."""
    yongin = PartnerFactory(owner=world.danang, name_vi="Thành phố Yongin")
    suwon = PartnerFactory(owner=world.danang, name_vi="Thành phố Suwon")
    titles = ["Biên bản ghi nhớ với Suwon", "Chương trình hợp tác với Yongin", "Đề án hợp tác với Yongin và Suwon"]
    for title in reversed(titles):
        AgreementFactory(owner=world.danang, title=title, parties=[yongin, suwon])
    login(client, world.province_editor)
    response = client.get("/agreements/", {"country": "KR", "sort": "title"})
    page = response.content.decode()
    assert response.status_code == 200
    assert [page.count(f">{title}<") for title in titles] == [1, 1, 1]
    positions = [page.index(f">{title}<") for title in titles]
    assert positions == sorted(positions)
