import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from orderdesk.charges.models import Submission
from tests.charges.catalogues import BURGER, RESTAURANT

ROLE_CLIENTS = ["front_desk_client", "manager_client", "administrator_client", "outsider_client"]
ALLOWED = {"front_desk_client": 200, "manager_client": 200}


def expected_status(role: str) -> int:
    return ALLOWED.get(role, 403)


@pytest.mark.parametrize("role", ROLE_CLIENTS)
def test_new_charge_permission_per_role(request, cached_property, role):
    client = request.getfixturevalue(role)

    response = client.get(reverse("charges:new"))

    assert response.status_code == expected_status(role)


@pytest.mark.parametrize("role", ROLE_CLIENTS)
def test_mine_permission_per_role(request, cached_property, role):
    client = request.getfixturevalue(role)

    response = client.get(reverse("charges:mine"))

    assert response.status_code == expected_status(role)


@pytest.mark.parametrize("role", ROLE_CLIENTS)
@pytest.mark.parametrize(
    ("url_name", "params"),
    [
        ("charges:products", {"service_id": RESTAURANT}),
        ("charges:taxes", {}),
        ("charges:account_search", {"q": ""}),
        ("charges:bills", {}),
        ("charges:reservations", {}),
    ],
)
def test_partials_permission_per_role(request, cached_property, role, url_name, params):
    client = request.getfixturevalue(role)

    response = client.get(reverse(url_name), {"property": cached_property.pk, **params})

    assert response.status_code == expected_status(role)


@pytest.mark.parametrize("role", ROLE_CLIENTS)
def test_totals_permission_per_role(request, cached_property, role):
    client = request.getfixturevalue(role)

    response = client.post(reverse("charges:totals"), {"property": cached_property.pk})

    assert response.status_code == expected_status(role)


@pytest.mark.parametrize("role", ROLE_CLIENTS)
def test_result_permission_per_role(request, cached_property, front_desk_user, role):
    submission = Submission.objects.create(
        user=front_desk_user,
        property=cached_property,
        service_id=RESTAURANT,
        account_id="cust-1",
        account_type="Customer",
    )
    client = request.getfixturevalue(role)

    response = client.get(reverse("charges:result", args=[submission.key]))

    # The manager may view every user's submissions and the front desk its own.
    assert response.status_code == expected_status(role)


def test_result_hides_other_users_submission(cached_property, manager_user, front_desk_client):
    submission = Submission.objects.create(
        user=manager_user,
        property=cached_property,
        service_id=RESTAURANT,
        account_id="cust-1",
        account_type="Customer",
    )

    response = front_desk_client.get(reverse("charges:result", args=[submission.key]))

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("front_desk_client", 403),
        ("manager_client", 403),
        ("administrator_client", 303),
        ("outsider_client", 403),
    ],
)
def test_refresh_catalogue_permission_per_role(request, cached_property, role, status):
    client = request.getfixturevalue(role)

    response = client.post(reverse("charges:refresh_catalogue"), {"property": cached_property.pk})

    assert response.status_code == status


def test_new_charge_warm_render_makes_no_call(cached_property, front_desk_client, offline_calls):
    response = front_desk_client.get(reverse("charges:new"))

    assert response.status_code == 200
    assert offline_calls == []
    assert "Restaurant" in response.text
    assert "Accommodation" not in response.text
    assert "UK-S" in response.text
    assert "UK-OLD" not in response.text
    assert "UK-NEXT" not in response.text


def test_new_charge_refuses_unassigned_property(cached_property, front_desk_client):
    cached_property.users.clear()

    response = front_desk_client.get(
        reverse("charges:new"), {"property": cached_property.pk}, follow=True
    )

    assert response.redirect_chain == [(reverse("charges:new"), 303)]
    assert "not available to you any more" in response.text
    assert "No active property" in response.text


def test_new_charge_refuses_inactive_property(cached_property, front_desk_client):
    cached_property.is_active = False
    cached_property.save()

    response = front_desk_client.get(
        reverse("charges:new"), {"property": cached_property.pk}, follow=True
    )

    assert response.redirect_chain == [(reverse("charges:new"), 303)]
    assert "not available to you any more" in response.text


def test_new_charge_without_property_explains(cached_property, front_desk_client):
    cached_property.users.clear()

    response = front_desk_client.get(reverse("charges:new"))

    assert response.status_code == 200
    assert "No active property" in response.text


@pytest.mark.parametrize("value", ["abc", "999999", "1 OR 1=1"])
def test_new_charge_refuses_tampered_property(
    cached_property, front_desk_client, offline_calls, value
):
    response = front_desk_client.post(reverse("charges:new"), {"property": value})

    assert response.status_code == 303
    assert response["Location"] == reverse("charges:new")
    assert offline_calls == []


def test_new_charge_invalid_post_keeps_input(cached_property, front_desk_client, offline_calls):
    data = {
        "property": cached_property.pk,
        "submission_key": str(uuid.uuid4()),
        "service_id": RESTAURANT,
        "account_id": "",
        "account_type": "",
        "products-TOTAL_FORMS": "1",
        "products-INITIAL_FORMS": "0",
        "products-0-product_id": BURGER,
        "products-0-count": "3",
        "items-TOTAL_FORMS": "0",
        "items-INITIAL_FORMS": "0",
        "notes": "Crème brûlée 🎂",
    }

    response = front_desk_client.post(reverse("charges:new"), data)

    assert response.status_code == 200
    assert "Search for a guest or company" in response.text
    assert "Crème brûlée 🎂" in response.text
    assert 'value="3"' in response.text
    assert offline_calls == []
    assert not Submission.objects.exists()


def test_new_charge_tampered_management_form_is_form_error(cached_property, front_desk_client):
    data = {"property": cached_property.pk, "products-TOTAL_FORMS": "zzz"}

    response = front_desk_client.post(reverse("charges:new"), data)

    assert response.status_code == 200
    assert "ManagementForm data is missing or has been tampered with" in response.text


def test_totals_preview_per_currency(cached_property, front_desk_client):
    data = {
        "property": cached_property.pk,
        "products-TOTAL_FORMS": "1",
        "products-INITIAL_FORMS": "0",
        "products-0-product_id": BURGER,
        "products-0-count": "2",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-0-name": "Flowers",
        "items-0-unit_count": "1",
        "items-0-unit_price": "5.00",
        "items-0-currency": "EUR",
        "items-0-tax_codes": "UK-R",
        "items-0-accounting_category_id": "cat-food",
    }

    response = front_desk_client.post(reverse("charges:totals"), data)

    text = response.text
    assert "GBP" in text
    assert "24.00" in text
    assert "20.00" in text
    assert "EUR" in text
    assert "4.76" in text
    assert "0.24" in text


def test_totals_preview_counts_lines_left_out(cached_property, front_desk_client):
    data = {
        "property": cached_property.pk,
        "products-TOTAL_FORMS": "1",
        "products-INITIAL_FORMS": "0",
        "products-0-product_id": BURGER,
        "products-0-count": "1",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-0-name": "Flowers",
        "items-0-unit_count": "1",
        "items-0-unit_price": "5.555",
        "items-0-currency": "GBP",
        "items-0-tax_codes": "UK-R",
        "items-0-accounting_category_id": "cat-food",
    }

    response = front_desk_client.post(reverse("charges:totals"), data)

    assert "12.00" in response.text
    assert "1 line with errors is not in these totals." in response.text


def test_taxes_partial_lists_codes_valid_now(cached_property, front_desk_client):
    response = front_desk_client.get(reverse("charges:taxes"), {"property": cached_property.pk})

    assert "UK-S" in response.text
    assert "UK-OLD" not in response.text


def test_taxes_partial_follows_consumption_time(cached_property, front_desk_client):
    later = (timezone.now() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")

    now_codes = front_desk_client.get(
        reverse("charges:taxes"), {"property": cached_property.pk}
    ).text
    later_codes = front_desk_client.get(
        reverse("charges:taxes"), {"property": cached_property.pk, "consumed_at": later}
    ).text

    assert "UK-NEXT" not in now_codes
    assert "UK-NEXT" in later_codes


def test_products_partial_lists_service_products(cached_property, front_desk_client):
    response = front_desk_client.get(
        reverse("charges:products"), {"property": cached_property.pk, "service_id": RESTAURANT}
    )

    assert "Burger" in response.text
    assert "Wine" not in response.text
    assert "Old dish" not in response.text


def test_products_partial_without_service_lists_none(cached_property, front_desk_client):
    response = front_desk_client.get(reverse("charges:products"), {"property": cached_property.pk})

    assert "Choose a service first" in response.text
    assert "Burger" not in response.text


def test_new_charge_offers_no_product_before_service(cached_property, front_desk_client):
    response = front_desk_client.get(reverse("charges:new"))

    assert "Choose a service first" in response.text
    assert "Burger" not in response.text


def test_account_search_rejects_unknown_kind(cached_property, front_desk_client):
    response = front_desk_client.get(
        reverse("charges:account_search"),
        {"property": cached_property.pk, "q": "x", "kind": "sql"},
    )

    assert response.status_code == 400


def test_account_search_shows_mews_failure(cached_property, front_desk_client):
    response = front_desk_client.get(
        reverse("charges:account_search"), {"property": cached_property.pk, "q": "Ada"}
    )

    assert response.status_code == 200
    assert "could not be asked" in response.text


def test_new_charge_read_failure_is_form_error(cached_property, front_desk_client, offline_calls):
    data = {
        "property": cached_property.pk,
        "submission_key": str(uuid.uuid4()),
        "service_id": RESTAURANT,
        "account_id": "cust-unknown",
        "account_type": "Customer",
        "products-TOTAL_FORMS": "1",
        "products-INITIAL_FORMS": "0",
        "products-0-product_id": BURGER,
        "products-0-count": "1",
        "items-TOTAL_FORMS": "0",
        "items-INITIAL_FORMS": "0",
    }

    response = front_desk_client.post(reverse("charges:new"), data)

    assert response.status_code == 200
    assert "could not be asked" in response.text
    assert not Submission.objects.exists()


def test_new_charge_cold_catalogue_failure_explains(cached_property, front_desk_client):
    from django.core.cache import cache

    cache.clear()

    response = front_desk_client.get(reverse("charges:new"))

    assert response.status_code == 503
    assert "could not be read from Mews" in response.text


def test_products_partial_cold_catalogue_failure(cached_property, front_desk_client):
    from django.core.cache import cache

    cache.clear()

    response = front_desk_client.get(
        reverse("charges:products"), {"property": cached_property.pk, "service_id": RESTAURANT}
    )

    assert response.status_code == 204


def test_new_charge_page_offers_add_row_templates(
    front_desk_client, front_desk_user, gross_property
):
    gross_property.users.add(front_desk_user)

    response = front_desk_client.get(reverse("charges:new"))

    body = response.content.decode()
    assert 'id="products-empty-row"' in body
    assert 'id="items-empty-row"' in body
    assert 'name="items-__prefix__-name"' in body
    assert 'data-add-row="products"' in body


def test_segments_view_lists_chosen_service_only(
    front_desk_client, front_desk_user, gross_property
):
    from orderdesk.sandbox import seed

    gross_property.users.add(front_desk_user)

    response = front_desk_client.get(
        reverse("charges:segments"),
        {"property": gross_property.pk, "service_id": seed.GROSS_RESTAURANT_SERVICE_ID},
    )

    body = response.content.decode()
    assert seed.GROSS_WALK_IN_SEGMENT_ID in body
    assert seed.GROSS_LEISURE_SEGMENT_ID not in body
    assert seed.GROSS_INACTIVE_SEGMENT_ID not in body
