from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    """The partnership SOP (PR.KS, Unit Kerjasama): partners, agreements (MoU, MoA, IA)
    and their documents, cooperation activities through the SOP's four steps, the
    monitoring form BO.28.1.2, partner satisfaction and the coverage B.1.15.12 counts."""

    name = "pintu.partners"
    label = "partners"
    verbose_name = _("Partnerships")
