"""Conversion of the Connector API client's results into the catalogue's plain values."""

from datetime import datetime, timedelta
from decimal import Decimal

from orderdesk.charges.catalogue import Catalogue, Choice, Product, Service, TaxEnvironment
from orderdesk.charges.taxes import TaxRate


def catalogue_from_configuration(configuration, *, fetched_at: datetime) -> Catalogue:
    enterprise = configuration.enterprise
    interval = (
        enterprise.accounting_editable_history_interval
        or enterprise.editable_history_interval
        or ""
    )
    accepted = tuple(enterprise.accepted_currency_codes)
    default = enterprise.default_currency or (accepted[0] if accepted else "")
    return Catalogue(
        enterprise_id=enterprise.id,
        enterprise_name=enterprise.name,
        time_zone=enterprise.time_zone_identifier,
        pricing=enterprise.pricing,
        default_currency=default,
        accepted_currencies=accepted or ((default,) if default else ()),
        tax_environment_code=enterprise.tax_environment_code or "",
        editable_history_interval=interval,
        clock_offset=(configuration.now_utc - fetched_at)
        if configuration.now_utc
        else timedelta(0),
        fetched_at=fetched_at,
    )


def service(item) -> Service:
    return Service(id=item.id, name=item.name, is_active=item.is_active, kind=item.type or "")


def product(item) -> Product:
    price = item.price
    gross = price.gross_value if price else None
    net = price.net_value if price else None
    return Product(
        id=item.id,
        service_id=item.service_id,
        name=item.name,
        is_active=item.is_active,
        currency=price.currency if price else "",
        gross_value=gross,
        net_value=net,
        tax_codes=tuple(price.tax_codes) if price else (),
        accounting_category_id=item.accounting_category_id or "",
    )


def accounting_category(item) -> Choice:
    return Choice(id=item.id, name=item.name, is_active=item.is_active)


def business_segment(item) -> Choice:
    return Choice(
        id=item.id, name=item.name, is_active=item.is_active, service_id=item.service_id or ""
    )


def tax_environment(item) -> TaxEnvironment:
    return TaxEnvironment(
        code=item.code,
        start=item.validity_start_utc,
        end=item.validity_end_utc,
        taxation_codes=tuple(item.taxation_codes),
    )


def tax_rates(taxations) -> list[TaxRate]:
    return [
        TaxRate(
            code=rate.code,
            taxation_code=rate.taxation_code,
            strategy=rate.strategy or "Relative",
            value=Decimal(rate.value),
            currency=rate.flat_currency_code or "",
            base_taxation_codes=tuple(rate.base_taxation_codes),
            validity=tuple((i.start_utc, i.end_utc) for i in rate.validity_intervals),
        )
        for rate in taxations.tax_rates
    ]


def currency(item) -> tuple[str, int]:
    return item.code, item.precision
