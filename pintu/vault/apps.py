from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VaultConfig(AppConfig):
    """SOP SDM.5.OT.02.02-5068: the register of the institution's digital-service
    accounts (Daftar Akun Layanan Berbasis Digital) and access to them."""

    name = "pintu.vault"
    label = "vault"
    verbose_name = _("Digital-service accounts")
