from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Max, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from orderdesk.charges.models import SubmissionStatus
from orderdesk.connections.models import Connection, Property
from orderdesk.connections.services import (
    EnterpriseNotCoveredError,
    property_choose_enterprise,
    test_property_connection,
)
from orderdesk.connector.errors import ConnectorError


@require_GET
@permission_required("connections.change_connection", raise_exception=True)
def connection_list(request):
    properties = Property.objects.select_related("connection").annotate(
        last_posted_at=Max(
            "submissions__created_at",
            filter=Q(submissions__status=SubmissionStatus.POSTED),
        )
    )
    connections = Connection.objects.all()
    return render(
        request,
        "connections/connection_list.html",
        {"connections": connections, "properties": properties},
    )


@require_POST
@permission_required("connections.change_connection", raise_exception=True)
def connection_test(request, pk):
    connection = get_object_or_404(Connection, pk=pk)

    reports = [
        test_property_connection(property=property, actor=request.user)
        for property in connection.properties.filter(is_active=True)
    ]

    return render(
        request,
        "connections/test_result.html",
        {"connection": connection, "reports": reports},
    )


@require_POST
@permission_required("connections.change_property", raise_exception=True)
def property_test(request, pk):
    property = get_object_or_404(Property.objects.select_related("connection"), pk=pk)

    report = test_property_connection(property=property, actor=request.user)

    return render(
        request,
        "connections/test_result.html",
        {"connection": property.connection, "reports": [report]},
    )


@require_POST
@permission_required("connections.change_property", raise_exception=True)
def property_choose_enterprise_view(request, pk):
    property = get_object_or_404(Property.objects.select_related("connection"), pk=pk)
    enterprise_id = request.POST.get("enterprise_id", "").strip()

    try:
        property_choose_enterprise(
            property=property, enterprise_id=enterprise_id, actor=request.user
        )
    except EnterpriseNotCoveredError:
        messages.error(request, _("The AccessToken does not cover the chosen enterprise."))
    except ConnectorError as error:
        messages.error(
            request,
            _("Mews could not list the enterprises (Request-Id %(request_id)s).")
            % {"request_id": error.request_id or "-"},
        )
    else:
        messages.success(
            request,
            _("%(property)s now posts to enterprise %(enterprise)s.")
            % {"property": property.name, "enterprise": enterprise_id},
        )
    return redirect("connections:list")
