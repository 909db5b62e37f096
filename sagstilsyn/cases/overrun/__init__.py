"""Begrundelse for overskridelse: the reason a deadline was overrun, recorded in Sagstilsyn by the
caseworker (or a line leader) and acknowledged (kvitteret) by the unit's leader."""
