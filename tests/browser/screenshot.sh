#!/usr/bin/env bash
# Screenshots a rendered page with headless Chromium, offline, for a person to look at:
#   tests/browser/screenshot.sh reports/2026Q3/report.html /tmp/report.png [WIDTH HEIGHT]
# The automated check (title, console errors, requests, non-blank screenshot) is the test
# `report::the_report_opens_offline_in_a_real_browser` in tests/report.rs.
set -euo pipefail
page="$(realpath "$1")"
out="$(realpath -m "$2")"
width="${3:-1280}"
height="${4:-4000}"
browser="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$browser" ]; then
    echo "chromium is not installed: apt-get install -y chromium fonts-wqy-microhei" >&2
    exit 2
fi
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --no-first-run --no-default-browser-check --hide-scrollbars --user-data-dir="$profile" \
    --window-size="$width,$height" --screenshot="$out" "file://$page" 2>/dev/null
echo "screenshot of $page written to $out"
