from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DoorsConfig(AppConfig):
    name = "pintu.doors"
    label = "doors"
    verbose_name = _("Service doors")

    def ready(self) -> None:
        # Registers each door's transport and the words the reply box uses for it, and
        # the start-up check of PINTU_SMTP_URL, so a wrong URL stops `pintu check` and
        # `pintu worker` instead of failing each mail.
        from pintu.doors.email import transport as email_transport  # noqa: F401
        from pintu.doors.ldap import config as ldap_config  # noqa: F401
        from pintu.doors.ldap import transport as ldap_transport  # noqa: F401
        from pintu.doors.whatsapp import transport as whatsapp_transport  # noqa: F401
