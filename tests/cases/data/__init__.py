"""Sample files in the data contract's format (written by hand) and helpers for the import tests."""
