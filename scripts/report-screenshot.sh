#!/bin/sh
# Rewrites docs/report.png, the README's screenshot of an HTML report: the
# sample report of detect/report's tests, rendered by headless Chromium
# (apt-get install -y chromium) and reduced to 256 colours.
set -eu
cd "$(dirname "$0")/.."
go test ./detect/report -run ScreenshotForDocs -count=1 -v -args -png "$PWD/docs/report.png" | grep -E 'wrote|SKIP|FAIL' || true
ls -l docs/report.png
