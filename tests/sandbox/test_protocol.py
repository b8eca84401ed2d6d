import threading

import httpx
import pytest

from orderdesk.sandbox import create_app, seed
from orderdesk.sandbox.server import SandboxServer
from tests.sandbox.helpers import Api, gross_order


def test_sandbox_every_response_has_request_id(api):
    ok = api.post("currencies/getAll")
    error = api.post("currencies/getAll", token="unknown")

    assert ok.headers["Request-Id"]
    assert error.headers["Request-Id"]
    assert error.json()["RequestId"] == error.headers["Request-Id"]
    assert ok.headers["Request-Id"] != error.headers["Request-Id"]


@pytest.mark.parametrize(
    ("changes", "status", "message"),
    [
        ({"ClientToken": "wrong"}, 401, "The ClientToken or AccessToken is invalid"),
        ({"AccessToken": "wrong"}, 401, "The ClientToken or AccessToken is invalid"),
        ({"ClientToken": None}, 401, "The ClientToken or AccessToken is invalid"),
        ({"Client": None}, 400, "Invalid Client."),
        ({"Client": ""}, 400, "Invalid Client."),
    ],
)
def test_sandbox_rejects_bad_credentials(api, changes, status, message):
    response = api.post("currencies/getAll", changes)

    assert response.status_code == status
    assert response.json()["Message"].startswith(message)


@pytest.mark.parametrize(
    "raw",
    [b"{", b'{"ClientToken": "x",}', b"", b"[1, 2]", b"\xff\xfe"],
    ids=["truncated", "trailing-comma", "empty", "array", "not-utf8"],
)
def test_sandbox_rejects_invalid_json(api, raw):
    response = api.post("currencies/getAll", raw=raw)

    assert response.status_code == 400
    assert response.json()["Message"].startswith("Invalid JSON.")


@pytest.mark.parametrize(
    "path",
    [
        "/api/connector/v1/orders/Add",
        "/api/connector/v1/Orders/add",
        "/api/connector/v1/orders/add/",
        "/api/connector/v1//orders/add",
        "/api/connector/v1/reservations/getAll/2023-06-06/",
        "/api/connector/v1/orders/delete",
        "/api/connector/v2/orders/add",
    ],
)
def test_sandbox_wrong_address_is_404(api, path):
    response = api.http.post(path, json={"ClientToken": seed.CLIENT_TOKEN})

    assert response.status_code == 404
    assert response.json()["Message"] == "The requested address was not found."


def test_sandbox_get_method_is_404(api):
    assert api.http.get("/api/connector/v1/currencies/getAll").status_code == 404


def test_sandbox_rate_limit_is_200_per_token(api):
    statuses = [api.post("currencies/getAll").status_code for _ in range(200)]
    limited = api.post("currencies/getAll")
    other_token = api.post("currencies/getAll", token=seed.NET_ACCESS_TOKEN)

    assert set(statuses) == {200}
    assert limited.status_code == 429
    assert limited.json()["Message"] == "Too many requests for this AccessToken. Try again later."
    assert 1 <= int(limited.headers["Retry-After"]) <= 30
    assert other_token.status_code == 200


def test_sandbox_rate_window_slides():
    now = [0.0]
    app = create_app(monotonic=lambda: now[0])
    app.rate_limit = 2
    api = Api(app)
    api.post("currencies/getAll")
    now[0] = 20.0
    api.post("currencies/getAll")
    now[0] = 25.0
    limited = api.post("currencies/getAll")
    now[0] = 30.5
    after_first_left = api.post("currencies/getAll")

    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "5"
    assert after_first_left.status_code == 200


def test_sandbox_counts_requests_per_operation(api):
    api.post("currencies/getAll")
    api.post("currencies/getAll")
    api.post("taxations/getAll", token="wrong")

    assert api.app.request_counts["currencies/getAll"] == 2
    assert api.app.request_counts["taxations/getAll"] == 1


def test_sandbox_fault_fails_next_calls(api):
    api.app.faults.inject("currencies/getAll", fail_status=503, fail_count=2)

    statuses = [api.post("currencies/getAll").status_code for _ in range(3)]

    assert statuses == [503, 503, 200]


def test_sandbox_fault_429_has_retry_after(api):
    api.app.faults.inject("currencies/getAll", fail_status=429, fail_count=1)

    response = api.post("currencies/getAll")

    assert response.status_code == 429
    assert response.headers["Retry-After"] == "1"


def test_sandbox_fault_adds_latency():
    sleeps = []
    app = create_app(sleep=sleeps.append)
    app.faults.inject("currencies/getAll", latency_ms=1500)
    Api(app).post("currencies/getAll")

    assert sleeps == [1.5]


def test_sandbox_drop_commits_then_times_out(api):
    api.app.faults.inject("orders/add", commit_then_drop=True)

    with pytest.raises(httpx.ReadTimeout):
        api.post("orders/add", gross_order())
    second = api.post("orders/add", gross_order())

    assert len(api.app.state.orders) == 2
    assert second.status_code == 200


@pytest.mark.parametrize(
    "fault",
    [
        {"operation": "orders/nothing", "fail_status": 500, "fail_count": 1},
        {"operation": "orders/add", "fail_status": 200, "fail_count": 1},
        {"operation": "orders/add", "latency_ms": -1},
        {"operation": "orders/add", "fail_count": "many"},
    ],
)
def test_sandbox_control_rejects_bad_fault(api, fault):
    response = api.http.post("/_sandbox/faults", json=fault)

    assert response.status_code == 400
    assert response.json()["Message"].startswith("Invalid fault:")


def test_sandbox_control_endpoints(api):
    fault = api.http.post(
        "/_sandbox/faults",
        json={"operation": "currencies/getAll", "fail_status": 500, "fail_count": 1},
    )
    failed = api.post("currencies/getAll")
    api.post("orders/add", gross_order())
    orders = api.http.get("/_sandbox/orders").json()["orders"]
    stats = api.http.get("/_sandbox/stats").json()
    reset = api.http.post("/_sandbox/reset")

    assert fault.json()["faults"]["currencies/getAll"]["fail_count"] == 1
    assert failed.status_code == 500
    assert len(orders) == 1
    assert orders[0]["OrderItems"][0]["ExternalIdentifier"] == "line-1"
    assert stats["request_counts"] == {"currencies/getAll": 1, "orders/add": 1}
    assert stats["orders"] == 1
    assert reset.status_code == 200
    assert api.app.state.orders == []
    assert api.app.request_counts == {}


def test_sandbox_control_unknown_is_404(api):
    assert api.http.get("/_sandbox/nothing").status_code == 404
    assert api.http.get("/_sandbox/reset").status_code == 404


def test_sandbox_server_serves_and_drops():
    app = create_app()
    server = SandboxServer(app, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    address = f"http://127.0.0.1:{server.server_address[1]}"
    body = {"ClientToken": seed.CLIENT_TOKEN, "AccessToken": seed.GROSS_ACCESS_TOKEN, "Client": "t"}
    try:
        with httpx.Client(base_url=address, timeout=5) as http:
            ok = http.post("/api/connector/v1/currencies/getAll", json=body)
            app.faults.inject("currencies/getAll", commit_then_drop=1)
            with pytest.raises(httpx.RemoteProtocolError):
                http.post("/api/connector/v1/currencies/getAll", json=body)
    finally:
        server.shutdown()
        server.server_close()

    assert ok.status_code == 200
    assert ok.headers["Request-Id"]
    assert app.request_counts["currencies/getAll"] == 2


def test_sandbox_server_refuses_public_address():
    with pytest.raises(ValueError, match="loopback"):
        SandboxServer(create_app(), "0.0.0.0", 0)
