"""Reads of the cases app: `cases` (case list and case page) and `overview` (start-page counts)."""
