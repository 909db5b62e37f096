"""The cases app's commands. A `<keyword>_` module is also importable as `commands.<keyword>`.

Django loads a command as `<app>.management.commands.<command name>`; see `..management.__init__`.
"""

import importlib
import pkgutil
import sys

from sagstilsyn.cases.management import keyword_command

for _module in pkgutil.iter_modules(__path__):
    _command = keyword_command(_module.name)
    if _command is not None:
        sys.modules[f"{__name__}.{_command}"] = importlib.import_module(f"{__name__}.{_module.name}")
