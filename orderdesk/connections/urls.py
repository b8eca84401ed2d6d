from django.urls import path

from orderdesk.connections import views

app_name = "connections"

urlpatterns = [
    path("", views.connection_list, name="list"),
    path("<int:pk>/test/", views.connection_test, name="test_connection"),
    path("properties/<int:pk>/test/", views.property_test, name="test_property"),
    path(
        "properties/<int:pk>/enterprise/",
        views.property_choose_enterprise_view,
        name="choose_enterprise",
    ),
]
