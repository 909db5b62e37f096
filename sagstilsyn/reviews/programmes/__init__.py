"""Tilsynsprogrammer and their draws (ADR 0026): periods, Copenhagen's default programme, the draw,
the export and the verification of stored samples."""
