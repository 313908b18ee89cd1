#!/usr/bin/env bash
# bench-batch.sh: the measurements behind the bars of bonafide batch
# (docs/batch.md). Generates the input in Go (seeded, creators sharing a
# pool of followers, 5% bad documents) and runs, in one benchmark run:
#   BenchmarkBatch        decode-only baseline, cold batch, warm rerun on the
#                         same files: MB/s, cold/decode, warm-speedup (wall
#                         time and CPU time), follower cache hit rate
#   BenchmarkBatchMemory  peak RSS of a cold batch (child process) for N and
#                         10 N creators, and their ratio
# Usage: scripts/bench-batch.sh [creators (500)] [followers per creator (200)]
#        [shared pool (20000)] [count (3)]
# Both cores: the batch and the decode baseline use 2 workers (-batch.workers).
set -euo pipefail
cd "$(dirname "$0")/.."
creators=${1:-500}
followers=${2:-200}
pool=${3:-20000}
count=${4:-3}
flags=(-batch.creators="$creators" -batch.followers="$followers" -batch.pool="$pool" -batch.workers=2)

echo "== throughput: $creators creators, $followers followers each from a pool of $pool (count $count)"
go test -run '^$' -bench '^BenchmarkBatch$' -benchtime "${count}x" -count 1 -timeout 30m \
	./detect/batch/ -args "${flags[@]}"

echo "== peak memory: $creators and $((10 * creators)) creators"
go test -run '^$' -bench '^BenchmarkBatchMemory$' -benchtime 1x -count 1 -timeout 30m \
	./detect/batch/ -args "${flags[@]}"
