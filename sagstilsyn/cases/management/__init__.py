"""Management commands of the cases app, and the registration of `sagstilsyn import`.

Django names a command after its module, and a module cannot be named after a Python keyword, so the
`import` command lives in `commands/import_.py` (PEP 8's trailing underscore). `keyword_commands_register`
lists each such `<keyword>_` module under the keyword itself, and `commands/__init__.py` lends the module
that name, so that `call_command("import", ...)`, `manage.py import ...` and `sagstilsyn import ...` all
find it and `manage.py help` lists `import` (never `import_`).
"""

from __future__ import annotations

import keyword

from django.core.management import get_commands


def keyword_command(module_name: str) -> str | None:
    """The keyword a command module named `<keyword>_` stands for, else None."""
    name = module_name.removesuffix("_")
    return name if name != module_name and keyword.iskeyword(name) else None


def keyword_commands_register(app_name: str) -> None:
    """List the app's `<keyword>_` command modules under their keyword (called from `AppConfig.ready`).

    Django caches the command list; a test that overrides INSTALLED_APPS clears that cache and with it
    this registration.
    """
    commands = get_commands()
    for module_name, owner in list(commands.items()):
        command = keyword_command(module_name)
        if owner == app_name and command is not None:
            commands[command] = commands.pop(module_name)
