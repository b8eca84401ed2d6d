import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.utils import translation

from orderdesk.charges.charge import build_order_body
from orderdesk.charges.forms import MAX_LINES, NOTES_MAX_LENGTH, ChargeEntry
from tests.charges.catalogues import (
    BAR,
    BURGER,
    FOOD,
    INACTIVE_CATEGORY,
    INACTIVE_PRODUCT,
    INACTIVE_SERVICE,
    RESTAURANT,
    ROOM_NIGHT,
    ROOMS,
    WINE,
    make_catalogue,
)


def charge_data(products=(), items=(), **fields):
    """POST data of the charge form with the given product and custom item rows."""
    data = {
        "submission_key": str(uuid.uuid4()),
        "service_id": RESTAURANT,
        "account_id": "cust-1",
        "account_type": "Customer",
        "account_name": "Ada Guest",
        "products-TOTAL_FORMS": str(len(products)),
        "products-INITIAL_FORMS": "0",
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": "0",
    }
    for index, row in enumerate(products):
        for name, value in row.items():
            data[f"products-{index}-{name}"] = value
    for index, row in enumerate(items):
        for name, value in row.items():
            data[f"items-{index}-{name}"] = value
    data.update(fields)
    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    return query


def item(**overrides):
    row = {
        "name": "Flowers",
        "unit_count": "1",
        "unit_price": "10.00",
        "currency": "GBP",
        "tax_codes": ["UK-S"],
        "accounting_category_id": FOOD,
    }
    row.update(overrides)
    return row


def entry_for(user, data, catalogue=None):
    entry = ChargeEntry(catalogue=catalogue or make_catalogue(), user=user, data=data)
    entry.is_valid()
    return entry


@pytest.fixture
def front_desk(front_desk_user):
    return front_desk_user


@pytest.fixture
def manager(manager_user):
    return manager_user


def test_entry_accepts_product_and_item(front_desk):
    entry = entry_for(front_desk, charge_data([{"product_id": BURGER, "count": "2"}], [item()]))

    assert entry.is_valid(), (entry.form.errors, entry.products.errors, entry.items.errors)
    charge = entry.to_charge()
    assert len(charge.product_lines) == 1
    assert charge.custom_items[0].unit_price == Decimal("10.00")


@pytest.mark.parametrize("service_id", [ROOMS, INACTIVE_SERVICE, "svc-made-up"])
def test_entry_rejects_service_not_postable(front_desk, service_id):
    entry = entry_for(front_desk, charge_data([{"product_id": BURGER}], service_id=service_id))

    assert not entry.is_valid()
    assert "service_id" in entry.form.errors


def test_entry_rejects_inactive_product(front_desk):
    entry = entry_for(front_desk, charge_data([{"product_id": INACTIVE_PRODUCT, "count": "1"}]))

    assert not entry.is_valid()
    assert "product_id" in entry.products.forms[0].errors


def test_entry_rejects_product_of_bookable_service(front_desk):
    entry = entry_for(front_desk, charge_data([{"product_id": ROOM_NIGHT, "count": "1"}]))

    assert "product_id" in entry.products.forms[0].errors


def test_entry_rejects_product_of_other_service(front_desk):
    entry = entry_for(front_desk, charge_data([{"product_id": WINE, "count": "1"}]))

    assert not entry.is_valid()
    assert "another service" in str(entry.products.forms[0].errors["product_id"])


def test_entry_accepts_product_of_chosen_service(front_desk):
    data = charge_data([{"product_id": WINE, "count": "1"}], service_id=BAR)

    assert entry_for(front_desk, data).is_valid()


@pytest.mark.parametrize("category", [INACTIVE_CATEGORY, "", "cat-made-up"])
def test_entry_rejects_missing_or_inactive_category(front_desk, category):
    entry = entry_for(front_desk, charge_data(items=[item(accounting_category_id=category)]))

    assert "accounting_category_id" in entry.items.forms[0].errors


def test_entry_rejects_negative_price_without_rebate_permission(front_desk):
    entry = entry_for(front_desk, charge_data(items=[item(unit_price="-5.00")]))

    assert "rebate" in str(entry.items.forms[0].errors["unit_price"])


def test_entry_accepts_negative_price_with_rebate_permission(manager):
    assert entry_for(manager, charge_data(items=[item(unit_price="-5.00")])).is_valid()


def test_entry_accepts_zero_price(front_desk):
    assert entry_for(front_desk, charge_data(items=[item(unit_price="0")])).is_valid()


def test_entry_rejects_override_without_permission(front_desk):
    data = charge_data([{"product_id": BURGER, "count": "1", "unit_price": "1.00"}])

    entry = entry_for(front_desk, data)

    assert not entry.is_valid()
    assert "override" in str(entry.products.forms[0].errors["unit_price"])


def test_entry_accepts_override_with_permission(manager):
    data = charge_data([{"product_id": BURGER, "count": "1", "unit_price": "9.50"}])

    entry = entry_for(manager, data)

    assert entry.is_valid()
    assert entry.to_charge().product_lines[0].unit_price == Decimal("9.50")


def test_entry_rejects_negative_override_without_rebate(manager_user, django_user_model):
    from django.contrib.auth.models import Permission

    pricer = django_user_model.objects.create_user("pricer")
    pricer.user_permissions.add(Permission.objects.get(codename="override_price"))
    data = charge_data([{"product_id": BURGER, "count": "1", "unit_price": "-1"}])

    assert "rebate" in str(entry_for(pricer, data).products.forms[0].errors["unit_price"])


@pytest.mark.parametrize(("price", "currency"), [("10.001", "GBP"), ("100.5", "JPY")])
def test_entry_rejects_decimals_beyond_precision(front_desk, price, currency):
    entry = entry_for(front_desk, charge_data(items=[item(unit_price=price, currency=currency)]))

    assert "decimal places" in str(entry.items.forms[0].errors["unit_price"])


def test_entry_rejects_override_decimals_beyond_precision(manager):
    data = charge_data([{"product_id": BURGER, "count": "1", "unit_price": "9.505"}])

    assert "unit_price" in entry_for(manager, data).products.forms[0].errors


def test_entry_rejects_currency_not_accepted(front_desk):
    entry = entry_for(front_desk, charge_data(items=[item(currency="USD")]))

    assert "currency" in entry.items.forms[0].errors


@pytest.mark.parametrize("codes", [[], ["UK-S", "UK-R"]])
def test_entry_gross_needs_exactly_one_tax_code(front_desk, codes):
    entry = entry_for(front_desk, charge_data(items=[item(tax_codes=codes)]))

    assert not entry.is_valid()
    assert "exactly one" in str(entry.items.forms[0].errors["tax_codes"])


def test_entry_net_accepts_combined_tax_codes(front_desk):
    query = charge_data(items=[item(currency="USD", tax_codes=["US-NY-S", "US-NYC"])])

    entry = ChargeEntry(catalogue=make_catalogue(pricing="Net"), user=front_desk, data=query)

    assert entry.is_valid(), entry.items.errors
    assert entry.to_charge().custom_items[0].tax_codes == ("US-NY-S", "US-NYC")


def test_entry_rejects_unknown_tax_code(front_desk):
    entry = entry_for(front_desk, charge_data(items=[item(tax_codes=["XX-99"])]))

    assert "tax_codes" in entry.items.forms[0].errors


def test_entry_rejects_tax_code_not_valid_at_time(front_desk):
    entry = entry_for(front_desk, charge_data(items=[item(tax_codes=["UK-OLD"])]))

    assert not entry.is_valid()
    assert "not valid at the consumption time" in str(entry.items.forms[0].errors["tax_codes"])


def test_entry_requires_a_line(front_desk):
    entry = entry_for(front_desk, charge_data())

    assert not entry.is_valid()
    assert entry.errors == ["Add at least one product or custom item."]


def test_entry_ignores_untouched_extra_rows(front_desk):
    untouched = {"count": "1"}
    untouched_item = {"unit_count": "1", "currency": "GBP"}
    data = charge_data([{"product_id": BURGER, "count": "1"}, untouched], [untouched_item])

    entry = entry_for(front_desk, data)

    assert entry.is_valid(), (entry.products.errors, entry.items.errors)
    assert entry.to_charge().line_count == 1


def test_entry_rejects_half_filled_row(front_desk):
    data = charge_data(items=[{"name": "Flowers", "unit_count": "1", "currency": "GBP"}])

    entry = entry_for(front_desk, data)

    assert not entry.is_valid()
    assert "unit_price" in entry.items.forms[0].errors


def test_entry_rejects_too_many_lines(front_desk):
    rows = [{"product_id": BURGER, "count": "1"}] * (MAX_LINES // 2 + 1)
    items = [item()] * (MAX_LINES // 2)

    entry = entry_for(front_desk, charge_data(rows, items))

    assert not entry.is_valid()
    assert "at most" in entry.errors[0]


@pytest.mark.parametrize(
    "tampered",
    [
        {"products-TOTAL_FORMS": ""},
        {"products-TOTAL_FORMS": "abc"},
        {"products-TOTAL_FORMS": "100000"},
        {"items-INITIAL_FORMS": "x"},
    ],
)
def test_entry_reports_tampered_management_form(front_desk, tampered):
    data = charge_data([{"product_id": BURGER, "count": "1"}], **tampered)

    entry = entry_for(front_desk, data)

    assert not entry.is_valid()
    assert entry.products.non_form_errors() or entry.items.non_form_errors()


def test_entry_reports_missing_management_form(front_desk):
    data = charge_data([{"product_id": BURGER, "count": "1"}])
    data.pop("items-TOTAL_FORMS")

    entry = entry_for(front_desk, data)

    assert not entry.is_valid()
    assert entry.items.non_form_errors()


def test_entry_reads_time_in_property_zone(front_desk):
    moment = datetime.now(UTC) - timedelta(days=1)
    local = moment.astimezone(make_catalogue().zone).strftime("%Y-%m-%dT%H:%M")
    data = charge_data([{"product_id": BURGER, "count": "1"}], consumed_at=local)

    entry = entry_for(front_desk, data)

    assert entry.is_valid(), entry.form.errors
    assert entry.to_charge().consumption_utc == moment.replace(second=0, microsecond=0)


def test_entry_rejects_time_skipped_by_dst(front_desk):
    # Clocks in New York go forward from 02:00 to 03:00 on 8 March 2026.
    catalogue = make_catalogue(pricing="Net", time_zone="America/New_York")
    catalogue.editable_history_interval = "P12M0DT0H0M0S"
    data = charge_data([{"product_id": BURGER, "count": "1"}], consumed_at="2026-03-08T02:30")

    entry = entry_for(front_desk, data, catalogue)

    assert "does not exist" in str(entry.form.errors["consumed_at"])


def test_entry_rejects_time_repeated_by_dst(front_desk):
    # Clocks in London go back from 02:00 to 01:00 on 25 October 2026.
    catalogue = make_catalogue()
    catalogue.editable_history_interval = "P12M0DT0H0M0S"
    data = charge_data([{"product_id": BURGER, "count": "1"}], consumed_at="2026-10-25T01:30")

    entry = entry_for(front_desk, data, catalogue)

    assert "occurs twice" in str(entry.form.errors["consumed_at"])


def test_entry_rejects_time_before_editable_history(front_desk):
    old = (datetime.now(UTC) - timedelta(days=8)).strftime("%Y-%m-%dT%H:%M")
    data = charge_data([{"product_id": BURGER, "count": "1"}], consumed_at=old)

    entry = entry_for(front_desk, data)

    assert "editable history" in str(entry.form.errors["consumed_at"])


def test_entry_rejects_time_over_a_year_ahead(front_desk):
    far = (datetime.now(UTC) + timedelta(days=400)).strftime("%Y-%m-%dT%H:%M")
    data = charge_data([{"product_id": BURGER, "count": "1"}], consumed_at=far)

    entry = entry_for(front_desk, data)

    assert "more than a year ahead" in str(entry.form.errors["consumed_at"])


def test_entry_accepts_time_next_week(front_desk):
    soon = (datetime.now(UTC) + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    data = charge_data([{"product_id": BURGER, "count": "1"}], consumed_at=soon)

    entry = entry_for(front_desk, data)

    assert "consumed_at" not in entry.form.errors


def test_entry_editable_history_measured_from_mews_clock(front_desk):
    catalogue = make_catalogue()
    # Mews' clock is two days ahead of ours, so its history window ends two days later too.
    catalogue.clock_offset = timedelta(days=2)
    old = (datetime.now(UTC) - timedelta(days=6)).strftime("%Y-%m-%dT%H:%M")
    data = charge_data([{"product_id": BURGER, "count": "1"}], consumed_at=old)

    entry = entry_for(front_desk, data, catalogue)

    assert "consumed_at" in entry.form.errors


def test_entry_rejects_malformed_time(front_desk):
    data = charge_data([{"product_id": BURGER, "count": "1"}], consumed_at="yesterday")

    assert "consumed_at" in entry_for(front_desk, data).form.errors


def test_entry_accepts_decimal_comma_in_german(front_desk):
    data = charge_data(items=[item(unit_price="12,50")])

    with translation.override("de"):
        entry = entry_for(front_desk, data)

        assert entry.is_valid(), entry.items.errors
    assert entry.to_charge().custom_items[0].unit_price == Decimal("12.50")


def test_entry_keeps_notes_exactly(front_desk):
    notes = "Crème brûlée für Zimmer 12A 🎂"
    data = charge_data([{"product_id": BURGER, "count": "1"}], notes=notes)

    entry = entry_for(front_desk, data)

    assert entry.to_charge().notes == notes


def test_entry_rejects_segment_of_other_service(front_desk):
    data = charge_data([{"product_id": BURGER, "count": "1"}], business_segment_id="seg-bar")

    entry = entry_for(front_desk, data)

    assert not entry.is_valid()
    assert "another service" in str(entry.form.errors["business_segment_id"])


def test_entry_rejects_long_notes(front_desk):
    data = charge_data([{"product_id": BURGER, "count": "1"}], notes="x" * (NOTES_MAX_LENGTH + 1))

    assert "notes" in entry_for(front_desk, data).form.errors


@pytest.mark.parametrize("field", ["account_id", "account_type"])
def test_entry_requires_account(front_desk, field):
    data = charge_data([{"product_id": BURGER, "count": "1"}], **{field: ""})

    assert "Search for a guest" in str(entry_for(front_desk, data).form.errors)


def test_build_order_body_gross(manager):
    data = charge_data(
        [
            {"product_id": BURGER, "count": "2"},
            {"product_id": BURGER, "count": "1", "unit_price": "9.5"},
        ],
        [item(unit_price="10.10")],
        consumed_at=(datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        notes="Note",
        business_segment_id="seg-leisure",
    )
    entry = entry_for(manager, data)
    assert entry.is_valid()
    charge = entry.to_charge()

    body = build_order_body(charge, entry.catalogue)

    assert "UnitAmount" not in body["ProductOrders"][0]
    assert body["ProductOrders"][1]["UnitAmount"] == {
        "Currency": "GBP",
        "TaxCodes": ["UK-S"],
        "GrossValue": Decimal("9.5"),
    }
    assert body["Items"][0]["UnitAmount"]["GrossValue"] == Decimal("10.1")
    assert "NetValue" not in body["Items"][0]["UnitAmount"]
    identifiers = [line["ExternalIdentifier"] for line in body["ProductOrders"] + body["Items"]]
    assert len(set(identifiers)) == 3
    assert all(charge.key.hex in identifier for identifier in identifiers)
    assert body["ConsumptionUtc"].endswith(":00Z")
    assert body["BusinessSegmentId"] == "seg-leisure"
    assert "ClientToken" not in body
    assert "AccessToken" not in body


def test_build_order_body_net_sends_net_value(front_desk):
    query = charge_data(items=[item(currency="USD", tax_codes=["US-NY-S", "US-NYC"])])
    catalogue = make_catalogue(pricing="Net")
    entry = ChargeEntry(catalogue=catalogue, user=front_desk, data=query)
    assert entry.is_valid()

    body = build_order_body(entry.to_charge(), catalogue)

    amount = body["Items"][0]["UnitAmount"]
    assert amount["NetValue"] == Decimal("10")
    assert "GrossValue" not in amount
    assert "ConsumptionUtc" not in body


@pytest.mark.parametrize(
    ("typed", "valid"),
    [
        ("12.50", True),
        ("-3", True),
        ("0", True),
        (".5", True),
        ("1e3", False),
        ("1E-2", False),
        ("1,000.00", False),
        ("12,50", False),
        ("NaN", False),
        ("Infinity", False),
        ("12.5.1", False),
    ],
)
def test_amount_field_plain_numbers_only(typed, valid):
    from django.core.exceptions import ValidationError

    from orderdesk.charges.forms import AmountField

    field = AmountField(max_digits=14)
    if valid:
        assert field.clean(typed) is not None
    else:
        with pytest.raises(ValidationError):
            field.clean(typed)
