"""The 403 and 404 pages speak Vietnamese in the site's frame (issue 18, item 7); the 500 page stands alone."""

import pytest
from django.template.loader import render_to_string

from core.testing.world import login

pytestmark = pytest.mark.django_db


def test_a_missing_page_and_a_record_out_of_scope_answer_the_same_vietnamese_404(client, world):
    from partners.testing.factories import RelationshipFactory

    theirs = RelationshipFactory(owner=world.bacninh)
    login(client, world.viewer)
    for url in ("/no-such-page/", theirs.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 404
        page = response.content.decode()
        assert "Không tìm thấy trang" in page and 'class="navbar' in page


def test_a_refusal_is_a_vietnamese_403_in_the_frame(client, world):
    login(client, world.viewer)
    response = client.get("/partners/add/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Bạn không được thực hiện thao tác này" in page and 'class="navbar' in page


def test_the_500_page_needs_no_context():
    assert "Đã xảy ra lỗi" in render_to_string("500.html")
