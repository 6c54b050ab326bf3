"""``python -m server …``: the same as ``python main.py server …``."""

import sys

from server.cli import main

sys.exit(main())
