from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "pintu.core"
    label = "core"
    verbose_name = _("Pintu core")

    def ready(self) -> None:
        # Periodic jobs register themselves when their app's tasks module is imported.
        autodiscover_modules("tasks")
        # Signing in starts the idle time (its receiver), before any request has loaded
        # the middleware that imports it.
        from pintu.core import sessions  # noqa: F401
