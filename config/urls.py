from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from attendance import api as attendance_api
from attendance import views as attendance_views
from bookings import api as bookings_api
from bookings import views as booking_views
from bookings.api import BookingViewSet
from certificates import api as certificates_api
from certificates import views as certificates_views
from charging import api as charging_api
from charging import views as charging_views
from config.api_reference import api_reference
from courses import manage as course_manage
from courses import views as course_views
from courses.api import CourseViewSet, SessionViewSet
from health import views as health_views
from people import views as people_views
from people.api import AgencyViewSet, PartnershipViewSet, me
from people.permissions import may
from reports import api as reports_api
from reports import views as reports_views
from resources import api as resources_api
from resources import views as resources_views
from reviews import api as reviews_api

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("agencies", AgencyViewSet, basename="agency")
router.register("partnerships", PartnershipViewSet, basename="partnership")
router.register("courses", CourseViewSet, basename="course")
router.register("sessions", SessionViewSet, basename="session")
router.register("bookings", BookingViewSet, basename="booking")
router.register("charges", charging_api.ChargeViewSet, basename="charge")
router.register("resources", resources_api.ResourceViewSet, basename="resource")
router.register("learning-reviews", reviews_api.LearningReviewViewSet, basename="learning-review")
router.register("recommendations", reviews_api.RecommendationViewSet, basename="recommendation")

# Django's admin serves the business unit; nobody else gets in.
admin.site.site_header = "Training hub: data manager"
admin.site.site_title = "Training hub"
admin.site.has_permission = lambda request: may(request.user, "use_admin")

# The public API under one prefix, first: an API request does not try every page's pattern, and a
# page's request passes the API with one check.
api_v1 = [
    path("me/", me, name="api_me"),
    path("sessions/<int:pk>/register/", attendance_api.register, name="api_register"),
    path("sessions/<int:pk>/register/close/", attendance_api.close, name="api_register_close"),
    path("sessions/<int:pk>/register/<int:booking_id>/correct/", attendance_api.correct,
         name="api_register_correct"),
    path("charging-policy/", charging_api.charging_policy, name="api_charging_policy"),
    path("invoices/", charging_api.invoices, name="api_invoices"),
    path("certificates/", certificates_api.my_certificates, name="api_certificates"),
    path("reports/resources/", resources_api.reach_report, name="api_reach_report"),
    path("reports/attendance/", reports_api.attendance, name="api_attendance_report"),
    path("reports/exchange/", reports_api.exchange, name="api_exchange_report"),
    re_path(r"^sessions/(?P<pk>\d+)/book/$", bookings_api.book, name="api_book"),
    *router.urls,
]

urlpatterns = [
    path("api/v1/", include(api_v1)),
    path("", course_views.calendar, name="home"),
    path("calendar/", course_views.calendar, name="calendar"),
    path("p/<slug:slug>/", course_views.partnership_calendar, name="partnership_calendar"),
    path("healthz", course_views.healthz, name="healthz"),
    path("healthz/deep", health_views.deep, name="healthz_deep"),
    path("courses/<int:pk>/", course_views.course_detail, name="course_detail"),
    path("sessions/<int:pk>/", course_views.session_detail, name="session_detail"),
    path("programme/", course_manage.programme, name="programme"),
    path("sessions/new/", course_manage.session_new, name="session_new"),
    path("sessions/<int:pk>/change/", course_manage.session_edit, name="session_edit"),
    path("sessions/<int:pk>/cancel/", course_manage.session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/book/", booking_views.book, name="book"),
    path("sessions/<int:pk>/bookings/", booking_views.session_bookings, name="session_bookings"),
    path("bookings/", booking_views.my_bookings, name="my_bookings"),
    path("bookings/<int:pk>/cancel/", booking_views.cancel, name="booking_cancel"),
    path("bookings/<int:pk>/hand-over/", booking_views.hand_over, name="booking_hand_over"),
    path("bookings/<int:pk>/offer/", booking_views.offer, name="booking_offer"),
    path("bookings/feed/renew/", booking_views.renew_feed, name="renew_feed"),
    path("bookings/calendar-invites/", booking_views.calendar_invites, name="calendar_invites"),
    path("approvals/<str:token>/", booking_views.approval, name="approval"),
    path("calendar/sessions.ics", booking_views.public_feed, name="public_feed"),
    path("calendar/feed/<str:token>.ics", booking_views.personal_feed, name="personal_feed"),
    path("teaching/", attendance_views.my_sessions, name="my_sessions"),
    path("sessions/<int:pk>/register/", attendance_views.register, name="register"),
    path("sessions/<int:pk>/register/sign-in-sheet.pdf", attendance_views.sign_in_sheet, name="sign_in_sheet"),
    path("charges/", charging_views.queue, name="charges"),
    path("charges/approve/", charging_views.approve_selected, name="charges_approve"),
    path("charges/invoice/", charging_views.invoice, name="charges_invoice"),
    path("charges/<int:pk>/", charging_views.charge_detail, name="charge_detail"),
    path("charging-policy/", charging_views.policy, name="charging_policy"),
    path("resources/", resources_views.catalogue, name="resources"),
    path("resources/new/", resources_views.publish, name="resource_new"),
    path("resources/<int:pk>/", resources_views.detail, name="resource_detail"),
    path("resources/<int:pk>/open/", resources_views.open_resource, name="resource_open"),
    path("reports/resources/", resources_views.reach, name="reach_report"),
    path("briefings/", resources_views.briefings, name="briefings"),
    path("briefings/new/", resources_views.briefing_new, name="briefing_new"),
    path("briefings/<int:pk>/", resources_views.briefing_detail, name="briefing_detail"),
    path("briefings/unsubscribe/<str:token>/", resources_views.unsubscribe, name="briefing_unsubscribe"),
    path("bookings/<int:pk>/evaluation/", certificates_views.evaluate, name="evaluate"),
    path("bookings/<int:pk>/follow-up/", certificates_views.follow_up, name="follow_up"),
    path("certificates/verify/<str:code>/", certificates_views.verify, name="certificate_verify"),
    path("certificates/<str:code>.pdf", certificates_views.certificate_pdf, name="certificate_pdf"),
    path("learning-record/", certificates_views.learning_record, name="learning_record"),
    path("agency/", people_views.agency_home, name="agency_home"),
    path("agency/bookings/", booking_views.agency_bookings, name="agency_bookings"),
    path("agency/completions/", certificates_views.completions, name="completions"),
    path("reports/evaluations/", certificates_views.evaluation_report, name="evaluation_report"),
    path("reports/", reports_views.dashboard, name="reports"),
    path("reports/annual/", reports_views.annual, name="annual_report"),
    path("reports/exchange/", reports_views.exchange, name="exchange_report"),
    path("learning/", include("reviews.urls")),
    path("account/", people_views.my_account, name="my_account"),
    path("account/my-data.json", people_views.my_data, name="my_data"),
    path("account/home-partnership/", people_views.home_partnership, name="home_partnership"),
    path("accessibility/", people_views.accessibility, name="accessibility"),
    path("privacy/", people_views.privacy, name="privacy"),
    path("cookies/", people_views.cookies, name="cookies"),
    path("accounts/", include("allauth.urls")),
    path("_allauth/", include("allauth.headless.urls")),
    path("manage/", admin.site.urls),
    path("webhooks/stripe/", charging_api.stripe_webhook, name="stripe_webhook"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api_docs"),
    path("api/", api_reference, name="api_reference"),
]

handler400 = "config.errors.bad_request"
handler403 = "config.errors.forbidden"
handler404 = "config.errors.not_found"
handler500 = "config.errors.server_error"
