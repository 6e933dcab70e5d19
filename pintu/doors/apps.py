from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DoorsConfig(AppConfig):
    name = "pintu.doors"
    label = "doors"
    verbose_name = _("Service doors")

    def ready(self) -> None:
        # Registers the SMTP transport and its start-up check of PINTU_SMTP_URL, so a
        # wrong URL stops `pintu check` and `pintu worker` instead of failing each mail.
        from pintu.doors.email import transport  # noqa: F401
