#!/usr/bin/env bash
# Builds the default model bundle embedded in the binary, from the labelled
# sets in ../shared/datasets: the follower model first, then the creator
# model and norms added to it. The same sets and seed give the same bytes.
# Run from anywhere; it works from the module root.
set -euo pipefail
cd "$(dirname "$0")/.."
data="${BONAFIDE_DATASETS:-../shared/datasets}"
go build -o /tmp/bonafide-build-model ./cmd/bonafide
/tmp/bonafide-build-model train --data "$data" --seed 1 --learner gbdt --out detect/model/default.bundle
/tmp/bonafide-build-model train-creator --model detect/model/default.bundle --seed 1 --out detect/model/default.bundle
sha256sum detect/model/default.bundle
