from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpiConfig(AppConfig):
    """The KPIs of the SOPs, measured from the records with their evidence."""

    name = "pintu.kpi"
    label = "kpi"
    verbose_name = _("KPIs")

    def ready(self) -> None:
        from pintu.kpi import checks  # noqa: F401
