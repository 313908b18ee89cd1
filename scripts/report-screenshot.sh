#!/bin/sh
# Rewrites docs/report.png, the README's screenshot of an HTML report: the
# report of a committed sample creator (bonafide vet --html), rendered by
# headless Chromium (apt-get install -y chromium). The page is not
# cropped; the PNG shows its first 2,200 pixels.
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go run ./cmd/bonafide vet --html "$tmp/report.html" fixtures/samples/bought-burst-micro-instagram.json >/dev/null
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync \
	--user-data-dir="$tmp/profile" --hide-scrollbars --window-size=960,2200 \
	--screenshot="$PWD/docs/report.png" "file://$tmp/report.html" 2>/dev/null
ls -l docs/report.png
