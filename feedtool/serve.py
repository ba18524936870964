"""``feedtool serve``: build into a temporary folder, serve it, rebuild on change.

The site is built into a temporary folder (never ``site/``) with ``base_url`` set to
the server's own address, so every link and feed works locally. ``config.yaml``, the
content folder and the templates folder are watched (watchfiles); any change rebuilds
the whole site. HTML responses get a small script that polls
``/__feedtool__/version`` and reloads the page after a rebuild; the files on disk are
never changed. A failed build is logged and shown as an error page in the browser,
and the server keeps running until the next change fixes it.
"""

from __future__ import annotations

import html
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import watchfiles

from feedtool import build as build_mod
from feedtool.config import Config, load_config
from feedtool.errors import FeedtoolError, problem

__all__ = ["VERSION_PATH", "LiveSite", "make_server", "serve", "watch_paths"]

log = logging.getLogger("feedtool.serve")

VERSION_PATH = "/__feedtool__/version"
RELOAD_SCRIPT = (
    "<script>/* feedtool serve: live reload */(function(){var v=null;"
    "function poll(){fetch('" + VERSION_PATH + "',{cache:'no-store'}).then(function(r)"
    "{return r.text()}).then(function(t){if(v===null){v=t}else if(t!==v){location.reload()}})"
    ".catch(function(){}).finally(function(){setTimeout(poll,700)})}poll()})();</script>"
)
_ATOM_NS = b"http://www.w3.org/2005/Atom"


class LiveSite:
    """The site being served: its folder, a build counter, and the last build's error."""

    def __init__(
        self,
        config_path: Path,
        base_url: str,
        workdir: Path,
        say: Callable[[str], None] = log.info,
    ) -> None:
        self.config_path = config_path
        self.say = say
        self.base_url = base_url
        self.site_dir = workdir / "site"
        self.version = 0
        self.error: str | None = None
        self.config: Config | None = None
        self._lock = threading.Lock()

    def rebuild(self) -> bool:
        """Reload the config and build the whole site; record the error on failure."""
        with self._lock:
            try:
                cfg = load_config(self.config_path)
                cfg = cfg.with_base_url(self.base_url)  # entry ids as the config makes them
                self.config = cfg
                report = build_mod.build(cfg, out_dir=self.site_dir)
            except FeedtoolError as exc:
                self.error = str(exc)
                log.error("build failed; the server keeps running\n%s", self.error)
            except Exception as exc:  # a bug must not stop the server
                self.error = f"internal error: {type(exc).__name__}: {exc}"
                log.error("%s", self.error, exc_info=log.isEnabledFor(logging.DEBUG))
            else:
                self.error = None
                self.say(report.summary())
            self.version += 1
            return self.error is None


def _content_type(path: Path, guessed: str) -> str:
    if path.suffix == ".xml":
        try:
            with path.open("rb") as handle:
                head = handle.read(1024)
        except OSError:
            return guessed
        if b"<feed" in head and _ATOM_NS in head:
            return "application/atom+xml; charset=utf-8"
        if b"<rss" in head:
            return "application/rss+xml; charset=utf-8"
        return "application/xml; charset=utf-8"
    if path.suffix == ".json":
        # JSON Feed's own media type (https://www.jsonfeed.org/version/1.1/), for feed.json
        # and its archive pages; other JSON as JSON.
        if path.name == "feed.json" or path.name.startswith("feed-"):
            return "application/feed+json; charset=utf-8"
        return "application/json; charset=utf-8"
    if path.suffix == ".opml":
        return "text/x-opml; charset=utf-8"
    return guessed


def error_page(message: str) -> bytes:
    """The page shown while the last build has failed."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>Build failed: feedtool serve</title>"
        "<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem;max-width:60rem}"
        "pre{white-space:pre-wrap;background:#fee;padding:1rem;border-left:4px solid #c00}"
        "</style></head><body><h1>Build failed</h1>"
        "<p>Fix the problem and save the file; this page reloads when the site builds.</p>"
        f"<pre>{html.escape(message)}</pre>{RELOAD_SCRIPT}</body></html>\n"
    ).encode()


class Handler(SimpleHTTPRequestHandler):
    """Serves the live site; injects the reload script into HTML responses."""

    site: LiveSite

    def __init__(self, *args: Any, site: LiveSite, **kwargs: Any) -> None:
        self.site = site
        super().__init__(*args, directory=str(site.site_dir), **kwargs)

    def log_message(self, format: str, *args: Any) -> None:
        """Requests are logged at debug level (``-vv``), not on every page view."""
        log.debug("%s %s", self.address_string(), format % args)

    def end_headers(self) -> None:
        """No caching: every reload must see the newest build."""
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def guess_type(self, path: str | os.PathLike[str]) -> str:
        """Each feed with its format's media type (Atom, RSS, JSON Feed); other XML as
        ``application/xml``."""
        return _content_type(Path(path), super().guess_type(path))

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _html_path(self) -> Path | None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return None  # the base class redirects to the slash form
            path = path / "index.html"
        return path if path.suffix == ".html" and path.is_file() else None

    def do_GET(self) -> None:
        """The version endpoint, the error page, HTML with the script, or a plain file."""
        if self.path.split("?", 1)[0] == VERSION_PATH:
            self._send(HTTPStatus.OK, str(self.site.version).encode(), "text/plain")
            return
        error = self.site.error
        wants_page = self.path.split("?", 1)[0].endswith(("/", ".html"))
        if error is not None and wants_page:
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, error_page(error), "text/html")
            return
        page = self._html_path()
        if page is not None:
            data = page.read_bytes()
            at = data.rfind(b"</body>")
            script = RELOAD_SCRIPT.encode()
            data = data[:at] + script + data[at:] if at >= 0 else data + script
            self._send(HTTPStatus.OK, data, "text/html; charset=utf-8")
            return
        if not (self.site.site_dir / "index.html").is_file() and self.path in ("/", ""):
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, error_page("no site built yet"), "text/html")
            return
        if self.command == "HEAD":
            super().do_HEAD()
        else:
            super().do_GET()

    def do_HEAD(self) -> None:
        """Like GET, without the body."""
        self.do_GET()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The site's own 404 page when it has one."""
        not_found = self.site.site_dir / "404.html"
        if code == HTTPStatus.NOT_FOUND and not_found.is_file():
            data = not_found.read_bytes() + RELOAD_SCRIPT.encode()
            self._send(HTTPStatus.NOT_FOUND, data, "text/html; charset=utf-8")
            return
        super().send_error(code, message, explain)


def make_server(site: LiveSite, host: str, port: int) -> ThreadingHTTPServer:
    """A threading HTTP server for ``site`` on ``host:port`` (0: any free port)."""
    server = ThreadingHTTPServer((host, port), partial(Handler, site=site))
    server.daemon_threads = True
    return server


def watch_paths(cfg: Config) -> list[Path]:
    """What to watch: the project folder, plus content and templates when outside it."""
    paths = [cfg.root]
    for extra in (cfg.content_dir, cfg.templates_dir):
        if extra.is_dir() and not extra.is_relative_to(cfg.root):
            paths.append(extra)
    return paths


class _Filter(watchfiles.DefaultFilter):
    """Changes to the config file, the content folder or the templates; nothing else."""

    def __init__(self, site: LiveSite) -> None:
        super().__init__()
        self.site = site

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        if not super().__call__(change, path):
            return False
        cfg = self.site.config
        p = Path(path).resolve()
        if p == self.site.config_path.resolve():
            return True
        if cfg is None:
            return p.parent == self.site.config_path.resolve().parent
        name = p.name
        if name.startswith(".") or name.endswith("~"):
            return False
        return p.is_relative_to(cfg.content_dir) or p.is_relative_to(cfg.templates_dir)


def serve(
    config_path: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    stop: threading.Event | None = None,
    on_ready: Callable[[str], None] | None = None,
    say: Callable[[str], None] = log.info,
) -> None:
    """Serve the project of ``config_path`` until ``stop`` is set or Ctrl-C.

    ``on_ready`` is called with the site's URL once the first build is done and the
    server listens; ``say`` receives status lines (build summaries, changes). Build
    failures are logged as errors. The temporary folder is removed on the way out.
    """
    stop = stop or threading.Event()
    config_path = config_path.resolve()
    workdir = Path(tempfile.mkdtemp(prefix="feedtool-serve-"))
    server: ThreadingHTTPServer | None = None
    thread: threading.Thread | None = None
    try:
        site = LiveSite(config_path, "http://localhost/", workdir, say)
        try:
            server = make_server(site, host, port)
        except OSError as exc:
            raise FeedtoolError(
                [
                    problem(
                        f"{host}:{port}",
                        "--port",
                        f"cannot listen: {exc.strerror or exc}",
                        hint="pass another --port, or stop the program that uses this one",
                    )
                ]
            ) from None
        bound_host, bound_port = server.server_address[:2]
        host_text = bound_host.decode() if isinstance(bound_host, bytes) else str(bound_host)
        shown_host = f"[{host_text}]" if ":" in host_text else host_text
        site.base_url = f"http://{shown_host}:{bound_port}/"
        site.rebuild()
        thread = threading.Thread(
            target=server.serve_forever, args=(0.1,), name="feedtool-http", daemon=True
        )
        thread.start()
        if on_ready is not None:
            on_ready(site.base_url)
        say(f"Serving {site.base_url} (Ctrl-C to stop)")
        paths = watch_paths(site.config) if site.config else [config_path.parent]
        for changes in watchfiles.watch(
            *paths,
            watch_filter=_Filter(site),
            stop_event=stop,
            debounce=200,
            step=50,
            rust_timeout=500,
            yield_on_timeout=False,
        ):
            names = sorted({Path(p).name for _, p in changes})
            say(f"Changed: {', '.join(names[:5])}; rebuilding")
            site.rebuild()
            new_paths = watch_paths(site.config) if site.config else paths
            if new_paths != paths:
                say("The folders in config.yaml changed; restart serve to watch the new ones")
    finally:
        if server is not None:
            if thread is not None:
                server.shutdown()
            server.server_close()
        shutil.rmtree(workdir, ignore_errors=True)
