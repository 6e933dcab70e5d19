from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "pintu.desk"
    label = "desk"
    verbose_name = _("Service desk")

    def ready(self) -> None:
        # The unit modules register their step actions in their own steps.py; the
        # check that refuses an action no SOP has comes with them.
        from pintu.desk import checks  # noqa: F401

        autodiscover_modules("steps")
