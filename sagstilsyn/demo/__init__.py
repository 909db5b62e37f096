"""Demo data (demodata): a deterministic, Copenhagen-sized municipality loaded through the services.

The package is a Django app (`demo`, no models) for its command: `sagstilsyn demo load`
(`management/commands/demo.py`) calls `demo_load` in `load.py`. `people.py` holds the organisation and
staff, `population.py` the children and cases, whose histories come from `generator.py` (shared with
bench/law_engine.py) with the demo's rates from `rates.py`.
Nothing here is real: names, case numbers and CPR numbers are made up (see `population.py`).
"""
