"""Administration (administration) from the screen: the municipality's units and groups, its staff and
their roles (ADR 0022). Administrators only (`core.access.can_administer`), their own municipality only.
The API clients' page is the api app's (`sagstilsyn.api.views_admin`); the shell's page *Administration*
links them all."""
