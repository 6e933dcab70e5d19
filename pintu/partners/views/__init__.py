"""The partnership pages, one module per subject; the site includes their addresses."""

from pintu.partners.views import activities, imports, monitoring, register, surveys

urlpatterns = [
    *register.urlpatterns,
    *activities.urlpatterns,
    *imports.urlpatterns,
    *monitoring.urlpatterns,
    *surveys.urlpatterns,
]
