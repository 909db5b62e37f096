"""Case list, its Excel download and the case page. Case URLs carry database ids, never CPR numbers."""

from django.urls import URLPattern, URLResolver, path

from sagstilsyn.cases import views_cases

urlpatterns: list[URLPattern | URLResolver] = [
    path("sager/", views_cases.case_list, name="case_list"),
    path("sager/sagsliste.xlsx", views_cases.case_list_xlsx, name="case_list_xlsx"),
    path("sager/cpr-soegning/", views_cases.case_search_cpr, name="case_search_cpr"),
    path("sager/<int:pk>/", views_cases.case_page, name="case_detail"),
]
