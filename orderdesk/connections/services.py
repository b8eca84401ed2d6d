import logging

import orderdesk
from orderdesk.connections.models import Property
from orderdesk.connector import ConnectorClient

logger = logging.getLogger(__name__)


def client_name_for(connection) -> str:
    """Return the Client value sent to Mews: the configured name or orderdesk and its version."""
    return connection.client_name or f"orderdesk/{orderdesk.__version__}"


def connector_client(property: Property) -> ConnectorClient:
    """Build the Connector API client for one property, with its tokens and EnterpriseId."""
    connection = property.connection
    return ConnectorClient(
        platform_address=connection.platform_address,
        client_token=connection.client_token,
        access_token=property.access_token,
        client_name=client_name_for(connection),
        enterprise_id=property.enterprise_id or None,
    )
