"""The core app: start page, rule catalogue pages, the catalogue system check and shared helpers."""
