"""Usædvanlig adgang: the databeskyttelsesrådgiver's review of the access log (selectors, views)."""
