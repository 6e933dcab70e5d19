from pintu.desk.views import intake, portal, queue, search, ticket

urlpatterns = [
    *queue.urlpatterns,
    *search.urlpatterns,
    *intake.urlpatterns,
    *ticket.urlpatterns,
    *portal.urlpatterns,
]
