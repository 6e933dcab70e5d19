"""The partnership pages, one module per subject; the site includes their addresses."""

from pintu.partners.views import register

urlpatterns = [*register.urlpatterns]
