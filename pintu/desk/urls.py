from pintu.desk.views import intake, portal, queue, ticket

urlpatterns = [*queue.urlpatterns, *intake.urlpatterns, *ticket.urlpatterns, *portal.urlpatterns]
