"""The sandbox-backed property fixtures reach the sandbox through the app's own client factory."""

from orderdesk.connections.services import connector_client
from orderdesk.sandbox import seed


def test_gross_property_reaches_london(gross_property, sandbox):
    configuration = connector_client(gross_property).get_configuration()

    assert configuration.enterprise.id == seed.GROSS_ENTERPRISE_ID
    assert configuration.enterprise.pricing == "Gross"
    assert sandbox.request_counts["configuration/get"] == 1


def test_net_property_reaches_new_york(net_property):
    configuration = connector_client(net_property).get_configuration()

    assert configuration.enterprise.id == seed.NET_ENTERPRISE_ID
    assert configuration.enterprise.pricing == "Net"


def test_portfolio_property_sends_enterprise_id(portfolio_property):
    client = connector_client(portfolio_property)

    configuration = client.get_configuration()
    services = client.get_services()

    assert configuration.enterprise.id == seed.NET_ENTERPRISE_ID
    assert {service.enterprise_id for service in services} == {seed.NET_ENTERPRISE_ID}
