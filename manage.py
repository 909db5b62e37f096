#!/usr/bin/env python
"""Django's command-line utility for administrative tasks (the same as the `sagstilsyn` command)."""

import sys

from sagstilsyn.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
