#!/usr/bin/env bash
# Look at an HTML report in a real browser: headless Chromium (Debian's `chromium`) renders it
# with the network switched off and writes a PNG.
#   scripts/screenshot-report.sh [REPORT.html] [OUT.png] [WIDTHxHEIGHT]
# Default: the newest reports/dovecheck-*.html, next to it as .png, 1366x2400.
# Chromium is ~250 MB installed, so CI does not install it; this script installs it on demand.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
report=${1:-$(ls -t reports/dovecheck-*.html 2>/dev/null | head -1)}
[ -n "$report" ] && [ -f "$report" ] || { echo "no HTML report (run ./run audit first)" >&2; exit 2; }
out=${2:-${report%.html}.png}
size=${3:-1366x2400}
if ! command -v chromium >/dev/null; then
  [ "$(id -u)" -eq 0 ] || { echo "chromium is not installed (apt-get install chromium)" >&2; exit 2; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
fi
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
# --no-sandbox: Chromium's sandbox refuses to run as root; the page is our own static file.
# The proxy settings point every network request nowhere: the report must render offline.
timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --user-data-dir="$profile" --proxy-server=127.0.0.1:9 --proxy-bypass-list='<-loopback>' \
  --window-size="${size/x/,}" --screenshot="$(readlink -f "$out")" \
  "file://$(readlink -f "$report")" >/dev/null 2>&1
echo "$out"
