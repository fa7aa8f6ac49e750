"""The tracker's pages: the business unit's (reviews, recommendations, changes) and agency managers'
(their agency's recommendations, reach and evidence). Each asks people.permissions, then one service."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from lib import exports
from lib.errors import DomainError
from lib.params import period
from people.acting import acting_partnership
from people.models import Agency
from people.permissions import may, require
from reviews import forms, selectors, services
from reviews.models import ReviewTheme


def _form_error(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _refused(exc: DomainError) -> int:
    """The page's status after a refusal: 400 for another partnership's course, resource or briefing named by id
    (no form offers one: the request was made by hand), else 200 with the form's error, as for any other."""
    return 400 if exc.field in services.LINKS else 200


@login_required
def tracker(request):
    require(request.user, "view_learning_tracker")
    today = timezone.localdate()
    manager_only = selectors.own_agency_only(request.user) is not None
    reviews = selectors.visible_reviews(request.user).order_by("-date", "title")
    form = forms.TrackerFilterForm(
        request.GET or None, reviews=reviews,
        themes=ReviewTheme.objects.filter(review__in=reviews).order_by("theme").values_list("theme", flat=True)
        .distinct(), agencies=[] if manager_only else Agency.objects.order_by("name"))
    filters = selectors.Filters()
    if form.is_bound and form.is_valid():
        filters = selectors.Filters(**{k: v for k, v in form.cleaned_data.items() if v})
    rows = selectors.tracker(request.user, filters, today=today)
    export = request.GET.get("export")
    if export in exports.DOWNLOADS:
        return exports.DOWNLOADS[export]({"name": "learning-tracker", "columns": selectors.EXPORT_COLUMNS,
                                          "rows": selectors.export_rows(rows)})
    query = request.GET.copy()
    query.pop("export", None)
    counts = {flag: sum(1 for r in rows if r["rag"] == flag) for flag in (selectors.RED, selectors.AMBER,
                                                                          selectors.GREEN)}
    return render(request, "reviews/tracker.html", {
        "form": form, "rows": rows, "counts": counts, "query": query.urlencode(), "manager_only": manager_only,
        "agency": request.user.agency if manager_only else None,
        "can_manage": may(request.user, "manage_learning_reviews"),
    })


@login_required
def review_new(request):
    require(request.user, "manage_learning_reviews")
    form = forms.ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.create_review(**form.cleaned_data, by=request.user,
                                            partnership=acting_partnership(request))
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"Recorded {review.title}. Now add its recommendations.")
            return redirect(review)
    return render(request, "reviews/review_form.html", {"form": form})


@login_required
def review_change(request, pk: int):
    require(request.user, "manage_learning_reviews")
    review = get_object_or_404(selectors.visible_reviews(request.user).prefetch_related("themes"), pk=pk)
    require(request.user, "manage_learning_reviews", review)
    initial = {"kind": review.kind, "title": review.title, "reference": review.reference, "date": review.date,
               "themes": ", ".join(review.theme_list), "summary": review.summary}
    form = forms.ReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_review(review, **form.cleaned_data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Review changed.")
            return redirect(review)
    return render(request, "reviews/review_form.html", {"form": form, "review": review})


@login_required
def review_detail(request, pk: int):
    require(request.user, "view_learning_tracker")
    review = get_object_or_404(selectors.visible_reviews(request.user).prefetch_related("themes"), pk=pk)
    rows = selectors.tracker(request.user, selectors.Filters(review=review.pk), today=timezone.localdate())
    return render(request, "reviews/review_detail.html", {
        "review": review, "rows": rows, "can_manage": may(request.user, "manage_learning_reviews", review)})


@login_required
def recommendation_new(request, pk: int):
    require(request.user, "manage_learning_reviews")
    review = get_object_or_404(selectors.visible_reviews(request.user), pk=pk)
    require(request.user, "manage_learning_reviews", review)
    form = forms.RecommendationForm(request.POST or None, partnership_id=review.partnership_id)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            rec = services.add_recommendation(review, **form.cleaned_data, by=request.user)
        except DomainError as exc:
            _form_error(form, exc)
            status = _refused(exc)
        else:
            messages.success(request, f"Added recommendation {rec.number}.")
            return redirect(review)
    return render(request, "reviews/recommendation_form.html", {"form": form, "review": review}, status=status)


def _visible_rec(request, pk: int):
    recs = selectors.with_details(selectors.visible_recommendations(request.user))
    return get_object_or_404(recs, pk=pk)


@login_required
def recommendation_detail(request, pk: int):
    require(request.user, "view_learning_tracker")
    rec = _visible_rec(request, pk)
    can_add = may(request.user, "add_evidence", rec) and rec.status != rec.Status.CLOSED
    is_bu = may(request.user, "manage_learning_reviews", rec)
    form = forms.EvidenceForm(request.POST or None, for_business_unit=is_bu)
    if request.method == "POST":
        require(request.user, "add_evidence", rec)
        if form.is_valid():
            try:
                services.add_evidence(rec, note=form.cleaned_data["note"], by=request.user,
                                      staff_reached=form.cleaned_data["staff_reached"],
                                      agency=form.cleaned_data.get("agency"))
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, "Evidence added.")
                return redirect(rec)
    row = selectors.tracker(request.user, today=timezone.localdate(), pk=rec.pk)[0]
    mine = selectors.own_agency_only(request.user)
    evidence = rec.evidence.select_related("agency", "written_by")
    if mine is not None:
        evidence = evidence.filter(agency_id=mine)
    return render(request, "reviews/recommendation_detail.html", {
        "rec": rec, "row": row, "form": form, "can_add": can_add, "can_manage": is_bu,
        "evidence": evidence, "quotes": selectors.practice_change(rec, person=request.user),
        "changes": rec.changes.select_related("by") if is_bu else [],
    })


@login_required
def recommendation_change(request, pk: int):
    require(request.user, "manage_learning_reviews")
    rec = _visible_rec(request, pk)
    require(request.user, "manage_learning_reviews", rec)
    initial = {"status": rec.status, "due": rec.due, "text": rec.text, "lead_agency": rec.lead_agency,
               "owner_agencies": list(rec.owner_agencies.all()),
               "courses": list(rec.courses.all()), "resources": list(rec.resources.all()),
               "briefings": list(rec.briefings.all())}
    form = forms.ChangeForm(request.POST or None, initial=initial, partnership_id=rec.review.partnership_id)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            services.change_recommendation(rec, by=request.user, reason=reason, **data)
        except DomainError as exc:
            _form_error(form, exc)
            status = _refused(exc)
        else:
            messages.success(request, "Recommendation changed.")
            return redirect(rec)
    return render(request, "reviews/recommendation_change.html", {"form": form, "rec": rec}, status=status)


@login_required
def themes(request):
    """Themes recurring across reviews in a period (by default the last three years), with what answers them."""
    require(request.user, "view_learning_tracker")
    error = None
    try:
        start, end = period(request.GET)
    except DomainError as exc:
        error, start, end = exc.message, None, None
    today = timezone.localdate()
    end = end or today
    start = start or date(end.year - 3, end.month, 1)
    if start > end:
        error, start = "The start of the period must be before its end.", end - timedelta(days=3 * 365)
    return render(request, "reviews/themes.html", {
        "themes": selectors.recurring_themes(request.user, start=start, end=end), "start": start, "end": end,
        "error": error, "params": request.GET})
