"""``python -m didgah.cli``: the same as the ``didgah`` command."""

import sys

from didgah.cli import main

sys.exit(main())
