"""URLs of the ledelsestilsyn: fund (findings), sagsgenopretninger (case repairs), the caseworker's findings,
læringspunkter (learning points) and handleplaner (action plans)."""

from django.urls import path

from sagstilsyn.reviews.findings import views
from sagstilsyn.reviews.findings import views_learning as learning

urlpatterns = [
    path("fund/", views.findings, name="findings"),
    path("fund/fund.xlsx", views.findings_xlsx, name="findings_xlsx"),
    path("mine-fund/", views.my_findings_page, name="my_findings"),
    path("mine-fund/mine-fund.xlsx", views.my_findings_xlsx, name="my_findings_xlsx"),
    path("genopretninger/<int:repair_id>/", views.repair, name="repair"),
    path("laeringspunkter/", learning.learning_points, name="learning_points"),
    path("laeringspunkter/laeringspunkter.xlsx", learning.learning_points_xlsx, name="learning_points_xlsx"),
    path("laeringspunkter/<int:point_id>/handleplan/", learning.action_plan_new, name="action_plan_new"),
    path("handleplaner/", learning.action_plans, name="action_plans"),
    path("handleplaner/handleplaner.xlsx", learning.action_plans_xlsx, name="action_plans_xlsx"),
]
