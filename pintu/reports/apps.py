from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """A unit's yearly reports (the LED and PR.13.2's service analysis), written from
    its KPIs, with the analysis and follow-up plan its people add."""

    name = "pintu.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from pintu.reports import tasks  # noqa: F401
