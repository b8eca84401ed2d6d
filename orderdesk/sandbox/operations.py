"""Read operations of the sandbox. Each takes a Context and returns the response object."""

from orderdesk.sandbox import seed
from orderdesk.sandbox.context import Context
from orderdesk.sandbox.state import public
from orderdesk.sandbox.validation import (
    format_utc,
    in_interval,
    invalid,
    paginate,
    parse_utc,
    read_bool,
    read_interval,
    read_limitation,
    read_object,
    read_string,
    read_strings,
)

ACTIVITY_STATES = {"Active", "Deleted"}
RESERVATION_STATES = {
    "Inquired",
    "Confirmed",
    "Started",
    "Processed",
    "Canceled",
    "Optional",
    "Requested",
}


def _page(ctx: Context, records: list[dict], key: str, **extra) -> dict:
    count, cursor = read_limitation(ctx.body)
    page, next_cursor = paginate(records, count, cursor)
    return {key: [public(r) for r in page], **extra, "Cursor": next_cursor}


def _activity_filter(ctx: Context) -> set[bool] | None:
    states = read_strings(ctx.body, "ActivityStates")
    if not states:
        return None
    if not set(states) <= ACTIVITY_STATES:
        raise invalid("ActivityStates")
    return {state == "Active" for state in states}


def _matches(value, requested) -> bool:
    return requested is None or value in requested


def get_configuration(ctx: Context) -> dict:
    if ctx.is_portfolio:
        enterprise_id = read_string(ctx.body, "EnterpriseId")
        if enterprise_id is None:
            # Without EnterpriseId a portfolio token gets the portfolio's placeholder enterprise.
            enterprise_id = seed.PORTFOLIO_TOKENS[ctx.access_token]
        elif enterprise_id not in ctx.scope:
            raise invalid("EnterpriseId", "The enterprise is outside the AccessToken's scope.")
    else:
        enterprise_id = ctx.scope[0]
    enterprise = public(ctx.state.enterprises[enterprise_id])
    enterprise.pop("LinkedUtc", None)
    return {
        "NowUtc": format_utc(ctx.now),
        "Enterprise": enterprise,
        "Service": None,
        "PaymentCardStorage": None,
        "IsIdentityDocumentNumberRequired": False,
    }


def get_enterprises(ctx: Context) -> dict:
    enterprise_ids = ctx.read_enterprise_ids()
    external = read_strings(ctx.body, "ExternalIdentifiers")
    records = [
        ctx.state.enterprises[e]
        for e in enterprise_ids
        if _matches(ctx.state.enterprises[e]["ExternalIdentifier"], external)
    ]
    return _page(ctx, records, "Enterprises")


def get_services(ctx: Context) -> dict:
    enterprise_ids = set(ctx.read_enterprise_ids())
    service_ids = read_strings(ctx.body, "ServiceIds")
    service_type = read_string(ctx.body, "ServiceType")
    if service_type not in (None, "Bookable", "Additional"):
        raise invalid("ServiceType")
    updated = read_interval(ctx.body, "UpdatedUtc")
    records = [
        s
        for s in ctx.state.services
        if s["EnterpriseId"] in enterprise_ids
        and _matches(s["Id"], service_ids)
        and (service_type is None or s["Data"]["Discriminator"] == service_type)
        and in_interval(s["UpdatedUtc"], updated)
    ]
    return _page(ctx, records, "Services")


def get_products(ctx: Context) -> dict:
    enterprise_ids = set(ctx.read_enterprise_ids())
    service_ids = read_strings(ctx.body, "ServiceIds")
    if not service_ids:
        raise invalid("ServiceIds", "At least one service is required.")
    for service_id in service_ids:
        if ctx.state.service(service_id, enterprise_ids) is None:
            raise invalid("ServiceIds", f"Service {service_id} does not exist.")
    product_ids = read_strings(ctx.body, "ProductIds")
    read_bool(ctx.body, "IncludeDefault")
    records = [
        p
        for p in ctx.state.products
        if p["ServiceId"] in service_ids and _matches(p["Id"], product_ids)
    ]
    return _page(ctx, records, "Products", CustomerProducts=[])


def get_accounting_categories(ctx: Context) -> dict:
    enterprise_ids = set(ctx.read_enterprise_ids())
    category_ids = read_strings(ctx.body, "AccountingCategoryIds")
    active = _activity_filter(ctx)
    records = [
        c
        for c in ctx.state.accounting_categories
        if c["EnterpriseId"] in enterprise_ids
        and _matches(c["Id"], category_ids)
        and _matches(c["IsActive"], active)
    ]
    return _page(ctx, records, "AccountingCategories")


def get_business_segments(ctx: Context) -> dict:
    enterprise_ids = set(ctx.read_enterprise_ids())
    segment_ids = read_strings(ctx.body, "Ids")
    service_ids = read_strings(ctx.body, "ServiceIds")
    active = _activity_filter(ctx)
    records = [
        s
        for s in ctx.state.business_segments
        if ctx.state.service_enterprise(s["ServiceId"]) in enterprise_ids
        and _matches(s["Id"], segment_ids)
        and _matches(s["ServiceId"], service_ids)
        and _matches(s["IsActive"], active)
    ]
    return _page(ctx, records, "BusinessSegments")


def get_tax_environments(ctx: Context) -> dict:
    return {"TaxEnvironments": [public(e) for e in ctx.state.tax_environments]}


def get_taxations(ctx: Context) -> dict:
    return {
        "Taxations": [public(t) for t in ctx.state.taxations["Taxations"]],
        "TaxRates": [public(r) for r in ctx.state.taxations["TaxRates"]],
    }


def get_currencies(ctx: Context) -> dict:
    return {"Currencies": [public(c) for c in ctx.state.currencies]}


def _search_reservation(reservation: dict) -> dict:
    """Shape a reservation as customers/search returns it (version 2017-04-12)."""
    return {
        "Id": reservation["Id"],
        "ServiceId": reservation["ServiceId"],
        "GroupId": reservation["GroupId"],
        "Number": reservation["Number"],
        "ChannelNumber": reservation["ChannelNumber"],
        "State": reservation["State"],
        "Origin": reservation["Origin"],
        "Purpose": reservation["Purpose"],
        "CreatedUtc": reservation["CreatedUtc"],
        "UpdatedUtc": reservation["UpdatedUtc"],
        "CancelledUtc": reservation["CancelledUtc"],
        "StartUtc": reservation["ActualStartUtc"] or reservation["ScheduledStartUtc"],
        "EndUtc": reservation["ScheduledEndUtc"],
        "RequestedCategoryId": reservation["RequestedResourceCategoryId"],
        "AssignedResourceId": reservation["AssignedResourceId"],
        "AssignedResourceLocked": reservation["AssignedResourceLocked"],
        "BusinessSegmentId": reservation["BusinessSegmentId"],
        "CompanyId": reservation["PartnerCompanyId"],
        "TravelAgencyId": reservation["TravelAgencyId"],
        "RateId": reservation["RateId"],
        "PersonCounts": reservation["PersonCounts"],
        "OwnerId": reservation["AccountId"],
        "CustomerId": reservation["AccountId"],
        "CompanionIds": list(reservation["_CompanionIds"]),
        "Options": reservation["Options"],
    }


def search_customers(ctx: Context) -> dict:
    """Find customers active in the property now: guests of checked-in stays and paymasters."""
    name = read_string(ctx.body, "Name")
    resource_id = read_string(ctx.body, "ResourceId")
    read_object(ctx.body, "Extent")
    enterprise_ids = set(ctx.scope)
    requested_enterprise = read_string(ctx.body, "EnterpriseId")
    if requested_enterprise is not None:
        if requested_enterprise not in ctx.scope:
            raise invalid("EnterpriseId", "The enterprise is outside the AccessToken's scope.")
        enterprise_ids = {requested_enterprise}
    if resource_id is not None:
        resource = next((r for r in ctx.state.resources if r["Id"] == resource_id), None)
        if resource is None or resource["EnterpriseId"] not in enterprise_ids:
            raise invalid("ResourceId")

    stays: dict[str, dict] = {}
    for reservation in ctx.state.reservations:
        if reservation["EnterpriseId"] not in enterprise_ids or reservation["State"] != "Started":
            continue
        if resource_id is not None and reservation["AssignedResourceId"] != resource_id:
            continue
        for customer_id in reservation["_CompanionIds"]:
            stays.setdefault(customer_id, reservation)

    chain_ids = ctx.state.chain_ids(enterprise_ids)
    results = []
    for customer in ctx.state.customers:
        if customer["ChainId"] not in chain_ids or not customer["IsActive"]:
            continue
        stay = stays.get(customer["Id"])
        is_paymaster = "PaymasterAccount" in customer["Classifications"]
        if stay is None and (resource_id is not None or not is_paymaster):
            continue
        if name and not _name_matches(customer, name):
            continue
        results.append(
            {
                "Customer": public(customer),
                "Reservation": _search_reservation(stay) if stay else None,
            }
        )
    return {"Customers": results, "Documents": None}


def _name_matches(customer: dict, name: str) -> bool:
    needle = name.strip().casefold()
    first = (customer.get("FirstName") or "").casefold()
    last = (customer.get("LastName") or "").casefold()
    return needle in first or needle in last or needle in f"{first} {last}".strip()


def get_customers(ctx: Context) -> dict:
    extent = read_object(ctx.body, "Extent", required=True)
    filters = {
        "CustomerIds": read_strings(ctx.body, "CustomerIds"),
        "Emails": read_strings(ctx.body, "Emails"),
        "FirstNames": read_strings(ctx.body, "FirstNames"),
        "LastNames": read_strings(ctx.body, "LastNames"),
        "LoyaltyCodes": read_strings(ctx.body, "LoyaltyCodes"),
        "CompanyIds": read_strings(ctx.body, "CompanyIds", max_items=1),
    }
    created = read_interval(ctx.body, "CreatedUtc")
    updated = read_interval(ctx.body, "UpdatedUtc")
    if all(v is None for v in filters.values()) and created is None and updated is None:
        raise invalid("CustomerIds", "Specify at least one filter.")
    active = _activity_filter(ctx)
    chain_ids = ctx.state.chain_ids(ctx.scope)
    records = [
        c
        for c in ctx.state.customers
        if c["ChainId"] in chain_ids
        and _matches(c["Id"], filters["CustomerIds"])
        and _matches(c["Email"], filters["Emails"])
        and _matches(c["FirstName"], filters["FirstNames"])
        and _matches(c["LastName"], filters["LastNames"])
        and _matches(c["LoyaltyCode"], filters["LoyaltyCodes"])
        and _matches(c["CompanyId"], filters["CompanyIds"])
        and _matches(c["IsActive"], active)
        and in_interval(c["CreatedUtc"], created)
        and in_interval(c["UpdatedUtc"], updated)
    ]
    if not extent.get("Customers", False):
        records = []
    return _page(ctx, records, "Customers", Documents=None)


def get_companies(ctx: Context) -> dict:
    company_ids = read_strings(ctx.body, "Ids")
    names = read_strings(ctx.body, "Names")
    external = read_strings(ctx.body, "ExternalIdentifiers")
    chain_filter = read_strings(ctx.body, "ChainIds")
    active = _activity_filter(ctx)
    chain_ids = ctx.state.chain_ids(ctx.scope)
    if chain_filter:
        if not set(chain_filter) <= chain_ids:
            raise invalid("ChainIds")
        chain_ids = set(chain_filter)
    records = [
        c
        for c in ctx.state.companies
        if c["ChainId"] in chain_ids
        and _matches(c["Id"], company_ids)
        and _matches(c["Name"], names)
        and _matches(c["ExternalIdentifier"], external)
        and _matches(c["IsActive"], active)
    ]
    return _page(ctx, records, "Companies")


def get_resources(ctx: Context) -> dict:
    enterprise_ids = set(ctx.read_enterprise_ids())
    extent = read_object(ctx.body, "Extent", required=True)
    resource_ids = read_strings(ctx.body, "ResourceIds")
    names = read_strings(ctx.body, "Names")
    include_inactive = bool(extent.get("Inactive", False))
    records = [
        r
        for r in ctx.state.resources
        if r["EnterpriseId"] in enterprise_ids
        and _matches(r["Id"], resource_ids)
        and _matches(r["Name"], names)
        and (include_inactive or r["IsActive"])
    ]
    if not extent.get("Resources", False):
        records = []
    return _page(ctx, records, "Resources")


def get_bills(ctx: Context) -> dict:
    enterprise_ids = set(ctx.read_enterprise_ids())
    bill_ids = read_strings(ctx.body, "BillIds")
    customer_ids = read_strings(ctx.body, "CustomerIds")
    state = read_string(ctx.body, "State")
    if state not in (None, "Open", "Closed"):
        raise invalid("State")
    intervals = {
        name: read_interval(ctx.body, name)
        for name in ("CreatedUtc", "UpdatedUtc", "IssuedUtc", "PaidUtc", "DueUtc")
    }
    if bill_ids is None and customer_ids is None and all(v is None for v in intervals.values()):
        raise invalid("BillIds", "Specify at least one filter.")
    # NOTE: CustomerIds is matched against AccountId, so company bills are found through it too.
    records = [
        b
        for b in ctx.state.bills
        if b["EnterpriseId"] in enterprise_ids
        and _matches(b["Id"], bill_ids)
        and _matches(b["AccountId"], customer_ids)
        and (state is None or b["State"] == state)
        and all(in_interval(b.get(name), interval) for name, interval in intervals.items())
    ]
    return _page(ctx, records, "Bills")


def get_reservations(ctx: Context) -> dict:
    enterprise_ids = set(ctx.read_enterprise_ids())
    filters = {
        "Id": read_strings(ctx.body, "ReservationIds"),
        "ServiceId": read_strings(ctx.body, "ServiceIds"),
        "AccountId": read_strings(ctx.body, "AccountIds"),
        "AssignedResourceId": read_strings(ctx.body, "AssignedResourceIds"),
        "Number": read_strings(ctx.body, "Numbers"),
        "GroupId": read_strings(ctx.body, "ReservationGroupIds"),
    }
    states = read_strings(ctx.body, "States")
    if states and not set(states) <= RESERVATION_STATES:
        raise invalid("States")
    intervals = {
        name: read_interval(ctx.body, name)
        for name in ("CreatedUtc", "UpdatedUtc", "ScheduledStartUtc", "ScheduledEndUtc")
    }
    colliding = read_interval(ctx.body, "CollidingUtc")
    records = []
    for reservation in ctx.state.reservations:
        if reservation["EnterpriseId"] not in enterprise_ids:
            continue
        if not all(_matches(reservation[field], requested) for field, requested in filters.items()):
            continue
        if states and reservation["State"] not in states:
            continue
        if not all(in_interval(reservation[n], i) for n, i in intervals.items()):
            continue
        if colliding and not _collides(reservation, colliding):
            continue
        records.append(reservation)
    return _page(ctx, records, "Reservations")


def _collides(reservation: dict, interval) -> bool:
    start = parse_utc(reservation["ScheduledStartUtc"], "ScheduledStartUtc")
    end = parse_utc(reservation["ScheduledEndUtc"], "ScheduledEndUtc")
    return start < interval[1] and end > interval[0]
