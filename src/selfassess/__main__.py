"""`python -m selfassess` is the `selfassess` command."""

import sys

from selfassess.cli import main

sys.exit(main())
