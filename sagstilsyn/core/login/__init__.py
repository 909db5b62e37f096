"""Log-in beyond the password (ADR 0016): the second factor for local log-ins (TOTP: a code from a code
app, django-otp) and single sign-on through the municipality's identity provider (OpenID Connect,
mozilla-django-oidc). Django's own password log-in and its throttling (django-axes, ADR 0014) stay in
`core/views.py`."""
