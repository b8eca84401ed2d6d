import logging
from dataclasses import dataclass, field

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import orderdesk
from orderdesk.connections.models import Connection, Property
from orderdesk.connector import ConnectorClient
from orderdesk.connector.errors import ConnectorError, TransportError, UnauthorizedError

logger = logging.getLogger(__name__)


class TokensNotConfirmedError(ConnectorError):
    """The platform address changed after the tokens were entered, so they are not sent."""

    default_message = (
        "The platform address changed after the tokens were saved. An administrator must "
        "enter the ClientToken and the AccessToken again."
    )


def client_name_for(connection: Connection) -> str:
    """Return the Client value sent to Mews: the configured name or orderdesk and its version."""
    return connection.client_name or f"orderdesk/{orderdesk.__version__}"


def connector_client(property: Property, *, scoped: bool = True) -> ConnectorClient:
    """Build the Connector API client for one property, with its tokens and EnterpriseId.

    With scoped=False the client sends no EnterpriseId, so a portfolio token reaches every
    enterprise it covers (used to list them).
    """
    connection = property.connection
    if not property.tokens_confirmed:
        raise TokensNotConfirmedError()
    return ConnectorClient(
        platform_address=connection.platform_address,
        client_token=connection.client_token,
        access_token=property.access_token,
        client_name=client_name_for(connection),
        enterprise_id=(property.enterprise_id or None) if scoped else None,
    )


def remember_time_zone(property: Property, time_zone: str) -> None:
    """Store the enterprise's time zone on the property when Mews reports a different one."""
    if time_zone and property.time_zone != time_zone:
        Property.objects.filter(pk=property.pk).update(time_zone=time_zone)
        property.time_zone = time_zone


@dataclass(frozen=True)
class EnterpriseChoice:
    id: str
    name: str


@dataclass
class ConnectionReport:
    """Result of a connection test of one property, ready to show to an administrator."""

    property: Property
    ok: bool
    enterprise_id: str = ""
    enterprise_name: str = ""
    time_zone: str = ""
    pricing: str = ""
    default_currency: str = ""
    tax_environment_code: str = ""
    enterprises: list[EnterpriseChoice] = field(default_factory=list)
    error_message: str = ""
    request_id: str = ""
    unauthorized: bool = False
    unreachable: bool = False

    @property
    def needs_enterprise_choice(self) -> bool:
        """A portfolio token covers several enterprises and none is chosen yet."""
        return len(self.enterprises) > 1 and not self.property.enterprise_id


def test_property_connection(*, property: Property, actor) -> ConnectionReport:
    """Call configuration/get (and enterprises/getAll) with the property's tokens.

    Records the time of a successful test or of an authorisation failure on the property.
    """
    try:
        enterprises = [
            EnterpriseChoice(id=enterprise.id, name=enterprise.name)
            for enterprise in connector_client(property, scoped=False).get_enterprises()
        ]
        configuration = connector_client(property).get_configuration()
    except ConnectorError as error:
        logger.warning(
            "Connection test of property %s by user %s failed: %s (Request-Id %s)",
            property.pk,
            actor.pk,
            type(error).__name__,
            error.request_id,
        )
        unauthorized = isinstance(error, UnauthorizedError)
        if unauthorized:
            Property.objects.filter(pk=property.pk).update(
                last_auth_failure_at=timezone.now(),
                last_auth_failure_request_id=error.request_id or "",
            )
        return ConnectionReport(
            property=property,
            ok=False,
            error_message=error.message or str(error),
            request_id=error.request_id or "",
            unauthorized=unauthorized,
            unreachable=isinstance(error, TransportError),
        )

    problem = _enterprise_problem(property, enterprises)
    if problem:
        logger.warning(
            "Connection test of property %s by user %s: %s", property.pk, actor.pk, problem
        )
        return ConnectionReport(
            property=property, ok=False, error_message=problem, enterprises=enterprises
        )

    Property.objects.filter(pk=property.pk).update(last_checked_at=timezone.now())
    enterprise = configuration.enterprise
    remember_time_zone(property, enterprise.time_zone_identifier)
    logger.info("Connection test of property %s by user %s succeeded", property.pk, actor.pk)
    return ConnectionReport(
        property=property,
        ok=True,
        enterprise_id=enterprise.id,
        enterprise_name=enterprise.name,
        time_zone=enterprise.time_zone_identifier,
        pricing=enterprise.pricing,
        default_currency=enterprise.default_currency or "",
        tax_environment_code=enterprise.tax_environment_code or "",
        enterprises=enterprises,
    )


def _enterprise_problem(property: Property, enterprises: list[EnterpriseChoice]) -> str:
    """Return why the property cannot post with its EnterpriseId, or an empty string."""
    covered = {enterprise.id for enterprise in enterprises}
    if property.enterprise_id and property.enterprise_id not in covered:
        return _(
            "The AccessToken does not cover the EnterpriseId %(enterprise_id)s of this property."
        ) % {"enterprise_id": property.enterprise_id}
    if not property.enterprise_id and len(enterprises) > 1:
        return _(
            "This portfolio AccessToken covers several enterprises: choose the one this "
            "property posts to."
        )
    return ""


class EnterpriseNotCoveredError(Exception):
    """The chosen EnterpriseId is not among the enterprises the AccessToken covers."""


def property_choose_enterprise(*, property: Property, enterprise_id: str, actor) -> Property:
    """Set the EnterpriseId of a portfolio property after checking the token covers it."""
    enterprises = connector_client(property, scoped=False).get_enterprises()
    if enterprise_id not in {enterprise.id for enterprise in enterprises}:
        raise EnterpriseNotCoveredError(enterprise_id)

    with transaction.atomic():
        property.enterprise_id = enterprise_id
        property.save(update_fields=["enterprise_id"])
        # The admin history lists every change of a property, including this one.
        LogEntry.objects.log_actions(
            user_id=actor.pk,
            queryset=Property.objects.filter(pk=property.pk),
            action_flag=CHANGE,
            change_message=[{"changed": {"fields": ["EnterpriseId"]}}],
            single_object=True,
        )
    logger.info("User %s chose enterprise %s for property %s", actor.pk, enterprise_id, property.pk)
    return property
