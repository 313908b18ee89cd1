#!/usr/bin/env bash
# bench-batch.sh: the measurements behind the bars of bonafide batch
# (docs/batch.md). Generates the input in Go (seeded, creators sharing a
# pool of followers, 5% bad documents) and runs, in one benchmark run:
#   BenchmarkBatch        decode-only baseline, cold batch, warm rerun on the
#                         same files: MB/s, cold/decode, warm-speedup (wall
#                         time and CPU time), follower cache hit rate; for N
#                         creators and again for 4 N creators (4 times the pool)
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

# A run has fixed costs (opening Badger and its 16 MB memtable, building the
# engine and its TreeSHAP tables: about 0.25 s of CPU) that a small set
# does not amortise; the same again at 4 times the creators and 4 times the
# pool (the same share of followers in common) shows the rate a nightly run
# over thousands of creators sees.
echo "== throughput: $((4 * creators)) creators, $followers followers each from a pool of $((4 * pool)) (count $count)"
go test -run '^$' -bench '^BenchmarkBatch$' -benchtime "${count}x" -count 1 -timeout 30m \
	./detect/batch/ -args -batch.creators="$((4 * creators))" -batch.followers="$followers" -batch.pool="$((4 * pool))" -batch.workers=2

echo "== peak memory: $creators and $((10 * creators)) creators"
go test -run '^$' -bench '^BenchmarkBatchMemory$' -benchtime 1x -count 1 -timeout 30m \
	./detect/batch/ -args "${flags[@]}"
