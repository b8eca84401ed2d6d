"""Live account look-ups (guests, companies, their bills and reservations) and their checks.

Search results, bills and reservations are kept for ACCOUNT_TTL seconds after each live
look-up, so posting a charge for an account that staff just looked up costs no extra call. The
checks in `verify_account` read that copy, and Mews again when the copy has expired.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from orderdesk.connections.models import Property
from orderdesk.connections.services import connector_client

logger = logging.getLogger(__name__)

CUSTOMER = "Customer"
COMPANY = "Company"
CASHLIST = "Cashlist"

# How long a looked-up account, its bills and its reservations are trusted, in seconds.
ACCOUNT_TTL = 30 * 60
# Reservation states that count as the guest's current stay.
CURRENT_RESERVATION_STATES = ("Started",)

SEARCH_BY_NAME = "name"
SEARCH_BY_ROOM = "room"
SEARCH_COMPANIES = "company"


class AccountRefused(Exception):
    """The account, bill or reservation may not be charged; `field` names the form field."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class AccountSummary:
    id: str
    type: str
    name: str
    classifications: tuple[str, ...] = ()
    room: str = ""
    start_utc: datetime | None = None
    end_utc: datetime | None = None
    # The reservation of the current stay, offered as LinkedReservationId.
    reservation_id: str = ""

    @property
    def is_cashlist(self) -> bool:
        return CASHLIST in self.classifications


@dataclass(frozen=True)
class BillSummary:
    id: str
    label: str


@dataclass(frozen=True)
class ReservationSummary:
    id: str
    label: str
    start_utc: datetime | None = None
    end_utc: datetime | None = None


def _key(kind: str, property: Property, account_id: str = "") -> str:
    return f"charges:{kind}:{property.pk}:{property.enterprise_id}:{account_id}"


def _rooms(property: Property) -> dict[str, str]:
    """Return room number by resource id, cached for CATALOGUE_CACHE_TTL seconds."""
    key = _key("rooms", property)
    rooms = cache.get(key)
    if rooms is None:
        resources = connector_client(property).get_resources()
        rooms = {resource.id: resource.name for resource in resources}
        cache.set(key, rooms, settings.CATALOGUE_CACHE_TTL)
    return rooms


# Most companies a search lists; staff type more of the name to narrow it down.
MAX_COMPANY_RESULTS = 50


def _active_companies(property: Property) -> dict[str, str]:
    """Return active company names by id, cached for CATALOGUE_CACHE_TTL seconds.

    companies/getAll filters only by exact names, so a search by part of a name reads the
    property's companies once and matches them here.
    """
    key = _key("companies", property)
    companies = cache.get(key)
    if companies is None:
        companies = {
            company.id: company.name
            for company in connector_client(property).get_companies()
            if company.is_active
        }
        cache.set(key, companies, settings.CATALOGUE_CACHE_TTL)
    return companies


def _remember(property: Property, accounts: list[AccountSummary]) -> None:
    cache.set_many({_key("account", property, a.id): a for a in accounts}, ACCOUNT_TTL)


def search_accounts(*, property: Property, query: str, kind: str) -> list[AccountSummary]:
    """Search guests by name or room number, or companies by name, live in Mews."""
    query = query.strip()
    if not query:
        return []
    client = connector_client(property)

    if kind == SEARCH_COMPANIES:
        accounts = [
            AccountSummary(id=company_id, type=COMPANY, name=name)
            for company_id, name in _active_companies(property).items()
            if query.casefold() in name.casefold()
        ]
        accounts.sort(key=lambda account: account.name.casefold())
        _remember(property, accounts[:MAX_COMPANY_RESULTS])
        return accounts[:MAX_COMPANY_RESULTS]

    rooms = _rooms(property)
    if kind == SEARCH_BY_ROOM:
        matching = [rid for rid, name in rooms.items() if name.casefold() == query.casefold()]
        if not matching:
            return []
        results = []
        for resource_id in matching:
            results.extend(client.search_customers(resource_id=resource_id))
    else:
        results = list(client.search_customers(name=query))

    accounts = []
    for result in results:
        customer = result.customer
        reservation = result.reservation
        accounts.append(
            AccountSummary(
                id=customer.id,
                type=CUSTOMER,
                name=customer.full_name,
                classifications=tuple(customer.classifications),
                room=rooms.get(reservation.assigned_resource_id or "", "") if reservation else "",
                start_utc=reservation.start_utc if reservation else None,
                end_utc=reservation.end_utc if reservation else None,
                reservation_id=reservation.id
                if reservation and reservation.state in CURRENT_RESERVATION_STATES
                else "",
            )
        )
    _remember(property, accounts)
    return accounts


def _bill_label(bill) -> str:
    """Return how staff recognise an open bill: its name, else when it was opened.

    Open bills have no number yet in Mews; the end of the id separates two bills of the same day.
    """
    if bill.name or bill.number:
        return bill.name or bill.number
    if bill.created_utc:
        return _("Open bill from %(date)s (…%(id)s)") % {
            "date": bill.created_utc.strftime("%Y-%m-%d"),
            "id": bill.id[-6:],
        }
    return _("Open bill …%(id)s") % {"id": bill.id[-6:]}


def account_bills(*, property: Property, account_id: str) -> list[BillSummary]:
    """Return the account's open bills, live from Mews."""
    bills = connector_client(property).get_bills(account_ids=[account_id], state="Open")
    summaries = [
        BillSummary(id=bill.id, label=_bill_label(bill))
        for bill in bills
        if bill.is_open and bill.account_id == account_id
    ]
    cache.set(_key("bills", property, account_id), summaries, ACCOUNT_TTL)
    return summaries


def account_reservations(*, property: Property, account_id: str) -> list[ReservationSummary]:
    """Return the account's current reservations, live from Mews."""
    reservations = connector_client(property).get_reservations(
        account_ids=[account_id], states=list(CURRENT_RESERVATION_STATES)
    )
    rooms = _rooms(property)
    summaries = []
    for reservation in reservations:
        if reservation.account_id != account_id:
            continue
        room = rooms.get(reservation.assigned_resource_id or "", "")
        label = " · ".join(part for part in (reservation.number, room) if part) or reservation.id
        summaries.append(
            ReservationSummary(
                id=reservation.id,
                label=label,
                start_utc=reservation.actual_start_utc or reservation.scheduled_start_utc,
                end_utc=reservation.scheduled_end_utc,
            )
        )
    cache.set(_key("reservations", property, account_id), summaries, ACCOUNT_TTL)
    return summaries


def cached_account(*, property: Property, account_id: str) -> AccountSummary | None:
    return cache.get(_key("account", property, account_id))


def cached_bills(*, property: Property, account_id: str) -> list[BillSummary] | None:
    return cache.get(_key("bills", property, account_id))


def cached_reservations(*, property: Property, account_id: str) -> list[ReservationSummary] | None:
    return cache.get(_key("reservations", property, account_id))


def _read_account(*, property: Property, account_id: str, account_type: str) -> AccountSummary:
    client = connector_client(property)
    if account_type == COMPANY:
        companies = client.get_companies(company_ids=[account_id])
        found = [c for c in companies if c.id == account_id and c.is_active]
        if not found:
            raise AccountRefused(_("The company was not found in Mews; search for it again."))
        account = AccountSummary(id=account_id, type=COMPANY, name=found[0].name)
    else:
        customers = client.get_customers(customer_ids=[account_id])
        found = [c for c in customers if c.id == account_id]
        if not found:
            raise AccountRefused(_("The guest was not found in Mews; search for them again."))
        customer = found[0]
        account = AccountSummary(
            id=account_id,
            type=CUSTOMER,
            name=customer.full_name,
            classifications=tuple(customer.classifications),
        )
    _remember(property, [account])
    return account


def verify_account(
    *,
    property: Property,
    account_id: str,
    account_type: str,
    bill_id: str = "",
    reservation_id: str = "",
) -> AccountSummary:
    """Check that the account may be charged and that the bill and reservation are its own.

    Raises AccountRefused for a Cashlist guest, an unknown account, a bill that is not one of
    the account's open bills and a reservation that is not one of its current reservations.
    """
    account = cached_account(property=property, account_id=account_id)
    if account is None or account.type != account_type:
        account = _read_account(property=property, account_id=account_id, account_type=account_type)
    if account.is_cashlist:
        logger.info("Charge rejected: account %s is classified Cashlist", account_id)
        raise AccountRefused(
            _("%(name)s is on the Cashlist (no post): charges to this guest are not allowed.")
            % {"name": account.name}
        )

    if bill_id:
        bills = cached_bills(property=property, account_id=account_id)
        if bills is None or bill_id not in {bill.id for bill in bills}:
            bills = account_bills(property=property, account_id=account_id)
        if bill_id not in {bill.id for bill in bills}:
            raise AccountRefused(
                _("Choose one of the account's open bills, or none."), field="bill_id"
            )

    if reservation_id:
        reservations = cached_reservations(property=property, account_id=account_id)
        if reservations is None or reservation_id not in {r.id for r in reservations}:
            reservations = account_reservations(property=property, account_id=account_id)
        if reservation_id not in {r.id for r in reservations}:
            raise AccountRefused(
                _("Choose one of the account's current reservations, or none."),
                field="linked_reservation_id",
            )
    return account
