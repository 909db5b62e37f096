"""Background work on a queue (ADR 0015): the Celery app (`app`), how work is submitted with or without a
broker (`services.queue_submit`), who runs a job and whether that worker is still alive (`workers`), and
the sweep that finds work whose worker died (`services.queue_sweep`).

Core owns the queue; the apps define their tasks in their own ``tasks.py`` with ``app.task`` (found by
the worker through Django's INSTALLED_APPS) and register a sweep for their own jobs from
`AppConfig.ready()` (`sweep_register`), so core never names the apps above it.
"""
