"""django-helpdesk at the root of the site, as its documentation mounts it, with the
admin site that its staff templates link to."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("helpdesk.urls", namespace="helpdesk")),
]
