from django.urls import path

from pintu.org import views

urlpatterns = [
    path("units/", views.unit_list, name="unit-list"),
    path("units/<str:code>/calendar/", views.unit_calendar, name="unit-calendar"),
]
