from django.contrib import admin
from django.urls import include, path

from pintu.api import api
from pintu.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("", include("pintu.core.urls")),
    path("", include("pintu.org.urls")),
    path("sop/", include("pintu.sop.urls")),
    path("", include("pintu.desk.urls")),
    path("", include("pintu.doors.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
