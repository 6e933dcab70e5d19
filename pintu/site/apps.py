from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The top floor: pages that span apps (home, health, audit log), the layout, the URL
    and API wiring, and the demo data. It imports every app; no app imports it."""

    name = "pintu.site"
    label = "site"
    verbose_name = "Pintu"

    def ready(self) -> None:
        # Sign-in works out whether the session needs a second factor (its receiver).
        from pintu.site import twofactor  # noqa: F401
