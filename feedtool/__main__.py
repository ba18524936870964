"""``python -m feedtool``."""

from feedtool.cli import app

app(prog_name="feedtool")
