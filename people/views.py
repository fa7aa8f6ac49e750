from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render


@login_required
def my_data(request):
    """Everything the hub holds about the signed-in person (UK GDPR right of access), as JSON."""
    from people.privacy import export_personal_data

    response = JsonResponse(export_personal_data(request.user), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = 'attachment; filename="my-training-hub-data.json"'
    return response


@login_required
def my_account(request):
    from django.conf import settings

    return render(request, "people/my_account.html", {"person": request.user,
                                                      "retention_years": settings.RETENTION_YEARS})
