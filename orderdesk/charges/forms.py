"""The charge form: account, service, time and notes, plus product and custom item formsets.

The forms check input against the property's catalogue, which the view passes in, so a
tampered choice (a bookable service, an inactive product, a tax code of another time) is a
form error. Rules that need the chosen account (Cashlist, bill, reservation) are checked by
the posting service.
"""

import re
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from orderdesk.charges.catalogue import Catalogue
from orderdesk.charges.charge import Account, Charge, CustomItem, ProductLine
from orderdesk.charges.money import decimal_places
from orderdesk.charges.taxes import GROSS

# Mews documents no limit for Notes; this keeps a charge's notes readable on a bill.
NOTES_MAX_LENGTH = 1000
# Mews accepts any future consumption time; more than this far ahead is taken for a typing error.
MAX_CONSUMPTION_AHEAD = timedelta(days=366)
# Maximum number of lines (product lines plus custom items) in one charge.
MAX_LINES = 20
MAX_COUNT = 9999
ITEM_NAME_MAX_LENGTH = 255

ERROR_NO_ACCOUNT = _("Search for a guest or company and choose one.")
ERROR_NO_LINES = _("Add at least one product or custom item.")
ERROR_TOO_MANY_LINES = _("A charge can have at most %(max)s lines; post the rest separately.")
ERROR_TOO_MANY_DECIMALS = _("%(currency)s amounts have at most %(places)s decimal places.")
ERROR_REBATE = _("Negative prices (rebates and discounts) need the rebate permission.")
ERROR_OVERRIDE = _("You may not override product prices; leave the price empty.")
ERROR_OTHER_SERVICE = _("This product belongs to another service than the chosen one.")
ERROR_SEGMENT_SERVICE = _("This business segment belongs to another service.")
ERROR_GROSS_TAX_COUNT = _("Choose exactly one tax code: this property prices gross.")
ERROR_TAX_NOT_VALID = _("Tax code %(code)s is not valid at the consumption time.")
ERROR_OVERRIDE_TAXES = _(
    "This product has several taxes, so its gross price cannot be overridden; "
    "post it as a custom item instead."
)
ERROR_NONEXISTENT_TIME = _(
    "%(time)s does not exist in %(zone)s because the clocks go forward; choose another time."
)
ERROR_AMBIGUOUS_TIME = _(
    "%(time)s occurs twice in %(zone)s because the clocks go back; choose another time."
)
ERROR_TOO_LATE = _(
    "%(time)s is more than a year ahead; check the date. Charges consumed later are posted later."
)
ERROR_PLAIN_NUMBER = _("Enter the amount as a plain number, such as 12.50.")
ERROR_TOO_EARLY = _(
    "Mews accepts charges consumed from %(earliest)s on (editable history); choose a later time."
)


class AmountField(forms.DecimalField):
    """A decimal amount typed as a plain number: digits, one decimal separator and a sign.

    DecimalField also takes exponents ("1e3") and grouping, which a price at a desk never has.
    """

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            text = value.strip()
            if not re.fullmatch(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)", text):
                raise ValidationError(ERROR_PLAIN_NUMBER, code="invalid")
        return super().to_python(value)


class PropertyDateTimeField(forms.DateTimeField):
    """A date and time typed in the property's time zone, cleaned to an aware UTC time."""

    def __init__(self, *, time_zone: ZoneInfo, **kwargs):
        self.time_zone = time_zone
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            naive = value.replace(tzinfo=None) if timezone.is_aware(value) else value
        else:
            naive = self._parse(str(value).strip())
        return localize(naive, self.time_zone)

    def _parse(self, text: str) -> datetime:
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            parsed = None
        if parsed is None:
            for input_format in self.input_formats:
                try:
                    parsed = datetime.strptime(text, input_format)
                    break
                except (ValueError, TypeError):
                    continue
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed.replace(tzinfo=None) if parsed.tzinfo else parsed


def localize(naive: datetime, zone: ZoneInfo) -> datetime:
    """Attach `zone` to a wall-clock time; reject times skipped or repeated by a DST change."""
    formatted = formats.date_format(naive, "DATETIME_FORMAT")
    params = {"time": formatted, "zone": zone.key}
    earlier = naive.replace(tzinfo=zone, fold=0)
    later = naive.replace(tzinfo=zone, fold=1)
    round_trip = earlier.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if round_trip != naive:
        raise ValidationError(ERROR_NONEXISTENT_TIME, code="nonexistent_time", params=params)
    if earlier.utcoffset() != later.utcoffset():
        raise ValidationError(ERROR_AMBIGUOUS_TIME, code="ambiguous_time", params=params)
    return earlier.astimezone(UTC)


def _check_precision(amount: Decimal, currency: str, catalogue: Catalogue) -> None:
    places = catalogue.precision(currency)
    if decimal_places(amount) > places:
        raise ValidationError(
            ERROR_TOO_MANY_DECIMALS,
            code="precision",
            params={"currency": currency, "places": places},
        )


def _check_sign(amount: Decimal, user) -> None:
    if amount < 0 and not user.has_perm("charges.post_rebate"):
        raise ValidationError(ERROR_REBATE, code="rebate")


def price_label(price: Decimal, currency: str, catalogue: Catalogue) -> str:
    """Format a price with its currency's decimal places, in the user's locale."""
    places = catalogue.precision(currency)
    return f"{formats.number_format(price, decimal_pos=places, use_l10n=True)} {currency}"


def product_label(product, catalogue: Catalogue) -> str:
    price = catalogue.shown_price(product)
    if price is None:
        return product.name
    return f"{product.name} · {price_label(price, product.currency, catalogue)}"


class ChargeForm(forms.Form):
    submission_key = forms.UUIDField(widget=forms.HiddenInput)
    service_id = forms.ChoiceField(label=_("Service"))
    account_id = forms.CharField(
        widget=forms.HiddenInput, max_length=64, error_messages={"required": ERROR_NO_ACCOUNT}
    )
    account_type = forms.ChoiceField(
        widget=forms.HiddenInput,
        choices=[("Customer", _("Guest")), ("Company", _("Company"))],
        error_messages={"required": ERROR_NO_ACCOUNT},
    )
    account_name = forms.CharField(widget=forms.HiddenInput, max_length=255, required=False)
    linked_reservation_id = forms.CharField(
        label=_("Reservation"), max_length=64, required=False, widget=forms.Select
    )
    bill_id = forms.CharField(label=_("Bill"), max_length=64, required=False, widget=forms.Select)
    notes = forms.CharField(
        label=_("Notes"),
        max_length=NOTES_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional, at most %(max)s characters.") % {"max": NOTES_MAX_LENGTH},
    )
    business_segment_id = forms.ChoiceField(label=_("Business segment"), required=False)

    def __init__(self, *args, catalogue: Catalogue, **kwargs):
        super().__init__(*args, **kwargs)
        self.catalogue = catalogue
        self.fields["service_id"].choices = [("", _("Choose a service"))] + [
            (service.id, service.name) for service in catalogue.postable_services()
        ]
        self.fields["business_segment_id"].choices = [("", _("None"))] + [
            (segment.id, segment.name) for segment in catalogue.active_business_segments()
        ]
        self.fields["consumed_at"] = PropertyDateTimeField(
            label=_("Consumption time"),
            required=False,
            time_zone=catalogue.zone,
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            help_text=_("In the property's time (%(zone)s). Empty means now.")
            % {"zone": catalogue.time_zone},
        )
        self.order_fields(
            [
                "submission_key",
                "service_id",
                "account_id",
                "account_type",
                "account_name",
                "linked_reservation_id",
                "bill_id",
                "consumed_at",
                "business_segment_id",
                "notes",
            ]
        )

    def hidden_field_errors(self) -> list[str]:
        """Return the errors of hidden fields, which the page cannot show next to a field.

        They only occur when the page was changed outside orderdesk, or it is very old.
        """
        return [
            _("%(field)s: %(error)s (reload the page and try again)")
            % {"field": field.label, "error": error}
            for field in self.hidden_fields()
            if field.name != "account_id"
            for error in field.errors
        ]

    def clean_consumed_at(self):
        moment = self.cleaned_data.get("consumed_at")
        if moment is None:
            return None
        earliest = self.catalogue.earliest_consumption()
        if earliest is not None and moment < earliest:
            formatted = formats.date_format(
                earliest.astimezone(self.catalogue.zone), "DATETIME_FORMAT"
            )
            raise ValidationError(ERROR_TOO_EARLY, code="too_early", params={"earliest": formatted})
        if moment > self.catalogue.mews_now() + MAX_CONSUMPTION_AHEAD:
            formatted = formats.date_format(
                moment.astimezone(self.catalogue.zone), "DATETIME_FORMAT"
            )
            raise ValidationError(ERROR_TOO_LATE, code="too_late", params={"time": formatted})
        return moment


class ProductLineForm(forms.Form):
    product_id = forms.ChoiceField(label=_("Product"))
    count = forms.IntegerField(label=_("Count"), min_value=1, max_value=MAX_COUNT, initial=1)
    unit_price = AmountField(
        label=_("Unit price"),
        required=False,
        localize=True,
        max_digits=14,
        help_text=_("Leave empty for the price in Mews."),
    )

    def __init__(self, *args, catalogue: Catalogue, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.catalogue = catalogue
        self.user = user
        groups = []
        for service in catalogue.postable_services():
            options = [
                (product.id, product_label(product, catalogue))
                for product in catalogue.active_products(service.id)
            ]
            if options:
                groups.append((service.name, options))
        self.fields["product_id"].choices = [("", _("Choose a product"))] + groups
        if not user.has_perm("charges.override_price"):
            self.fields["unit_price"].disabled = True
            self.fields["unit_price"].help_text = _("Price in Mews.")

    def clean(self):
        cleaned = super().clean()
        product = self.catalogue.products.get(cleaned.get("product_id") or "")
        price = self.data.get(self.add_prefix("unit_price"), "")
        if self.fields["unit_price"].disabled and str(price).strip():
            # A disabled field ignores submitted data, so a tampered price is caught here.
            self.add_error("unit_price", ValidationError(ERROR_OVERRIDE, code="override"))
            return cleaned
        unit_price = cleaned.get("unit_price")
        if product is None or unit_price is None:
            return cleaned
        try:
            _check_sign(unit_price, self.user)
            _check_precision(unit_price, product.currency, self.catalogue)
            if self.catalogue.pricing == GROSS and len(product.tax_codes) > 1:
                raise ValidationError(ERROR_OVERRIDE_TAXES, code="override_taxes")
        except ValidationError as error:
            self.add_error("unit_price", error)
        return cleaned

    def to_line(self) -> ProductLine:
        return ProductLine(
            product_id=self.cleaned_data["product_id"],
            count=self.cleaned_data["count"],
            unit_price=self.cleaned_data.get("unit_price"),
        )


class CustomItemForm(forms.Form):
    name = forms.CharField(label=_("Item"), max_length=ITEM_NAME_MAX_LENGTH)
    unit_count = forms.IntegerField(label=_("Count"), min_value=1, max_value=MAX_COUNT, initial=1)
    unit_price = AmountField(label=_("Unit price"), localize=True, max_digits=14)
    currency = forms.ChoiceField(label=_("Currency"))
    tax_codes = forms.MultipleChoiceField(label=_("Tax codes"), required=False)
    accounting_category_id = forms.ChoiceField(label=_("Accounting category"))

    def __init__(self, *args, catalogue: Catalogue, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.catalogue = catalogue
        self.user = user
        self.fields["currency"].choices = [(code, code) for code in catalogue.accepted_currencies]
        self.fields["currency"].initial = catalogue.default_currency
        # Every code of the property's tax environment is a choice here. ChargeEntry checks
        # that it is valid at the consumption time, once that time is known.
        self.fields["tax_codes"].choices = [
            (rate.code, rate.label) for rate in sorted(catalogue.tax_rates.values(), key=_code)
        ]
        self.fields["accounting_category_id"].choices = [("", _("Choose a category"))] + [
            (category.id, category.name) for category in catalogue.active_accounting_categories()
        ]
        if catalogue.pricing == GROSS:
            self.fields["tax_codes"].help_text = _("Exactly one: prices are gross.")
        else:
            self.fields["tax_codes"].help_text = _("Prices are net; the taxes are added.")

    def clean(self):
        cleaned = super().clean()
        price = cleaned.get("unit_price")
        currency = cleaned.get("currency")
        if price is not None:
            try:
                _check_sign(price, self.user)
                if currency:
                    _check_precision(price, currency, self.catalogue)
            except ValidationError as error:
                self.add_error("unit_price", error)
        codes = cleaned.get("tax_codes")
        if codes is not None and self.catalogue.pricing == GROSS and len(codes) != 1:
            self.add_error("tax_codes", ValidationError(ERROR_GROSS_TAX_COUNT, code="tax_count"))
        return cleaned

    def to_item(self) -> CustomItem:
        data = self.cleaned_data
        return CustomItem(
            name=data["name"],
            unit_count=data["unit_count"],
            unit_price=data["unit_price"],
            currency=data["currency"],
            tax_codes=tuple(data["tax_codes"]),
            accounting_category_id=data["accounting_category_id"],
        )


def _code(rate) -> str:
    return rate.code


def _reload_on(source: str, url: str) -> dict[str, str]:
    """Return htmx attributes that reload a select's options when `source` changes."""
    return {
        "hx-get": url,
        "hx-trigger": f"change from:{source}",
        "hx-include": f"{source}, #charge-property, this",
        "hx-swap": "innerHTML",
    }


class LineFormSet(forms.BaseFormSet):
    """A formset whose empty form is built once, so choices set on it reach the template.

    Django's BaseFormSet.empty_form builds a new form on every access. The page copies the
    empty form to add rows, so it must carry the same choices as the other rows.
    """

    @cached_property
    def empty_form(self):
        return super().empty_form


ProductLineFormSet = forms.formset_factory(
    ProductLineForm,
    formset=LineFormSet,
    extra=3,
    max_num=MAX_LINES,
    absolute_max=MAX_LINES,
    validate_max=True,
)
CustomItemFormSet = forms.formset_factory(
    CustomItemForm,
    formset=LineFormSet,
    extra=2,
    max_num=MAX_LINES,
    absolute_max=MAX_LINES,
    validate_max=True,
)


class ChargeEntry:
    """The charge form and both line formsets, validated together.

    Cross-form rules live here: a product must belong to the chosen service, tax codes must be
    valid at the consumption time, and the charge needs between one and MAX_LINES lines.
    """

    # URL names of the htmx endpoints that the rendered form calls.
    HTMX_ENDPOINTS = (
        "products",
        "taxes",
        "totals",
        "bills",
        "reservations",
        "account_search",
        "segments",
    )

    def __init__(self, *, catalogue: Catalogue, user, data=None, initial=None, urls=None):
        self.catalogue = catalogue
        self.user = user
        line_kwargs = {"catalogue": catalogue, "user": user}
        self.form = ChargeForm(data, catalogue=catalogue, initial=initial)
        self.products = ProductLineFormSet(data, prefix="products", form_kwargs=line_kwargs)
        self.items = CustomItemFormSet(data, prefix="items", form_kwargs=line_kwargs)
        self.errors: list[str] = []
        self._validated: bool | None = None
        if urls:
            self._attach_htmx(urls)

    def _attach_htmx(self, urls: dict[str, str]) -> None:
        """Let product, segment and tax selects reload when the service or the time changes."""
        service_id = self.form["service_id"].value() or None
        self._offer_service_products(service_id, urls["products"])
        self._offer_service_segments(service_id, urls["segments"])
        for form in self.items.forms + [self.items.empty_form]:
            form.fields["tax_codes"].widget.attrs.update(
                _reload_on("#id_consumed_at", urls["taxes"])
            )

    def _offer_service_products(self, service_id: str | None, url: str) -> None:
        # Products are offered for the chosen service only, so a product cannot be picked first
        # and then silently dropped when the service changes. Validation still accepts them all.
        if service_id:
            choices = [("", _("Choose a product"))] + [
                (product.id, product_label(product, self.catalogue))
                for product in self.catalogue.active_products(service_id)
            ]
        else:
            choices = [("", _("Choose a service first"))]
        offered = {value for value, _label in choices}
        for form in self.products.forms + [self.products.empty_form]:
            widget = form.fields["product_id"].widget
            chosen = form["product_id"].value()
            widget.choices = choices
            if chosen and chosen not in offered:
                product = self.catalogue.products.get(chosen)
                label = product_label(product, self.catalogue) if product else chosen
                widget.choices = choices + [(chosen, label)]
            widget.attrs.update(_reload_on("#id_service_id", url))

    def _offer_service_segments(self, service_id: str | None, url: str) -> None:
        # The page offers only the chosen service's segments. Validation still accepts them all,
        # so a segment of another service gets its own message.
        widget = self.form.fields["business_segment_id"].widget
        widget.choices = [("", _("None"))] + [
            (segment.id, segment.name)
            for segment in self.catalogue.active_business_segments(service_id)
        ]
        widget.attrs.update(_reload_on("#id_service_id", url))

    def limit_tax_options(self) -> None:
        """Offer in each custom item the tax codes valid at the consumption time.

        Validation still accepts every code of the environment and reports a code of another
        time with a clear message. This method only keeps the rendered list short and current.
        """
        rates = self.catalogue.tax_rates
        valid = sorted(rate.code for rate in self.catalogue.tax_rates_at(self.consumption_moment()))
        for form in self.items.forms + [self.items.empty_form]:
            selected = form["tax_codes"].value() or []
            codes = valid + [code for code in selected if code not in valid]
            form.fields["tax_codes"].widget.choices = [
                (code, rates[code].label if code in rates else code) for code in codes
            ]

    def renew_key(self) -> None:
        """Give the re-rendered form a new submission key, for a new attempt."""
        data = self.form.data.copy()
        data[self.form.add_prefix("submission_key")] = str(uuid.uuid4())
        self.form.data = data

    @property
    def is_bound(self) -> bool:
        return self.form.is_bound

    def is_valid(self) -> bool:
        if self._validated is not None:
            return self._validated
        self.form.is_valid()
        self.products.is_valid()
        self.items.is_valid()
        self._check_cross_rules()
        # Cross rules add errors to rows, so validity is read after them.
        forms_valid = self.form.is_valid()
        products_valid = self.products.is_valid()
        items_valid = self.items.is_valid()
        self._validated = forms_valid and products_valid and items_valid and not self.errors
        return self._validated

    def filled_product_forms(self):
        return [f for f in self.products.forms if f.has_changed() and f.is_valid()]

    def filled_item_forms(self):
        return [f for f in self.items.forms if f.has_changed() and f.is_valid()]

    def consumption_moment(self) -> datetime:
        """Return the consumption time if typed and valid, else Mews' current time."""
        if not self.form.is_bound:
            return self.catalogue.mews_now()
        # cleaned_data keeps the fields that are valid even when others are not.
        self.form.is_valid()
        moment = self.form.cleaned_data.get("consumed_at")
        return moment or self.catalogue.mews_now()

    def _check_cross_rules(self) -> None:
        self.errors = []
        if self.products.non_form_errors() or self.items.non_form_errors():
            return
        service_id = self.form.cleaned_data.get("service_id")
        segment = self.catalogue.business_segments.get(
            self.form.cleaned_data.get("business_segment_id") or ""
        )
        if service_id and segment is not None and segment.service_id not in ("", service_id):
            self.form.add_error(
                "business_segment_id", ValidationError(ERROR_SEGMENT_SERVICE, code="service")
            )

        for form in self.filled_product_forms():
            product = self.catalogue.products.get(form.cleaned_data["product_id"])
            if service_id and product is not None and product.service_id != service_id:
                form.add_error("product_id", ValidationError(ERROR_OTHER_SERVICE, code="service"))

        moment = self.consumption_moment()
        valid_codes = {rate.code for rate in self.catalogue.tax_rates_at(moment)}
        for form in self.filled_item_forms():
            for code in form.cleaned_data["tax_codes"]:
                if code not in valid_codes:
                    form.add_error(
                        "tax_codes",
                        ValidationError(
                            ERROR_TAX_NOT_VALID, code="tax_validity", params={"code": code}
                        ),
                    )

        filled = [f for f in self.products.forms if f.has_changed()]
        filled += [f for f in self.items.forms if f.has_changed()]
        if not filled:
            self.errors.append(str(ERROR_NO_LINES))
        elif len(filled) > MAX_LINES:
            self.errors.append(str(ERROR_TOO_MANY_LINES % {"max": MAX_LINES}))

    def to_charge(self) -> Charge:
        data = self.form.cleaned_data
        return Charge(
            key=data["submission_key"],
            service_id=data["service_id"],
            account=Account(
                id=data["account_id"], type=data["account_type"], name=data["account_name"]
            ),
            product_lines=[form.to_line() for form in self.filled_product_forms()],
            custom_items=[form.to_item() for form in self.filled_item_forms()],
            consumption_utc=data.get("consumed_at"),
            bill_id=data.get("bill_id") or "",
            linked_reservation_id=data.get("linked_reservation_id") or "",
            notes=data.get("notes") or "",
            business_segment_id=data.get("business_segment_id") or "",
        )
