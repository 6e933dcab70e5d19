from pintu.doors.email import views as email_views
from pintu.doors.whatsapp import views as whatsapp_views

urlpatterns = [*email_views.urlpatterns, *whatsapp_views.urlpatterns]
