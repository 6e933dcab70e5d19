from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "pintu.sla"
    label = "sla"
    verbose_name = "SLA"
