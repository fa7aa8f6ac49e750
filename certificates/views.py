from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from bookings.models import Booking
from certificates import pdf, selectors, services
from certificates.models import ANSWER_MAX, Certificate
from lib import exports
from lib.dates import to_london
from lib.errors import DomainError
from lib.forms import limited_text
from lib.params import period
from people.permissions import may, require
from reports.api import partnership_filters
from reports.selectors import partnership_q
from reports.views import partnership_choices

COMPLETION_COLUMNS = [("course", "Course"), ("level", "Level"), ("person", "Person"), ("email", "Email"),
                      ("date", "Date"), ("outcome", "Outcome"), ("certificate", "Current certificate"),
                      ("expires_on", "Refresh by"), ("evaluation_label", "Evaluation")]
RATINGS = [(n, f"{n}") for n in range(1, 6)]
COMPLETIONS_PAGE_SIZE = 25


class EvaluationForm(forms.Form):
    confidence_before = forms.TypedChoiceField(
        label="Before the course, how confident were you? (1 not at all, 5 very)", choices=RATINGS, coerce=int,
        widget=forms.RadioSelect, error_messages={"required": "Select how confident you were before the course"})
    confidence_after = forms.TypedChoiceField(
        label="After the course, how confident are you? (1 not at all, 5 very)", choices=RATINGS, coerce=int,
        widget=forms.RadioSelect, error_messages={"required": "Select how confident you are after the course"})
    learning = limited_text(ANSWER_MAX, label="What did you learn?", named="What you learnt",
                            error_messages={"required": "Say what you learnt"})
    impact_statement = limited_text(ANSWER_MAX, label="Your impact statement: how will it change your practice?",
                                    named="Your impact statement",
                                    error_messages={"required": "Write how the course will change your practice"})


@login_required
def evaluate(request, pk: int):
    booking = get_object_or_404(Booking.objects.select_related("session__course"), pk=pk, person=request.user)
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_evaluation(booking, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Thank you. Your certificate is on your learning record."
                             if hasattr(booking, "certificate") or services.earns_certificate(booking)
                             else "Thank you for your evaluation.")
            return redirect("learning_record")
    return render(request, "certificates/evaluate.html", {"booking": booking, "form": form,
                                                          "done": hasattr(booking, "evaluation")})


@login_required
def follow_up(request, pk: int):
    booking = get_object_or_404(Booking, pk=pk, person=request.user)
    evaluation = getattr(booking, "evaluation", None)
    if evaluation is None:
        raise Http404("No evaluation to follow up.")
    error = None
    if request.method == "POST":
        try:
            services.answer_follow_up(evaluation, by=request.user, answer=request.POST.get("answer", ""))
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, "Thank you: your answer is kept with your evaluation.")
            return redirect("learning_record")
    return render(request, "certificates/follow_up.html", {"booking": booking, "evaluation": evaluation,
                                                           "error": error, "limit": ANSWER_MAX,
                                                           "answer": request.POST.get("answer", "")})


def verify(request, code: str):
    """Anyone can check a certificate; an unknown or malformed code is said plainly (404)."""
    certificate = Certificate.objects.filter(code=code.strip().upper()).select_related(
        "booking__person__agency", "booking__session__course").prefetch_related("booking__session__parts").first()
    status = 200 if certificate else 404
    return render(request, "certificates/verify.html", {"certificate": certificate, "code": code}, status=status)


@login_required
def certificate_pdf(request, code: str):
    certificate = get_object_or_404(Certificate.objects.select_related(
        "booking__person__agency", "booking__session__course"), code=code)
    if not may(request.user, "download_certificate", certificate.booking):
        raise Http404  # someone else's certificate is not visible
    if certificate.revoked:
        raise Http404("This certificate has been revoked.")
    response = HttpResponse(pdf.certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    return response


@login_required
def learning_record(request):
    rows = selectors.learning_record(request.user)
    worked = list(selectors.worked_through(request.user))
    fmt = request.GET.get("format")
    if fmt == "csv":
        columns = ["date", "course", "level", "hours", "outcome", "certificate", "evaluated", "refresh_by"]
        table = [{"date": r["date"], "course": r["course"], "level": r["level"], "hours": r["hours"],
                  "outcome": r["outcome"], "certificate": r["certificate"], "evaluated": "yes" if r["evaluated"]
                  else "no", "refresh_by": r["expires_on"]} for r in rows]
        table += [{"date": w.at.date().isoformat(), "course": w.resource.title, "level": "digital resource",
                   "outcome": "worked through"} for w in worked]
        return exports.as_csv({"name": "learning-record", "columns": [(c, c) for c in columns], "rows": table})
    if fmt == "pdf":
        response = HttpResponse(pdf.learning_record_pdf(request.user, rows, worked), content_type="application/pdf")
        response["Content-Disposition"] = 'attachment; filename="learning-record.pdf"'
        return response
    return render(request, "certificates/learning_record.html", {"rows": rows, "worked": worked})


@login_required
def completions(request):
    """An agency manager's view of their staff's training, for a period; as CSV or Excel on request."""
    require(request.user, "view_completions")
    agency = request.user.agency
    error = None
    try:
        start, end = period(request.GET, labels=("Attended from", "To"))
    except DomainError as exc:
        error, start, end = exc.message, None, None
    # Each row's day to evaluate by is its delivering partnership's; the explanation gives the home partnership's.
    days_of = services.evaluate_within_days_of_each()
    network = len(days_of) > 1
    home = request.user.home_partnership_id
    home = home if home in days_of else next(iter(days_of), None)
    days = days_of.get(home, services.DEFAULT_EVALUATE_WITHIN_DAYS)
    rows = selectors.completions(agency, start=start, end=end, days=days_of if network else days)
    export = request.GET.get("export")
    if export in exports.DOWNLOADS and error is None:
        table = {"name": f"completions-{agency.code}", "columns": COMPLETION_COLUMNS,
                 "rows": [r | {"date": f"{to_london(r['date']):%Y-%m-%d}",
                               "certificate": "yes" if r["certificate"] else "no"} for r in rows]}
        return exports.DOWNLOADS[export](table)
    query = request.GET.copy()
    query.pop("export", None)
    query.pop("page", None)
    # A page at a time, as the other long lists are; the downloads above hold every row.
    page = Paginator(rows, COMPLETIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "certificates/completions.html", {
        "rows": rows, "page": page, "agency": agency, "error": error, "params": request.GET,
        "query": query.urlencode(), "filtered": bool(start or end), "evaluate_within_days": days,
        "network": network})


@login_required
def evaluation_report(request):
    require(request.user, "view_evaluation_report")
    search = request.GET.get("q", "").strip()
    error = None
    try:
        scope = partnership_filters(request.GET, request.user)
    except DomainError as exc:
        error, scope = exc.message, partnership_filters({}, request.user)
    results, statements = selectors.evaluation_results(search=search, bookings=partnership_q(scope),
                                                       evaluations=partnership_q(scope, "booking__"))
    return render(request, "certificates/evaluation_report.html", {"results": results, "statements": statements,
                                                                   "q": search, "error": error,
                                                                   **partnership_choices(scope)})
