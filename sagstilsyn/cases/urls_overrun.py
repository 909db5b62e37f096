"""The page of an overrun deadline's begrundelse for overskridelse."""

from django.urls import path

from sagstilsyn.cases.overrun import views

urlpatterns = [
    path("frister/<int:obligation_id>/begrundelse/", views.overrun_reason, name="overrun_reason"),
]
