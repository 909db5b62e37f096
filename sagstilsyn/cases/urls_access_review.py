"""URLs of the page Usædvanlig adgang (the databeskyttelsesrådgiver's review of the access log)."""

from django.urls import path

from sagstilsyn.cases.access_review import views

urlpatterns = [
    path("adgang/", views.unusual_access_page, name="unusual_access"),
    path("adgang/usaedvanlig-adgang.xlsx", views.unusual_access_xlsx, name="unusual_access_xlsx"),
]
