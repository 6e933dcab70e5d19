from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    """PR.33.8 Prosedur Pengelolaan Akun (UPT-SI): campus accounts from the request to
    the hand-over, on the directory through the outbox's ``ldap`` transport."""

    name = "pintu.identity"
    label = "identity"
    verbose_name = _("Campus accounts")
