from django.urls import path

from sagstilsyn.core import views
from sagstilsyn.core.administration import views as admin_views
from sagstilsyn.core.jobs import views as job_views
from sagstilsyn.core.login import views as login_views

app_name = "core"

urlpatterns = [
    path("log-ind/", views.LoginView.as_view(), name="login"),
    path("log-ind/kode/", login_views.otp_page, name="otp"),
    path("log-ind/kommunens-login/", login_views.sso_start, name="sso_login"),
    path("log-ind/kommunens-login/retur/", login_views.sso_callback, name="sso_callback"),
    path("log-ud/", login_views.logout, name="logout"),
    path("job/", job_views.jobs_page, name="jobs"),
    path("job/koersler.xlsx", job_views.job_runs_xlsx, name="job_runs_xlsx"),
    path("administration/enheder/", admin_views.unit_list, name="unit_list"),
    path("administration/enheder.xlsx", admin_views.unit_list_xlsx, name="unit_list_xlsx"),
    path("administration/enheder/<int:unit_id>/", admin_views.unit_edit, name="unit_edit"),
    path("administration/medarbejdere/", admin_views.staff_list, name="staff_list"),
    path("administration/medarbejdere.xlsx", admin_views.staff_list_xlsx, name="staff_list_xlsx"),
    path("administration/medarbejdere/<int:user_id>/", admin_views.staff_detail, name="staff_detail"),
    path("regler/", views.rule_list, name="rules"),
    path("regler/regelkatalog.xlsx", views.catalogue_xlsx, name="catalogue_xlsx"),
    path("regler/<slug:rule_id>/", views.rule_page, name="rule"),
]
