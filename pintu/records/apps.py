from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    """Records kept for their period: the retention schedule, archives, legal holds and
    the destruction of what is past its period, approved by the unit head."""

    name = "pintu.records"
    label = "records"
    verbose_name = _("Records")
