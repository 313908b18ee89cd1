package features_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"bonafide/features"
)

// benchCreator is the benchmark creator: 5,000 followers, 40 posts and
// 2,000 comments, and its JSON document.
func benchCreator(b *testing.B) (*features.History, []byte) {
	b.Helper()
	h := genCreator(42, 5000, 40, 2000)
	doc, err := json.Marshal(h)
	if err != nil {
		b.Fatal(err)
	}
	return h, doc
}

// decodeBaseline decodes the document with the engine's own decoder
// (streaming, with validation): the baseline extraction must beat.
func decodeBaseline(doc []byte) (*features.History, error) {
	h, _, err := features.Decode(bytes.NewReader(doc))
	if err != nil {
		return nil, fmt.Errorf("decode history: %w", err)
	}
	return h, nil
}

// BenchmarkExtract measures Extract on the benchmark creator, and decoding
// the same document as the baseline it must beat.
func BenchmarkExtract(b *testing.B) {
	h, doc := benchCreator(b)
	fake := func(id string) (float64, bool) { return 0.1, strings.HasPrefix(id, "f") }
	b.Run("extract", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			features.Extract(h, fake)
		}
	})
	b.Run("decode-baseline", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(doc)))
		for b.Loop() {
			if _, err := decodeBaseline(doc); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkExtractVsDecode alternates decoding and extraction in one loop
// and reports their ratio in wall time (extract/decode: below 1 means
// extraction costs less than decoding the document) and in CPU time
// (cpu-extract/decode, which includes the garbage collector's work and
// does not count waiting for a core on a shared machine).
func BenchmarkExtractVsDecode(b *testing.B) {
	_, doc := benchCreator(b)
	fake := func(id string) (float64, bool) { return 0.1, strings.HasPrefix(id, "f") }
	var decode, extract, decodeCPU, extractCPU time.Duration
	for b.Loop() {
		t0, c0 := time.Now(), cpuTime()
		h, err := decodeBaseline(doc)
		if err != nil {
			b.Fatal(err)
		}
		t1, c1 := time.Now(), cpuTime()
		features.Extract(h, fake)
		t2, c2 := time.Now(), cpuTime()
		decode += t1.Sub(t0)
		extract += t2.Sub(t1)
		decodeCPU += c1 - c0
		extractCPU += c2 - c1
	}
	b.ReportMetric(float64(extract)/float64(decode), "extract/decode")
	if decodeCPU > 0 {
		b.ReportMetric(float64(extractCPU)/float64(decodeCPU), "cpu-extract/decode")
	}
	b.ReportMetric(float64(decode.Nanoseconds())/float64(b.N), "decode-ns/op")
	b.ReportMetric(float64(extract.Nanoseconds())/float64(b.N), "extract-ns/op")
}

// BenchmarkNearDuplicates measures template grouping at 1k, 10k and 100k
// comments (70% specific, 20% bot templates with small edits, 10%
// generic); ns/comment should stay flat as the count grows.
func BenchmarkNearDuplicates(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		rng := rand.New(rand.NewPCG(uint64(n), 3))
		texts := make([]string, n)
		for i := range texts {
			switch k := rng.IntN(10); {
			case k < 7:
				texts[i] = genuineText(rng)
			case k < 9:
				texts[i] = []string{"Great content! Check out my page for more", "Love this, DM us to collab 💼",
					"Wow, follow me back and I follow you"}[rng.IntN(3)] + strings.Repeat("!", rng.IntN(3))
			default:
				texts[i] = []string{"Nice pic!!", "😍😍", "que linda", "trop belle", "🔥"}[rng.IntN(5)]
			}
		}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				features.TemplateGroups(texts)
			}
			cpu = cpuTime() - cpu
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/comment")
			if cpu > 0 {
				b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N*n), "cpu-ns/comment")
			}
		})
	}
}
