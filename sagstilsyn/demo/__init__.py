"""Demo data (demodata): a deterministic, Copenhagen-sized municipality loaded through the services.

`sagstilsyn demo load` (sagstilsyn/core/management/commands/demo.py) calls `demo_load` in `load.py`.
`people.py` holds the organisation and staff, `population.py` the children and cases, whose histories
come from `generator.py` (shared with bench/law_engine.py) with the demo's rates from `rates.py`.
Nothing here is real: names, case numbers and CPR numbers are made up (see `population.py`).
"""
