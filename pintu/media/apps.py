from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    """PR.27.4 (Humas dan Kerjasama): the content calendar from plan to evaluation, the
    reviews of the schedule, and the calendar's feed."""

    name = "pintu.media"
    label = "media"
    verbose_name = _("Information media")
