"""URLs of the weekly deadline follow-up (frister) and the oversigtsskema of placement cases."""

from django.urls import path

from sagstilsyn.cases.checklist import views as checklist_views
from sagstilsyn.cases.followup import views as followup_views

urlpatterns = [
    path("frister/", followup_views.followup, name="followup"),
    path("frister/frister.xlsx", followup_views.followup_xlsx, name="followup_xlsx"),
    path("sager/<int:case_id>/oversigtsskema/", checklist_views.checklist, name="checklist"),
    path(
        "sager/<int:case_id>/oversigtsskema/udskriv/", checklist_views.checklist_print, name="checklist_print"
    ),
]
