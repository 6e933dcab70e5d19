from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "pintu.core"
    label = "core"
    verbose_name = "Pintu core"
