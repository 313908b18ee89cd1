package batch_test

import (
	"path/filepath"
	"testing"
	"time"

	"bonafide/detect/batch"
)

func BenchmarkWarmOnly(b *testing.B) {
	dir := b.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	writeJSONL(b, in, benchCorpus(*benchCreators).documents())
	opts := batch.Options{Inputs: []string{in}, Out: filepath.Join(dir, "out.jsonl"), CacheDir: filepath.Join(dir, "c"), Workers: 2}
	t0 := time.Now()
	run(b, opts)
	b.Logf("cold %s", time.Since(t0))
	b.ResetTimer()
	for b.Loop() {
		t0 := time.Now()
		run(b, opts)
		b.Logf("warm %s", time.Since(t0))
	}
}
