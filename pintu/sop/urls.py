from django.urls import path

from pintu.sop import views

urlpatterns = [
    path("", views.catalogue, name="sop-catalogue"),
]
