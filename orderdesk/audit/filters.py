"""The audit list's filters. Every filter is a URL parameter, so a filtered list can be shared."""

from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from orderdesk.audit.selectors import filter_time_zone
from orderdesk.charges.models import Submission, SubmissionStatus
from orderdesk.connections.models import Property

DATE_RANGE_MESSAGE = _("The start date must be on or before the end date.")
TOTAL_RANGE_MESSAGE = _("The minimum total must not be greater than the maximum total.")


# Dates outside these years cannot hold a submission, and the extreme years of Python's date
# overflow when a day is added or the value is converted to UTC.
FIRST_YEAR, LAST_YEAR = 2000, 2999
DATE_OUT_OF_RANGE_MESSAGE = _("Enter a date from the year %(first)s to %(last)s.")


def _date_in_range(value):
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise forms.ValidationError(
            DATE_OUT_OF_RANGE_MESSAGE,
            code="out_of_range",
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
        )
    return value


class SubmissionFilterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "user" in self.fields:
            # The list shows staff by name, so the filter offers them by name too.
            self.fields["user"].label_from_instance = lambda user: (
                f"{user.get_full_name() or user.get_username()} ({user.get_username()})"
            )

    def clean_created_after(self):
        return _date_in_range(self.cleaned_data.get("created_after"))

    def clean_created_before(self):
        return _date_in_range(self.cleaned_data.get("created_before"))

    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("created_after"), cleaned_data.get("created_before")
        if start and end and start > end:
            self.add_error("created_before", forms.ValidationError(DATE_RANGE_MESSAGE, "range"))
        low, high = cleaned_data.get("total_min"), cleaned_data.get("total_max")
        if low is not None and high is not None and low > high:
            self.add_error("total_max", forms.ValidationError(TOTAL_RANGE_MESSAGE, "range"))
        return cleaned_data


def _staff_users(request):
    """Return the users who may post, or who posted before and have lost the permission since."""
    User = get_user_model()
    may_post = User.objects.filter(pk=OuterRef("pk"), groups__permissions__codename="post_charge")
    # Exists() lets the database use the (user, created_at) index instead of joining every row.
    has_posted = Submission.objects.filter(user=OuterRef("pk"))
    return User.objects.filter(Exists(may_post) | Exists(has_posted)).order_by(
        "first_name", "last_name", "username"
    )


class SubmissionFilter(django_filters.FilterSet):
    """Filters of the audit list and the CSV export.

    The date range covers whole days in the selected property's time zone, or in the site's
    time zone when no property is selected.
    """

    created_after = django_filters.DateFilter(
        label=_("From"),
        method="apply_date_later",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    created_before = django_filters.DateFilter(
        label=_("To"),
        method="apply_date_later",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    property = django_filters.ModelChoiceFilter(
        label=_("Property"),
        queryset=Property.objects.only("id", "name", "time_zone").order_by("name"),
    )
    user = django_filters.ModelChoiceFilter(label=_("Staff user"), queryset=_staff_users)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=SubmissionStatus.choices)
    service = django_filters.CharFilter(
        label=_("Service"), field_name="service_name", lookup_expr="icontains", max_length=255
    )
    account = django_filters.CharFilter(
        label=_("Account name"), field_name="account_name", lookup_expr="icontains", max_length=255
    )
    account_id = django_filters.CharFilter(
        label=_("AccountId"), field_name="account_id", max_length=64
    )
    reference = django_filters.CharFilter(
        label=_("OrderId or Request-Id"), method="filter_reference", max_length=100
    )
    currency = django_filters.CharFilter(
        label=_("Currency"),
        method="filter_currency",
        max_length=3,
        help_text=_("The totals range compares amounts in this currency only."),
    )
    total_min = django_filters.NumberFilter(
        label=_("Total from"),
        field_name="total_amount",
        lookup_expr="gte",
        # The digits of Submission.total_amount, so that no value overflows in the database.
        max_digits=18,
        decimal_places=4,
    )
    total_max = django_filters.NumberFilter(
        label=_("Total to"),
        field_name="total_amount",
        lookup_expr="lte",
        # The digits of Submission.total_amount, so that no value overflows in the database.
        max_digits=18,
        decimal_places=4,
    )

    class Meta:
        model = Submission
        fields = []
        form = SubmissionFilterForm

    def __init__(self, *args, show_user_filter: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not show_user_filter:
            del self.filters["user"]
            self.form.fields.pop("user", None)

    def apply_date_later(self, queryset, name, value):
        # Both dates are applied in filter_queryset, after the property and its time zone.
        return queryset

    def filter_currency(self, queryset, name, value):
        value = value.strip().upper()
        return queryset.filter(currency=value) if value else queryset

    def filter_reference(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # Mews writes identifiers in lower case; a value copied in upper case still matches,
        # while each comparison stays exact so that the indexes are used.
        values = {value, value.lower()}
        return queryset.filter(Q(order_id__in=values) | Q(request_id__in=values))

    def time_zone(self):
        """Return the zone the date filters are read in (see filter_time_zone)."""
        if not hasattr(self, "_time_zone"):
            chosen = self.form.cleaned_data.get("property") if self.form.is_valid() else None
            self._time_zone = filter_time_zone(
                chosen=chosen, visible=self.filters["property"].queryset
            )
        return self._time_zone

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        zone = self.time_zone()
        if data.get("created_after"):
            start = datetime.combine(data["created_after"], time.min, tzinfo=zone)
            queryset = queryset.filter(created_at__gte=start)
        if data.get("created_before"):
            end = datetime.combine(data["created_before"] + timedelta(days=1), time.min, zone)
            queryset = queryset.filter(created_at__lt=end)
        return queryset
