from django.urls import path

from orderdesk.charges import views

app_name = "charges"

urlpatterns = [
    path("new/", views.new_charge, name="new"),
    path("mine/", views.mine, name="mine"),
    path("result/<uuid:key>/", views.result, name="result"),
    path("accounts/", views.account_search, name="account_search"),
    path("bills/", views.bills, name="bills"),
    path("reservations/", views.reservations, name="reservations"),
    path("products/", views.products, name="products"),
    path("taxes/", views.taxes, name="taxes"),
    path("segments/", views.segments, name="segments"),
    path("totals/", views.totals, name="totals"),
    path("catalogue/refresh/", views.refresh_catalogue, name="refresh_catalogue"),
]
