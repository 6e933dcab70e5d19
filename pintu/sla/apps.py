from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class SlaConfig(AppConfig):
    name = "pintu.sla"
    label = "sla"
    verbose_name = "SLA"

    def ready(self) -> None:
        from pintu.org.models import BusinessCalendar, Closure, Holiday
        from pintu.sla.calendars import calendar_data_changed

        # Calendar data changes rarely; when it does, deadlines use it at once.
        for model in (BusinessCalendar, Closure, Holiday):
            for signal in (post_save, post_delete):
                signal.connect(calendar_data_changed, sender=model, weak=False)
