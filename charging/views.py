from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from charging import selectors, services
from charging.models import Charge, ChargingPolicy, Invoice, PolicyChange
from lib.errors import DomainError, Invalid, NotAllowed
from lib.forms import IdsField, PoundsField, limited_text
from lib.money import pounds
from lib.params import whole_number
from people.models import Agency, Partnership
from people.partnerships import is_network
from people.permissions import may, require
from people.selectors import partnership_named


@login_required
def queue(request):
    """Finance's queue: charges by status and agency; approve many; invoice an agency."""
    require(request.user, "view_charges")
    status = request.GET.get("status", "pending")
    visible = selectors.charges_visible_to(request.user)
    charges = visible
    agency_code = request.GET.get("agency", "")
    if agency_code:
        charges = charges.filter(agency__code=agency_code)
    # On a network: the partnerships whose charges the person sees, to narrow the list to one.
    partnerships = list(Partnership.objects.filter(pk__in=visible.values("partnership"))) if is_network() else []
    partnership_slug = request.GET.get("partnership", "")
    if partnership_slug and partnerships:
        charges = charges.filter(partnership__slug=partnership_slug)
    shown = charges.filter(status=status) if status in Charge.Status.values else charges
    invoicing = selectors.partnerships_where(request.user, "invoice_agencies")
    to_invoice = (charges.filter(status=Charge.Status.APPROVED, invoice=None, partnership_id__in=invoicing)
                  .values("agency__code", "agency__name", "partnership__slug", "partnership__name")
                  .annotate(n=Count("pk"), total=Sum("amount_pence")).order_by("partnership_id", "agency__name"))
    for row in to_invoice:
        row["total_display"] = pounds(row["total"])
    invoices = selectors.invoices_visible_to(request.user)
    if agency_code:
        invoices = invoices.filter(agency__code=agency_code)
    if partnership_slug and partnerships:
        invoices = invoices.filter(partnership__slug=partnership_slug)
    invoices = list(invoices[:50])
    return render(request, "charging/queue.html", {
        "charges": shown.order_by("-created_at")[:500], "status": status, "statuses": Charge.Status.choices,
        "agencies": Agency.objects.filter(pk__in=visible.values("agency")).order_by("name"),
        "agency_code": agency_code, "to_invoice": to_invoice,
        "partnerships": partnerships, "partnership_slug": partnership_slug, "network": is_network(),
        "can_decide": may(request.user, "decide_charges"),
        "can_read_policy": may(request.user, "view_charging_policy"),
        "invoices": invoices,
        "waiting_status": selectors.invoice_waiting_status(),
        "waits_because": selectors.invoice_waits_because() if any(
            invoice.status == Invoice.Status.DRAFT and invoice.last_error for invoice in invoices) else "",
        "counts": dict(charges.values_list("status").annotate(n=Count("pk"))),
    })


@login_required
@require_POST
def approve_selected(request):
    require(request.user, "decide_charges")
    ids = [n for x in request.POST.getlist("charge") if (n := whole_number(x)) is not None]
    if not ids:
        messages.error(request, "Tick the charges to approve.")
        return redirect("charges")
    charges = list(selectors.charges_visible_to(request.user).filter(pk__in=ids))
    if len(charges) != len(set(ids)):
        messages.error(request, "Some of the charges you ticked no longer exist, so none was approved.")
        return redirect("charges")
    if any(not may(request.user, "decide_charges", charge) for charge in charges):
        raise PermissionDenied  # a charge another partnership raised: its own finance decides
    try:
        done = services.approve_charges(charges, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Approved {len(done)} charge{'s' if len(done) != 1 else ''}.")
    return redirect("charges")


class WaiveForm(forms.Form):
    reason = forms.ChoiceField(label="Reason", widget=forms.RadioSelect)
    detail = limited_text(services.DETAIL_MAX, label="Details (for example, the line manager's written request)",
                          named="The details", required=False, rows=3)

    def __init__(self, *args, reasons: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [(r, r) for r in reasons]
        self.fields["reason"].error_messages["required"] = "Choose the reason for waiving the charge"


@login_required
def charge_detail(request, pk: int):
    require(request.user, "view_charges")
    charge = get_object_or_404(selectors.charges_visible_to(request.user), pk=pk)
    form = WaiveForm(request.POST or None, reasons=selectors.current_policy(charge.partnership_id).waiver_reasons)
    can_decide = may(request.user, "decide_charges", charge)
    if request.method == "POST":
        require(request.user, "decide_charges", charge)
        if request.POST.get("action") == "approve":
            try:
                services.approve_charge(charge, by=request.user)
                messages.success(request, "Charge approved for invoicing.")
                return redirect("charges")
            except DomainError as exc:
                messages.error(request, exc.message)
        elif form.is_valid():
            try:
                services.waive_charge(charge, reason=form.cleaned_data["reason"], detail=form.cleaned_data["detail"],
                                      by=request.user)
                messages.success(request, "Charge waived. The reason is kept.")
                return redirect("charges")
            except Invalid as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            except DomainError as exc:
                messages.error(request, exc.message)
    return render(request, "charging/charge.html", {
        "charge": charge, "form": form, "decisions": charge.decisions.select_related("by"),
        "amount": pounds(charge.amount_pence), "can_decide": can_decide, "network": is_network(),
    })


@login_required
@require_POST
def invoice(request):
    require(request.user, "invoice_agencies")
    agency = Agency.objects.filter(code=request.POST.get("agency", "")).first()
    if agency is None:
        messages.error(request, "Choose the agency to invoice.")
        return redirect("charges")
    try:
        partnership = selectors.acting_partnership(request.user, "invoice_agencies",
                                                   request.POST.get("partnership", ""), doing="invoice")
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("charges")
    try:
        result = services.invoice_agency(agency, partnership=partnership, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if result.status == Invoice.Status.OPEN:
            messages.success(request, f"Invoice for {agency.name} sent through Stripe "
                                      f"({pounds(result.total_pence)}, due in 30 days).")
        else:
            messages.info(request, f"The invoice for {agency.name} ({pounds(result.total_pence)}) is saved "
                                   f"but not sent. {selectors.invoice_waits_short()}")
    return redirect("charges")


class PolicyForm(forms.ModelForm):
    short_session_amount = PoundsField(label="Charge for a short session", amount="the charge for a short session")
    long_session_amount = PoundsField(label="Charge for a longer session", amount="the charge for a longer session")
    waiver_reasons_text = limited_text(2_000, label="Reasons finance may waive for (one a line)",
                                       named="The reasons", rows=5,
                                       error_messages={"required": "Enter a reason finance may waive for"})

    class Meta:
        model = ChargingPolicy
        fields = ["notice_working_days", "short_session_minutes", "short_session_amount", "long_session_amount",
                  "exempt_agencies", "repeat_no_shows", "repeat_window_months"]
        labels = {
            "notice_working_days": "Notice period, in working days",
            "short_session_minutes": "A short session lasts at most (minutes in total)",
            "exempt_agencies": "Agencies never charged",
            "repeat_no_shows": "No-shows after which the agency manager approves bookings",
            "repeat_window_months": "Counted over (months)",
        }
        widgets = {"exempt_agencies": forms.CheckboxSelectMultiple}
        field_classes = {"exempt_agencies": IdsField}  # ids only: a number past any id is a form error
        error_messages = {name: {"required": f"Enter the {words}"} for name, words in (
            ("notice_working_days", "notice period"), ("short_session_minutes", "length of a short session"),
            ("repeat_no_shows", "number of no-shows"), ("repeat_window_months", "months they are counted over"))}


@login_required
def policy(request):
    """The charging policy: the business unit changes it; finance, who applies it, reads it."""
    require(request.user, "view_charging_policy")
    partnership = _policy_partnership(request)
    current = selectors.current_policy(partnership)
    can_change = may(request.user, "manage_charging_policy", partnership)
    if request.method == "POST":
        require(request.user, "manage_charging_policy", partnership)
    form = PolicyForm(request.POST or None, instance=current,
                      initial={"waiver_reasons_text": "\n".join(current.waiver_reasons)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.change_policy(
                by=request.user, partnership=partnership, exempt_agencies=list(data["exempt_agencies"]),
                waiver_reasons=data["waiver_reasons_text"].splitlines(),
                **{name: data[name] for name in services.POLICY_FIELDS},
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Charging policy saved. It applies to charges raised from now on.")
            return redirect(_policy_address(partnership))
    others = Partnership.objects.filter(pk__in=selectors.partnerships_where(request.user, "view_charging_policy"))
    return render(request, "charging/policy.html", {
        "form": form if can_change else None, "policy": current, "can_change": can_change,
        "exempt": current.exempt_agencies.order_by("name"),
        "changes": [(change, _change_words(change.changes))
                    for change in PolicyChange.objects.filter(partnership=partnership)
                    .select_related("by").order_by("-at")[:20]],
        "network": is_network(), "partnership": partnership,
        "choices": [(p, _policy_address(p)) for p in others] if is_network() and len(others) > 1 else [],
    })


def _policy_partnership(request) -> Partnership:
    """Whose policy the page shows: the one in the address (403 unless the person is that partnership's business
    unit or finance), else the first they work for."""
    slug = request.GET.get("partnership", "")
    if slug:
        partnership = partnership_named(slug)
        if partnership is None:
            raise Http404("There is no such partnership.")
        require(request.user, "view_charging_policy", partnership)
        return partnership
    return Partnership.objects.get(pk=selectors.partnerships_where(request.user, "view_charging_policy")[0])


def _policy_address(partnership: Partnership) -> str:
    address = reverse("charging_policy")
    return f"{address}?partnership={partnership.slug}" if is_network() else address


def _change_words(changes: dict) -> list[str]:
    """A policy change as people read it: "Charge for a short session: £25.00 → £35.00"."""
    labels = {name: field.label for name, field in PolicyForm.base_fields.items()}
    labels["waiver_reasons"] = "Reasons finance may waive for"
    lines = []
    for name, (before, after) in changes.items():
        if name.endswith("_amount"):
            before, after = pounds(before), pounds(after)
        elif isinstance(before, list):
            before, after = ", ".join(map(str, before)) or "none", ", ".join(map(str, after)) or "none"
        lines.append(f"{labels.get(name, name)}: {before} → {after}")
    return lines
