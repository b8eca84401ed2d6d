from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from orderdesk.core import views as core_views
from orderdesk.core.forms import ThrottledAuthenticationForm

admin.site.site_header = "orderdesk"
admin.site.site_title = "orderdesk"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz/", core_views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=ThrottledAuthenticationForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("charges/", include("orderdesk.charges.urls")),
    path("connections/", include("orderdesk.connections.urls")),
    path("audit/", include("orderdesk.audit.urls")),
    path("admin/", admin.site.urls),
]
