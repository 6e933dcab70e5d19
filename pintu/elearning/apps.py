from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElearningConfig(AppConfig):
    """PR.13.2 (P4M): course-data changes and announcements pushed to Moodle, the
    register of information-system releases and their announcements (B.4.6.4.g), and the
    availability of the online learning services (B.1.8.17)."""

    name = "pintu.elearning"
    label = "elearning"
    verbose_name = _("E-learning")

    def ready(self) -> None:
        # Registers the outbox transport that carries the module's jobs to Moodle.
        from pintu.elearning import transport  # noqa: F401
