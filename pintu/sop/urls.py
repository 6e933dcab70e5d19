from django.urls import path

from pintu.sop import views

urlpatterns = [
    path("", views.catalogue, name="sop-catalogue"),
    path("<str:code>/", views.detail, name="sop-detail"),
    path("<str:code>/pdf", views.pdf, name="sop-pdf"),
]
