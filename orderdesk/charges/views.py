import logging
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from orderdesk.charges import accounts
from orderdesk.charges import catalogue as catalogues
from orderdesk.charges.forms import ChargeEntry, product_label
from orderdesk.charges.models import Submission, SubmissionStatus
from orderdesk.charges.presentation import lines_left_out, submission_lines, totals_preview
from orderdesk.charges.services import (
    ChargeRefused,
    KeyOfAnotherUser,
    post_charge,
    postable_properties,
    submission_key_used,
    user_message,
)
from orderdesk.connector.errors import ConnectorError

logger = logging.getLogger(__name__)

POST_CHARGE = "charges.post_charge"
RECENT_SUBMISSIONS = 50

ERROR_CATALOGUE = _(
    "The property's products and taxes could not be read from Mews (%(error)s). "
    "Try again in a moment."
)
ERROR_PROPERTY_UNAVAILABLE = _(
    "That property is not available to you any more, so nothing was posted. Choose one of "
    "yours; an administrator assigns properties."
)
ERROR_SENT_BEFORE = _(
    "This form was sent before, so nothing new was posted: the first attempt is shown. "
    "Start a new charge to post again."
)
ERROR_LOOKUP = _("Mews could not be asked just now (%(error)s). Try again in a moment.")


def _see_other(url: str) -> HttpResponseRedirect:
    """Redirect with 303, so the browser follows with GET and Back never resubmits."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


CHOSEN_PROPERTY_KEY = "charges_property"


def _chosen_property(request):
    """Return the property named in the request, else the one chosen last, else the first.

    A property the user may not post for raises PermissionDenied.
    """
    properties = postable_properties(request.user)
    property_id = request.POST.get("property") or request.GET.get("property")
    if property_id:
        if not str(property_id).isdigit():
            raise PermissionDenied
        chosen = properties.filter(pk=property_id).first()
        if chosen is None:
            raise PermissionDenied
        if request.session.get(CHOSEN_PROPERTY_KEY) != chosen.pk:
            request.session[CHOSEN_PROPERTY_KEY] = chosen.pk
        return chosen
    remembered = request.session.get(CHOSEN_PROPERTY_KEY)
    if remembered is not None:
        chosen = properties.filter(pk=remembered).first()
        if chosen is not None:
            return chosen
    return properties.first()


def _charge_urls() -> dict[str, str]:
    return {name: reverse(f"charges:{name}") for name in ChargeEntry.HTMX_ENDPOINTS}


@permission_required(POST_CHARGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def new_charge(request):
    """Render the charge form with a fresh submission key (GET) or post the charge (POST)."""
    try:
        property = _chosen_property(request)
    except PermissionDenied:
        # The property was deactivated or unassigned since the page was loaded.
        request.session.pop(CHOSEN_PROPERTY_KEY, None)
        messages.error(request, ERROR_PROPERTY_UNAVAILABLE)
        return _see_other(reverse("charges:new"))
    if property is None:
        return render(request, "charges/no_property.html")
    try:
        catalogue = catalogues.get_catalogue(property)
    except ConnectorError as error:
        logger.warning("Catalogue of property %s unavailable: %r", property.pk, error)
        return render(
            request,
            "charges/unavailable.html",
            {"message": ERROR_CATALOGUE % {"error": error.message}},
            status=503,
        )

    if request.method == "POST":
        entry = ChargeEntry(
            catalogue=catalogue, user=request.user, data=request.POST, urls=_charge_urls()
        )
        if entry.is_valid():
            response = _post(request, entry, property)
            if response is not None:
                return response
    else:
        entry = ChargeEntry(
            catalogue=catalogue,
            user=request.user,
            initial=_initial(request, property),
            urls=_charge_urls(),
        )
    return render(request, "charges/new.html", _form_context(request, entry, property, catalogue))


def _post(request, entry: ChargeEntry, property):
    """Post a valid entry; return the redirect, or None to render the form with its errors."""
    charge = entry.to_charge()
    sent_before = submission_key_used(charge.key)
    try:
        submission = post_charge(user=request.user, property=property, charge=charge)
    except ChargeRefused as refusal:
        entry.form.add_error(refusal.field, refusal.message)
        return None
    except ConnectorError as error:
        # Reading the account or the catalogue failed before anything was sent.
        logger.warning("Charge not posted, Mews read failed: %r", error)
        entry.form.add_error(None, ERROR_LOOKUP % {"error": error.message})
        return None
    except KeyOfAnotherUser:
        entry.renew_key()
        entry.form.add_error(None, _("This form was already used; check it and post again."))
        return None

    if sent_before:
        messages.warning(request, ERROR_SENT_BEFORE)
    if submission.status == SubmissionStatus.POSTED:
        return _see_other(reverse("charges:result", args=[submission.key]))

    messages.error(request, user_message(submission))
    if submission.status in (SubmissionStatus.REJECTED, SubmissionStatus.NOT_POSTED):
        # This attempt is over, so a corrected form may be posted as a new submission.
        entry.renew_key()
    return None


def _initial(request, property) -> dict:
    initial = {"submission_key": uuid.uuid4()}
    account_id = request.GET.get("account", "")
    if account_id:
        account = accounts.cached_account(property=property, account_id=account_id)
        if account is not None and not account.is_cashlist:
            initial.update(
                account_id=account.id,
                account_type=account.type,
                account_name=account.name,
                linked_reservation_id=account.reservation_id,
            )
        service_id = request.GET.get("service", "")
        if service_id:
            initial["service_id"] = service_id
    return initial


def _form_context(request, entry: ChargeEntry, property, catalogue) -> dict:
    entry.limit_tax_options()
    form = entry.form
    account_id = form["account_id"].value() or ""
    account, bills, reservations = None, [], []
    if account_id:
        # Only what earlier look-ups cached is shown, so a re-render makes no Connector API call.
        account = accounts.cached_account(property=property, account_id=account_id)
        bills = accounts.cached_bills(property=property, account_id=account_id) or []
        reservations = accounts.cached_reservations(property=property, account_id=account_id) or []
    return {
        "entry": entry,
        "form": form,
        "property": property,
        "properties": postable_properties(request.user),
        "catalogue": catalogue,
        "account": account,
        "bills": bills,
        "reservations": reservations,
        "selected_bill": form["bill_id"].value() or "",
        "selected_reservation": form["linked_reservation_id"].value() or "",
        "preview": totals_preview(entry),
        "left_out": lines_left_out(entry),
        "may_refresh": request.user.has_perm(catalogues.REFRESH_PERMISSION),
    }


@permission_required(POST_CHARGE, raise_exception=True)
@require_GET
def result(request, key):
    """Show one submission's result: OrderId, lines and totals, or why it did not post."""
    submission = get_object_or_404(Submission.objects.select_related("property"), key=key)
    if submission.user_id != request.user.pk and not request.user.has_perm(
        "charges.view_all_submissions"
    ):
        raise Http404
    with timezone.override(_property_zone(submission.property)):
        return render(
            request,
            "charges/result.html",
            {
                "submission": submission,
                "lines": submission_lines(submission),
                "message": user_message(submission),
            },
        )


@permission_required(POST_CHARGE, raise_exception=True)
@require_GET
def mine(request):
    """List the user's recent submissions with their statuses."""
    submissions = Submission.objects.filter(user=request.user).select_related("property")[
        :RECENT_SUBMISSIONS
    ]
    return render(request, "charges/mine.html", {"submissions": submissions})


def _catalogue_or_none(property):
    """Return the catalogue, or None when Mews cannot be read; partials then keep their content."""
    try:
        return catalogues.get_catalogue(property)
    except ConnectorError as error:
        logger.warning("Catalogue of property %s unavailable: %r", property.pk, error)
        return None


def _property_zone(property):
    """Return the property's time zone from the cached catalogue, or None (UTC) when cold."""
    catalogue = cache.get(catalogues.cache_key(property))
    return catalogue.zone if catalogue is not None else None


def _lookup_property(request):
    property = _chosen_property(request)
    if property is None:
        raise PermissionDenied
    return property


@permission_required(POST_CHARGE, raise_exception=True)
@require_GET
def account_search(request):
    """Render guests found by name or room number, or companies by name (htmx)."""
    property = _lookup_property(request)
    kind = request.GET.get("kind", accounts.SEARCH_BY_NAME)
    if kind not in (accounts.SEARCH_BY_NAME, accounts.SEARCH_BY_ROOM, accounts.SEARCH_COMPANIES):
        return HttpResponseBadRequest(_("Unknown search kind."))
    query = request.GET.get("q", "")[:100]
    context = {"query": query, "results": [], "error": ""}
    try:
        context["results"] = accounts.search_accounts(property=property, query=query, kind=kind)
    except ConnectorError as error:
        context["error"] = ERROR_LOOKUP % {"error": error.message}
    # Stay dates are shown in the property's time zone, as the hotel writes them.
    with timezone.override(_property_zone(property)):
        return render(request, "charges/_account_results.html", context)


@permission_required(POST_CHARGE, raise_exception=True)
@require_GET
def bills(request):
    """Render the chosen account's open bills as select options (htmx)."""
    property = _lookup_property(request)
    account_id = request.GET.get("account_id", "")[:64]
    context = {"options": [], "selected": request.GET.get("bill_id", ""), "error": ""}
    if account_id:
        try:
            context["options"] = accounts.account_bills(property=property, account_id=account_id)
        except ConnectorError as error:
            context["error"] = ERROR_LOOKUP % {"error": error.message}
    context["empty_label"] = _("No bill: Mews chooses")
    return render(request, "charges/_options.html", context)


@permission_required(POST_CHARGE, raise_exception=True)
@require_GET
def reservations(request):
    """Render the chosen account's current reservations as select options (htmx)."""
    property = _lookup_property(request)
    account_id = request.GET.get("account_id", "")[:64]
    context = {"options": [], "error": "", "selected": request.GET.get("linked_reservation_id")}
    if account_id:
        try:
            context["options"] = accounts.account_reservations(
                property=property, account_id=account_id
            )
        except ConnectorError as error:
            context["error"] = ERROR_LOOKUP % {"error": error.message}
        # The select sends its own empty value when an account is chosen, so the current
        # stay found by the search is preselected then.
        if not context["selected"]:
            account = accounts.cached_account(property=property, account_id=account_id)
            context["selected"] = account.reservation_id if account else ""
    context["empty_label"] = _("No reservation")
    return render(request, "charges/_options.html", context)


@permission_required(POST_CHARGE, raise_exception=True)
@require_GET
def products(request):
    """Render the active products of the chosen service as select options (htmx)."""
    property = _lookup_property(request)
    catalogue = _catalogue_or_none(property)
    if catalogue is None:
        # No change: the partial keeps its current options while Mews cannot be read.
        return HttpResponse(status=204)
    service_id = request.GET.get("service_id", "")
    selected = next(
        (value for name, value in request.GET.items() if name.endswith("product_id")), ""
    )
    options = []
    if service_id:
        options = [
            {"id": product.id, "label": product_label(product, catalogue)}
            for product in catalogue.active_products(service_id)
            if catalogue.services.get(product.service_id)
            and catalogue.services[product.service_id].is_postable
        ]
    return render(
        request,
        "charges/_product_options.html",
        {"options": options, "selected": selected, "service_chosen": bool(service_id)},
    )


@permission_required(POST_CHARGE, raise_exception=True)
@require_GET
def segments(request):
    """Render the active business segments of the chosen service as select options (htmx)."""
    property = _lookup_property(request)
    catalogue = _catalogue_or_none(property)
    if catalogue is None:
        return HttpResponse(status=204)
    service_id = request.GET.get("service_id", "")
    options = [
        {"id": segment.id, "label": segment.name}
        for segment in catalogue.active_business_segments(service_id or None)
    ]
    context = {
        "options": options,
        "selected": request.GET.get("business_segment_id", ""),
        "empty_label": _("None"),
        "error": "",
    }
    return render(request, "charges/_options.html", context)


@permission_required(POST_CHARGE, raise_exception=True)
@require_GET
def taxes(request):
    """Render the tax codes valid at the typed consumption time as select options (htmx)."""
    property = _lookup_property(request)
    catalogue = _catalogue_or_none(property)
    if catalogue is None:
        return HttpResponse(status=204)
    entry = ChargeEntry(catalogue=catalogue, user=request.user, data=request.GET)
    moment = entry.consumption_moment()
    selected = set()
    for name in request.GET:
        if name.endswith("tax_codes"):
            selected.update(request.GET.getlist(name))
    rates = sorted(catalogue.tax_rates_at(moment), key=lambda rate: rate.code)
    return render(request, "charges/_tax_options.html", {"rates": rates, "selected": selected})


@permission_required(POST_CHARGE, raise_exception=True)
@require_POST
def totals(request):
    """Render net, tax and gross per currency of the lines typed so far (htmx)."""
    property = _lookup_property(request)
    catalogue = _catalogue_or_none(property)
    if catalogue is None:
        return HttpResponse(status=204)
    entry = ChargeEntry(catalogue=catalogue, user=request.user, data=request.POST)
    context = {"preview": totals_preview(entry), "left_out": lines_left_out(entry)}
    return render(request, "charges/_totals.html", context)


@require_POST
def refresh_catalogue(request):
    """Read the chosen property's catalogue from Mews again (administrators)."""
    if not request.user.has_perm(catalogues.REFRESH_PERMISSION):
        raise PermissionDenied
    from orderdesk.connections.models import Property

    property = get_object_or_404(Property, pk=request.POST.get("property") or 0)
    try:
        catalogues.refresh_catalogue(user=request.user, property=property)
    except ConnectorError as error:
        messages.error(request, ERROR_CATALOGUE % {"error": error.message})
    else:
        messages.success(request, _("Products, services and taxes were read from Mews again."))
    if request.user.has_perm(POST_CHARGE):
        return _see_other(f"{reverse('charges:new')}?property={property.pk}")
    return _see_other(reverse("connections:list"))
