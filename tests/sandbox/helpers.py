"""Raw HTTP access to an in-process sandbox and sample order bodies."""

import json

import httpx

from orderdesk.sandbox import SandboxTransport, seed

BASE = "http://sandbox.local"


class Api:
    """Raw HTTP access to a sandbox, to check statuses, messages and headers exactly."""

    def __init__(self, app):
        self.app = app
        self.http = httpx.Client(transport=SandboxTransport(app), base_url=BASE)

    def post(self, operation, body=None, *, token=seed.GROSS_ACCESS_TOKEN, raw=None):
        payload = {"ClientToken": seed.CLIENT_TOKEN, "AccessToken": token, "Client": "tests"}
        payload.update(body or {})
        content = raw if raw is not None else json.dumps(payload, default=str)
        return self.http.post(f"/api/connector/v1/{operation}", content=content)

    def order(self, body=None, *, token=seed.GROSS_ACCESS_TOKEN, **item_changes):
        return self.post("orders/add", {**gross_order(**item_changes), **(body or {})}, token=token)


def gross_order(**item_changes):
    item = {
        "Name": "Club Sandwich",
        "UnitCount": 1,
        "UnitAmount": {
            "Currency": "GBP",
            "GrossValue": 14,
            "TaxCodes": [seed.GROSS_STANDARD_TAX_CODE],
        },
        "AccountingCategoryId": seed.GROSS_FOOD_ACCOUNTING_CATEGORY_ID,
        "ExternalIdentifier": "line-1",
    }
    item.update(item_changes)
    return {
        "ServiceId": seed.GROSS_RESTAURANT_SERVICE_ID,
        "AccountId": seed.GROSS_IN_HOUSE_CUSTOMER_ID,
        "Items": [item],
    }


def net_order(**item_changes):
    item = {
        "Name": "Midtown Burger",
        "UnitCount": 2,
        "UnitAmount": {
            "Currency": "USD",
            "NetValue": 24,
            "TaxCodes": list(seed.NET_FOOD_TAX_CODES),
        },
        "AccountingCategoryId": seed.NET_FOOD_ACCOUNTING_CATEGORY_ID,
    }
    item.update(item_changes)
    return {
        "ServiceId": seed.NET_RESTAURANT_SERVICE_ID,
        "AccountId": seed.NET_IN_HOUSE_CUSTOMER_ID,
        "Items": [item],
    }
