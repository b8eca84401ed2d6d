from django.urls import path

from orderdesk.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.submission_list, name="list"),
    path("export/", views.submission_export, name="export"),
    path("<int:pk>/", views.submission_detail, name="detail"),
    path("<int:pk>/settle/", views.submission_settle, name="settle"),
]
