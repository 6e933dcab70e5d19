from django.urls import path

from pintu.org import views

urlpatterns = [
    path("units/", views.unit_list, name="unit-list"),
    path("units/<str:code>/calendar/", views.unit_calendar, name="unit-calendar"),
    path("units/<str:code>/closures/<int:pk>/edit/", views.closure_edit, name="unit-closure-edit"),
    path(
        "units/<str:code>/closures/<int:pk>/delete/",
        views.closure_delete,
        name="unit-closure-delete",
    ),
]
