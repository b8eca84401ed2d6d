from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from orderdesk.audit.filters import DATE_RANGE_MESSAGE, TOTAL_RANGE_MESSAGE
from orderdesk.audit.pagination import PAGE_SIZE, Cursor
from orderdesk.audit.views import INVALID_CURSOR_MESSAGE, INVALID_FILTER_MESSAGE
from orderdesk.charges.models import SubmissionStatus
from orderdesk.connections.models import Property

LIST_URL = reverse("audit:list")
YEARS_MESSAGE = "Enter a date from the year 2000 to 2999."


def listed_ids(response):
    return [submission.pk for submission in response.context["page"].rows]


def test_list_anonymous_redirects_to_login(client, db):
    response = client.get(LIST_URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_list_outsider_forbidden(outsider_client):
    assert outsider_client.get(LIST_URL).status_code == 403


def test_list_administrator_forbidden(administrator_client):
    assert administrator_client.get(LIST_URL).status_code == 403


def test_list_manager_sees_every_submission(
    manager_client, front_desk_user, manager_user, make_submission
):
    own = make_submission(user=manager_user)
    other = make_submission(user=front_desk_user)

    response = manager_client.get(LIST_URL)

    assert response.status_code == 200
    assert set(listed_ids(response)) == {own.pk, other.pk}


def test_list_front_desk_sees_only_own(
    front_desk_client, front_desk_user, manager_user, make_submission
):
    own = make_submission(user=front_desk_user)
    make_submission(user=manager_user)

    response = front_desk_client.get(LIST_URL)

    assert response.status_code == 200
    assert listed_ids(response) == [own.pk]
    assert "user" not in response.context["filter"].form.fields


def test_list_front_desk_user_filter_ignored(
    front_desk_client, front_desk_user, manager_user, make_submission
):
    make_submission(user=manager_user)

    response = front_desk_client.get(LIST_URL, {"user": manager_user.pk})

    assert listed_ids(response) == []


def test_list_rows_show_columns(manager_client, manager_user, make_submission):
    submission = make_submission(
        user=manager_user, totals={"GBP": "12.50", "EUR": "3.00"}, line_count=3
    )

    content = manager_client.get(LIST_URL).content.decode()

    assert "Zoë Müller" in content
    assert "Audit Hotel" in content
    assert "Restaurant" in content
    assert "3.00 EUR, 12.50 GBP" in content
    assert submission.order_id in content
    assert "text-bg-success" in content
    assert reverse("audit:detail", args=[submission.pk]) in content


def test_list_newest_first(manager_client, manager_user, make_submission):
    start = datetime(2026, 11, 1, tzinfo=UTC)
    older = make_submission(user=manager_user, created_at=start)
    newer = make_submission(user=manager_user, created_at=start + timedelta(hours=1))

    assert listed_ids(manager_client.get(LIST_URL)) == [newer.pk, older.pk]


def test_list_makes_no_count_query(
    manager_client, manager_user, make_submission, django_assert_max_num_queries
):
    make_submission(user=manager_user)

    with django_assert_max_num_queries(11) as captured:
        manager_client.get(LIST_URL)

    assert not any("COUNT(" in query["sql"].upper() for query in captured.captured_queries)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"created_after": "2026-11-10"}, {"late"}),
        ({"created_before": "2026-11-09"}, {"early"}),
        ({"created_after": "2026-11-09", "created_before": "2026-11-09"}, {"early"}),
        ({"status": SubmissionStatus.UNKNOWN}, {"late"}),
        ({"service": "bar"}, {"late"}),
        ({"account": "müller"}, {"early"}),
        ({"account_id": "acc-late"}, {"late"}),
        ({"reference": "order-early"}, {"early"}),
        ({"reference": " request-late "}, {"late"}),
        ({"reference": "ORDER-EARLY"}, {"early"}),
        ({"total_min": "20"}, {"late"}),
        ({"total_max": "-1"}, {"early"}),
        ({"currency": "usd"}, {"late"}),
        ({"currency": "GBP", "total_max": "0"}, {"early"}),
        ({"total_min": "-5", "total_max": "-5"}, {"early"}),
    ],
)
def test_list_filter_matches(manager_client, manager_user, make_submission, params, expected):
    submissions = {
        "early": make_submission(
            user=manager_user,
            created_at=datetime(2026, 11, 9, 23, 30, tzinfo=UTC),
            account_name="Zoë Müller",
            order_id="order-early",
            total=Decimal("-5.00"),
        ),
        "late": make_submission(
            user=manager_user,
            created_at=datetime(2026, 11, 10, 0, 30, tzinfo=UTC),
            account_id="acc-late",
            account_name="Acme Travel",
            service_name="Bar",
            status=SubmissionStatus.UNKNOWN,
            order_id="",
            request_id="request-late",
            total=Decimal("25.00"),
            currency="USD",
        ),
    }

    response = manager_client.get(LIST_URL, params)

    assert response.status_code == 200
    expected_ids = {submissions[name].pk for name in expected}
    assert set(listed_ids(response)) == expected_ids


def test_list_filter_by_property(manager_client, manager_user, make_submission, other_property):
    make_submission(user=manager_user)
    elsewhere = make_submission(user=manager_user, property=other_property)

    response = manager_client.get(LIST_URL, {"property": other_property.pk})

    assert listed_ids(response) == [elsewhere.pk]


def test_list_filter_by_user(manager_client, manager_user, front_desk_user, make_submission):
    make_submission(user=manager_user)
    theirs = make_submission(user=front_desk_user)

    response = manager_client.get(LIST_URL, {"user": front_desk_user.pk})

    assert listed_ids(response) == [theirs.pk]


def test_list_date_filter_uses_property_time_zone(
    manager_client, manager_user, make_submission, audit_property
):
    audit_property.time_zone = "Europe/Prague"
    audit_property.save()
    # A second property in another zone, so the unfiltered list has no single zone and uses UTC.
    Property.objects.create(
        name="Elsewhere",
        connection=audit_property.connection,
        access_token="ELSEWHERE-ACCESS-TOKEN",
        time_zone="America/New_York",
    )
    # 23:30 UTC on the 9th is already the 10th in Prague (UTC+1 in November).
    submission = make_submission(
        user=manager_user, created_at=datetime(2026, 11, 9, 23, 30, tzinfo=UTC)
    )

    in_prague = manager_client.get(
        LIST_URL, {"property": audit_property.pk, "created_after": "2026-11-10"}
    )
    in_utc = manager_client.get(LIST_URL, {"created_after": "2026-11-10"})

    assert listed_ids(in_prague) == [submission.pk]
    assert listed_ids(in_utc) == []
    assert "Europe/Prague" in in_prague.content.decode()


def test_list_date_filter_without_time_zone_uses_utc(
    manager_client, manager_user, make_submission, audit_property
):
    submission = make_submission(
        user=manager_user, created_at=datetime(2026, 11, 9, 23, 30, tzinfo=UTC)
    )

    response = manager_client.get(
        LIST_URL, {"property": audit_property.pk, "created_before": "2026-11-09"}
    )

    assert listed_ids(response) == [submission.pk]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"created_after": "2026-11-10", "created_before": "2026-11-09"}, "created_before", None),
        ({"total_min": "10", "total_max": "5"}, "total_max", None),
        ({"created_after": "not a date"}, "created_after", "Enter a valid date."),
        ({"total_min": "ten"}, "total_min", "Enter a number."),
        ({"status": "lost"}, "status", None),
        ({"property": "999999"}, "property", None),
        ({"reference": "x" * 101}, "reference", None),
        ({"total_min": "1e100000000"}, "total_min", None),
        ({"total_max": "0.00001"}, "total_max", None),
        ({"total_min": "NaN"}, "total_min", "Enter a number."),
        ({"created_before": "9999-12-31"}, "created_before", YEARS_MESSAGE),
        ({"created_after": "0001-01-01"}, "created_after", YEARS_MESSAGE),
    ],
)
def test_list_invalid_filter_shows_error(
    manager_client, manager_user, make_submission, params, field, message
):
    make_submission(user=manager_user)

    response = manager_client.get(LIST_URL, params)

    assert response.status_code == 200
    errors = response.context["filter"].form.errors
    assert field in errors
    if message:
        assert message in errors[field]
    assert listed_ids(response) == []
    assert str(INVALID_FILTER_MESSAGE) in response.content.decode()


def test_list_range_messages(manager_client, db):
    response = manager_client.get(
        LIST_URL,
        {
            "created_after": "2026-11-10",
            "created_before": "2026-11-09",
            "total_min": "2",
            "total_max": "1",
        },
    )

    errors = response.context["filter"].form.errors
    assert errors["created_before"] == [str(DATE_RANGE_MESSAGE)]
    assert errors["total_max"] == [str(TOTAL_RANGE_MESSAGE)]


def test_list_keyset_pages_cover_all_rows(manager_client, manager_user, make_submission):
    moment = datetime(2026, 11, 1, tzinfo=UTC)
    # Every third row shares its created_at with the next, so ties are ordered by id.
    created = [
        make_submission(user=manager_user, created_at=moment + timedelta(minutes=index // 3))
        for index in range(PAGE_SIZE * 2 + 5)
    ]
    expected = [s.pk for s in sorted(created, key=lambda s: (s.created_at, s.pk), reverse=True)]

    first = manager_client.get(LIST_URL)
    second = manager_client.get(LIST_URL, {"after": first.context["page"].next_cursor})
    third = manager_client.get(LIST_URL, {"after": second.context["page"].next_cursor})

    assert listed_ids(first) + listed_ids(second) + listed_ids(third) == expected
    assert first.context["page"].previous_cursor is None
    assert third.context["page"].next_cursor is None
    back = manager_client.get(LIST_URL, {"before": third.context["page"].previous_cursor})
    assert listed_ids(back) == listed_ids(second)
    newest = manager_client.get(LIST_URL, {"before": second.context["page"].previous_cursor})
    assert listed_ids(newest) == listed_ids(first)
    assert newest.context["page"].previous_cursor is None


def test_list_keyset_keeps_filters_in_links(manager_client, manager_user, make_submission):
    for _ in range(PAGE_SIZE + 1):
        make_submission(user=manager_user, status=SubmissionStatus.REJECTED)

    content = manager_client.get(LIST_URL, {"status": "rejected"}).content.decode()

    assert 'rel="next" href="?status=rejected&amp;after=' in content


def test_list_invalid_cursor_shows_newest(manager_client, manager_user, make_submission):
    submission = make_submission(user=manager_user)

    response = manager_client.get(LIST_URL, {"after": "not-a-cursor!"})

    assert response.status_code == 200
    assert listed_ids(response) == [submission.pk]
    assert str(INVALID_CURSOR_MESSAGE) in response.content.decode()


@pytest.mark.parametrize(
    "value",
    [
        "",
        "!!!",
        "bm90IGEgY3Vyc29y",
        "MjAyNnwx",
        Cursor(datetime(2026, 1, 1), 3).encode(),
        Cursor(datetime(2026, 1, 1, tzinfo=UTC), 2**63).encode(),
        Cursor(datetime(2026, 1, 1, tzinfo=UTC), 0).encode(),
    ],
)
def test_cursor_decode_rejects_invalid(value):
    from orderdesk.audit.pagination import InvalidCursor

    with pytest.raises(InvalidCursor):
        Cursor.decode(value)


def test_cursor_round_trip():
    cursor = Cursor(datetime(2026, 11, 1, 8, 30, 15, 123456, tzinfo=UTC), 42)

    assert Cursor.decode(cursor.encode()) == cursor


def test_list_post_not_allowed(manager_client):
    assert manager_client.post(LIST_URL).status_code == 405


def test_list_user_filter_offers_posting_staff_by_name(
    manager_client, front_desk_user, administrator_user
):
    response = manager_client.get(LIST_URL)

    choices = dict(response.context["filter"].form.fields["user"].choices)
    labels = [str(label) for label in choices.values()]
    assert f"Frontdesk ({front_desk_user.username})" in labels
    assert not any(administrator_user.username in label for label in labels)
