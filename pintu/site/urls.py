"""The site's URLs: every app's pages, the API, sign-in and the admin site."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from pintu.site import twofactor, views
from pintu.site.api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("login/kode/", twofactor.login_code, name="login-code"),
    path("keamanan/", twofactor.security, name="security"),
    path("audit/", views.audit_log, name="audit-log"),
    path("audit/export.csv", views.audit_log_csv, name="audit-log-csv"),
    path("audit/export.xlsx", views.audit_log_xlsx, name="audit-log-xlsx"),
    path("", include("pintu.org.urls")),
    path("sop/", include("pintu.sop.urls")),
    path("", include("pintu.desk.urls")),
    path("", include("pintu.doors.urls")),
    path("", include("pintu.vault.views")),
    path("", include("pintu.elearning.views")),
    path("", include("pintu.media.urls")),
    path("", include("pintu.partners.views")),
    path("", include("pintu.identity.views")),
    path("", include("pintu.kpi.views")),
    path("", include("pintu.reports.views")),
    path("", include("pintu.records.views")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

# 403 needs no handler of its own: Django's renders the site's 403.html.
handler404 = "pintu.site.errors.page_not_found"
handler500 = "pintu.site.errors.server_error"
