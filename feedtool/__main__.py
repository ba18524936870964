"""``python -m feedtool``."""

from feedtool.cli import run

run()
