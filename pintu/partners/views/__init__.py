"""The partnership pages, one module per subject; the site includes their addresses."""

from pintu.partners.views import activities, imports, register

urlpatterns = [*register.urlpatterns, *activities.urlpatterns, *imports.urlpatterns]
