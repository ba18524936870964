#!/usr/bin/env bash
# Validate the built demo site: every feed (Atom and RSS, archive pages, OPML lists) with the W3C
# Feed Validator, every page with the Nu Html Checker. (sitemap.xml is no feed: the
# Feed Validator does not know the format.)
#
#   tools/validate_site.sh FEEDVALIDATOR_CHECKOUT VNU_JAR [SITE_DIR]
#
# FEEDVALIDATOR_CHECKOUT is a checkout of the W3C Feed Validator's repository (its src/
# folder holds the `feedvalidator` package); it needs lxml, html5lib and rdflib in the
# Python given as $PYTHON (default python3). VNU_JAR is vnu.jar (npm package vnu-jar:
# node_modules/vnu-jar/build/dist/vnu.jar), run with java. SITE_DIR (default site/) is
# relative to the repository.
# Each feed is validated as if served from config.yaml's site.base_url (or $BASE_URL, for
# a site built from another project), so its rel="self" links match. Prints every message
# and the counts; exits 1 if the feed validator reports any error or warning, or the HTML
# checker any error.
set -euo pipefail
if [ $# -lt 2 ]; then
  sed -n "6,12p" "$0" >&2
  exit 2
fi
validator=$(cd "$1" && pwd)
jar=$(realpath "$2")
cd "$(dirname "$0")/.."
site=${3:-site}
base=${BASE_URL:-$(sed -n 's/^  base_url: *//p' config.yaml | head -n 1)}

feeds_failed=0
FEEDVALIDATOR_SRC="$validator/src" "${PYTHON:-python3}" - "$site" "$base" <<'PY' || feeds_failed=1
import os
import sys
from pathlib import Path

sys.path.insert(0, os.environ["FEEDVALIDATOR_SRC"])
import feedvalidator  # noqa: E402
from feedvalidator import compatibility  # noqa: E402
from feedvalidator.formatter.text_plain import Formatter  # noqa: E402

site, base = Path(sys.argv[1]), sys.argv[2]
feeds = sorted(p for p in site.rglob("*") if p.suffix in (".xml", ".opml"))
feeds = [p for p in feeds if p.name != "sitemap.xml"]
errors = warnings = 0
for path in feeds:
    url = base + path.relative_to(site).as_posix()
    with path.open("rb") as stream:
        try:
            events = feedvalidator.validateStream(stream, firstOccurrenceOnly=0, base=url)[
                "loggedEvents"
            ]
        except feedvalidator.logging.ValidationFailure as failure:
            events = [failure.event]
    events = compatibility.AA(events)  # what the online validator shows
    for event in events:
        if isinstance(event, feedvalidator.logging.Error):
            errors += 1
        elif isinstance(event, feedvalidator.logging.Warning):
            warnings += 1
    for line in Formatter(events):
        print(f"{path}: {line}")
print(f"feed validator: {len(feeds)} files, {errors} errors, {warnings} warnings")
sys.exit(1 if errors or warnings else 0)
PY

html_failed=0
out=$(mktemp)
java -jar "$jar" --skip-non-html "$site" 2>&1 | {
  # Checked from disk, every page is at a file: URL, whose origin is opaque: the checker
  # then finds the pages' own style.css and scripts outside their policy's 'self'. Served
  # over HTTP they are inside it (tests/browser checks that in Chromium).
  grep -v "info warning: Resource violates Content Security Policy (meta tag): external" || true
} >"$out"
cat "$out"
html_errors=$(grep -c ': error:' "$out" || true)
html_warnings=$(grep -c ': info warning:' "$out" || true)
pages=$(find "$site" -name '*.html' | wc -l)
echo "Nu Html Checker: $pages pages, $html_errors errors, $html_warnings warnings"
[ "$html_errors" = 0 ] || html_failed=1
rm -f "$out"
exit $((feeds_failed | html_failed))
