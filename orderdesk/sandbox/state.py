"""In-memory state of the sandbox: seed records, created orders and injected faults."""

import copy
import threading
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from orderdesk.sandbox import seed


class SandboxState:
    """The records one sandbox serves, in their Mews JSON shape, plus the orders it accepted."""

    def __init__(self, now: datetime):
        records = seed.build_records(now)
        self.enterprises: dict[str, dict] = records["enterprises"]
        self.services: list[dict] = records["services"]
        self.accounting_categories: list[dict] = records["accounting_categories"]
        self.products: list[dict] = records["products"]
        self.business_segments: list[dict] = records["business_segments"]
        self.resources: list[dict] = records["resources"]
        self.customers: list[dict] = records["customers"]
        self.companies: list[dict] = records["companies"]
        self.reservations: list[dict] = records["reservations"]
        self.bills: list[dict] = records["bills"]
        self.tax_environments: list[dict] = records["tax_environments"]
        self.taxations: dict[str, Any] = records["taxations"]
        self.currencies: list[dict] = records["currencies"]
        self.orders: list[dict] = []
        self.order_items: list[dict] = []

    # Lookups ----------------------------------------------------------------------------------

    def chain_ids(self, enterprise_ids) -> set[str]:
        return {self.enterprises[e]["ChainId"] for e in enterprise_ids}

    def service(self, service_id: str, enterprise_ids) -> dict | None:
        return _first(self.services, Id=service_id, EnterpriseId=set(enterprise_ids))

    def service_enterprise(self, service_id: str) -> str | None:
        service = _first(self.services, Id=service_id)
        return service["EnterpriseId"] if service else None

    def product(self, product_id: str, enterprise_ids) -> dict | None:
        product = _first(self.products, Id=product_id)
        if product and self.service_enterprise(product["ServiceId"]) in set(enterprise_ids):
            return product
        return None

    def accounting_category(self, category_id: str, enterprise_id: str) -> dict | None:
        return _first(self.accounting_categories, Id=category_id, EnterpriseId={enterprise_id})

    def business_segment(self, segment_id: str, enterprise_id: str) -> dict | None:
        segment = _first(self.business_segments, Id=segment_id)
        if segment and self.service_enterprise(segment["ServiceId"]) == enterprise_id:
            return segment
        return None

    def account(self, account_id: str, chain_ids) -> tuple[dict, str] | None:
        """Return the customer or company with this id in the chains, and its account type."""
        customer = _first(self.customers, Id=account_id, ChainId=set(chain_ids))
        if customer:
            return customer, "Customer"
        company = _first(self.companies, Id=account_id, ChainId=set(chain_ids))
        if company:
            return company, "Company"
        return None

    def bill(self, bill_id: str, enterprise_id: str) -> dict | None:
        return _first(self.bills, Id=bill_id, EnterpriseId={enterprise_id})

    def reservation(self, reservation_id: str, enterprise_id: str) -> dict | None:
        return _first(self.reservations, Id=reservation_id, EnterpriseId={enterprise_id})

    def tax_environment(self, code: str) -> dict | None:
        return _first(self.tax_environments, Code=code)

    def tax_rate(self, code: str) -> dict | None:
        return _first(self.taxations["TaxRates"], Code=code)

    def currency_precision(self, code: str) -> int:
        currency = _first(self.currencies, Code=code)
        return currency["Precision"] if currency else 2


def _first(records, **criteria) -> dict | None:
    """Return the first record whose fields equal, or for a set are in, the criteria."""
    for record in records:
        if all(
            record.get(key) in requested
            if isinstance(requested, set)
            else record.get(key) == requested
            for key, requested in criteria.items()
        ):
            return record
    return None


def public(record: dict) -> dict:
    """Return a copy of a record without the sandbox's private fields (leading underscore)."""
    return {key: copy.deepcopy(value) for key, value in record.items() if not key.startswith("_")}


@dataclass
class Fault:
    """Faults for one operation: added latency, failing calls, committed-then-dropped calls."""

    latency_ms: int = 0
    fail_status: int | None = None
    fail_count: int = 0
    commit_then_drop: int = 0


class Faults:
    """Faults injected per operation, consumed call by call. Thread-safe."""

    def __init__(self, operations):
        self._operations = frozenset(operations)
        self._faults: dict[str, Fault] = {}
        self._lock = threading.Lock()

    def inject(
        self,
        operation: str,
        *,
        latency_ms: int = 0,
        fail_status: int | None = None,
        fail_count: int = 0,
        commit_then_drop: int | bool = 0,
    ) -> None:
        """Set the faults of one operation, replacing earlier ones.

        `fail_status` with `fail_count` makes the next calls fail without effect.
        `commit_then_drop` carries out the next calls and then drops their responses.
        """
        if operation not in self._operations:
            raise ValueError(f"Unknown operation {operation!r}.")
        if fail_count and not (fail_status and 400 <= int(fail_status) <= 599):
            raise ValueError("fail_status must be an HTTP error status between 400 and 599.")
        if latency_ms < 0 or fail_count < 0 or int(commit_then_drop) < 0:
            raise ValueError("Latency and counts must not be negative.")
        with self._lock:
            self._faults[operation] = Fault(
                latency_ms=int(latency_ms),
                fail_status=int(fail_status) if fail_status else None,
                fail_count=int(fail_count),
                commit_then_drop=int(commit_then_drop),
            )

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def latency(self, operation: str) -> float:
        with self._lock:
            fault = self._faults.get(operation)
            return fault.latency_ms / 1000 if fault else 0.0

    def take_failure(self, operation: str) -> int | None:
        """Return the status the next call must fail with, counting it down, or None."""
        with self._lock:
            fault = self._faults.get(operation)
            if fault and fault.fail_count > 0 and fault.fail_status:
                fault.fail_count -= 1
                return fault.fail_status
            return None

    def take_drop(self, operation: str) -> bool:
        with self._lock:
            fault = self._faults.get(operation)
            if fault and fault.commit_then_drop > 0:
                fault.commit_then_drop -= 1
                return True
            return False

    def as_dict(self) -> dict[str, dict]:
        with self._lock:
            return {operation: asdict(fault) for operation, fault in self._faults.items()}
