"""Rendering: pages (Jinja2) and feeds (feedgen), as ``{path: bytes}`` with no I/O."""

from feedtool.render.env import make_env
from feedtool.render.feeds import render_feeds
from feedtool.render.pages import render_pages

__all__ = ["make_env", "render_feeds", "render_pages"]
