"""Demo data (demodata): a deterministic, Copenhagen-sized municipality loaded through the services.

`sagstilsyn demo load` (sagstilsyn/core/management/commands/demo.py) calls `demo_load` in `load.py`.
`people.py` holds the organisation and staff, `population.py` the synthetic case histories.
Nothing here is real: names, case numbers and CPR numbers are made up (see `population.py`).
"""
