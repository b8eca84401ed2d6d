"""The audit list's filters. Every filter is a URL parameter, so a filtered list can be shared."""

from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
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
    return get_user_model().objects.order_by("username")


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

    def filter_reference(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(order_id=value) | Q(request_id=value))

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
