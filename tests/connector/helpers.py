"""Builders for client tests that fake Mews with httpx.MockTransport."""

import json
from decimal import Decimal

import httpx

from orderdesk.connector import ConnectorClient
from orderdesk.connector.ratelimit import NoRateLimiter

PLATFORM = "https://mews.test"
CLIENT_TOKEN = "client-token-0123456789"
ACCESS_TOKEN = "access-token-9876543210"


class Recorder:
    """A MockTransport handler that replays queued responses and records every request."""

    def __init__(self, *responses):
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        response = self.responses.pop(0) if len(self.responses) > 1 else self.responses[0]
        if isinstance(response, Exception):
            raise response
        if callable(response):
            return response(request)
        return response

    def bodies(self) -> list[dict]:
        return [json.loads(r.content, parse_float=Decimal) for r in self.requests]


def reply(status=200, body=None, *, request_id="req-1", headers=None, content=None):
    all_headers = {"Request-Id": request_id} if request_id else {}
    all_headers.update(headers or {})
    if content is not None:
        return httpx.Response(status, content=content, headers=all_headers)
    return httpx.Response(status, json=body if body is not None else {}, headers=all_headers)


def make_client(handler, *, enterprise_id=None, sleeps=None, platform=PLATFORM, **kwargs):
    sleeps = sleeps if sleeps is not None else []
    return ConnectorClient(
        platform_address=platform,
        client_token=CLIENT_TOKEN,
        access_token=ACCESS_TOKEN,
        client_name="orderdesk/test",
        enterprise_id=enterprise_id,
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
        rate_limiter=kwargs.pop("rate_limiter", NoRateLimiter()),
        sleep=sleeps.append,
        **kwargs,
    )
