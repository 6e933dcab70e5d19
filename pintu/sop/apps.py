from django.apps import AppConfig


class SopConfig(AppConfig):
    name = "pintu.sop"
    label = "sop"
    verbose_name = "SOP"
