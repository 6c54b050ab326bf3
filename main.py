#!/usr/bin/env python3
"""Posko entry point: `python main.py` opens the console; see `python main.py --help`."""

import sys

from console.cli import main

if __name__ == "__main__":
    sys.exit(main())
