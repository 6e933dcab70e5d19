"""The content calendar's addresses (under /media/)."""

from django.urls import URLPattern, path
from django.views.generic import RedirectView

from pintu.media.views import calendar, items, reviews

urlpatterns: list[URLPattern] = [
    path("media/", RedirectView.as_view(pattern_name="media-calendar"), name="media-home"),
    path("media/kalender/", calendar.calendar_page, name="media-calendar"),
    path("media/linimasa/", calendar.timeline_page, name="media-timeline"),
    path("media/konten/baru/", items.item_new, name="media-item-new"),
    path("media/konten/<int:pk>/", items.item_page, name="media-item"),
    path("media/konten/<int:pk>/ubah/", items.item_edit, name="media-item-edit"),
    path("media/konten/<int:pk>/jadwal/", items.item_reschedule, name="media-item-reschedule"),
    path("media/konten/<int:pk>/status/", items.item_move, name="media-item-move"),
    path("media/konten/<int:pk>/tugas/", items.task_add, name="media-task-add"),
    path(
        "media/konten/<int:pk>/tugas/<int:task_id>/selesai/",
        items.task_done,
        name="media-task-done",
    ),
    path("media/konten/<int:pk>/aset/", items.asset_add, name="media-asset-add"),
    path("media/konten/<int:pk>/aset/<int:asset_id>/", items.asset_download, name="media-asset"),
    path("media/konten/<int:pk>/publikasi/", items.publication_add, name="media-publication"),
    path("media/konten/<int:pk>/jangkauan/", items.metrics_add, name="media-metrics"),
    path("media/reviu/", reviews.reviews_page, name="media-reviews"),
    path("media/reviu/<int:pk>/", reviews.review_page, name="media-review"),
    path("media/evaluasi/", reviews.evaluation_page, name="media-evaluation"),
    path("media/evaluasi/csv/", reviews.metrics_csv, name="media-metrics-csv"),
    path("media/evaluasi/reviu-laporan/", reviews.report_review, name="media-report-review"),
    path("media/feed/<str:code>/<str:token>.ics", reviews.feed, name="media-feed"),
]
