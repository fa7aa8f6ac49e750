from django.urls import path

from reviews import views

urlpatterns = [
    path("", views.tracker, name="learning_tracker"),
    path("themes/", views.themes, name="learning_themes"),
    path("reviews/new/", views.review_new, name="learning_review_new"),
    path("reviews/<int:pk>/", views.review_detail, name="learning_review"),
    path("reviews/<int:pk>/change/", views.review_change, name="learning_review_change"),
    path("reviews/<int:pk>/recommendations/new/", views.recommendation_new, name="recommendation_new"),
    path("recommendations/<int:pk>/", views.recommendation_detail, name="recommendation"),
    path("recommendations/<int:pk>/change/", views.recommendation_change, name="recommendation_change"),
]
