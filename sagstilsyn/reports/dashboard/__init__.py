"""Instrumentbrættet for lovoverholdelse (the compliance dashboards, issue 14 §4 and §6, ADR 0038):
selectors over the compliance figures, cells as a screen reads them, the quarters, and the one-click
action plan's defaults. Reads only, but for `risk_plan_create`, which calls the reviews' service."""
