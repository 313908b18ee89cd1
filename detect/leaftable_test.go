package detect_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"bonafide/detect"
	"bonafide/detect/model"
	"bonafide/features"
)

// sameBits fails unless the leaf tables and the recursion give the same
// float64 bits for every attribution of all.
func sameBits(t *testing.T, name string, m *detect.CreatorModel, all []float64) {
	t.Helper()
	got, _ := m.Attributions(all)
	want := m.AttributionsByRecursion(all)
	for i := range want {
		if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
			t.Fatalf("%s: phi[%s] = %v (%#x) from the leaf tables, %v (%#x) by recursion",
				name, m.Inputs[i], got[i], math.Float64bits(got[i]), want[i], math.Float64bits(want[i]))
		}
	}
}

func defaultCreatorModel(t *testing.T) *detect.CreatorModel { return defaultCreatorModelB(t) }

// defaultCreatorModelB parses the embedded bundle's creator model afresh:
// its leaf tables are not filled yet.
func defaultCreatorModelB(t testing.TB) *detect.CreatorModel {
	t.Helper()
	b, err := model.Default(features.ProfileSchema())
	if err != nil {
		t.Fatal(err)
	}
	m, err := detect.ParseCreatorModel(b.Creator)
	if err != nil || m == nil {
		t.Fatalf("default creator model: %v", err)
	}
	if !m.HasLeafTables() {
		t.Fatal("the default creator model has no leaf tables")
	}
	return m
}

// thresholdsOf lists every split threshold of m by input (CreatorInputs
// order), so that vectors can sit exactly on a split.
func thresholdsOf(m *detect.CreatorModel) map[int][]float64 {
	all := detect.CreatorInputs()
	pos := map[string]int{}
	for i, n := range all {
		pos[n] = i
	}
	out := map[int][]float64{}
	for _, nodes := range m.Trees {
		for _, n := range nodes {
			if n.Feature >= 0 {
				j := pos[m.Inputs[n.Feature]]
				out[j] = append(out[j], n.Threshold)
			}
		}
	}
	return out
}

func TestLeafTablesGiveTheRecursionsBitsOnTheDefaultModel(t *testing.T) {
	m := defaultCreatorModel(t)
	e := newEngine(t)
	var vectors [][]float64
	for _, s := range loadSamples(t) {
		ev, err := e.Evidence(context.Background(), s.doc.History)
		if err != nil {
			t.Fatal(err)
		}
		all := ev.Vector(nil)
		sameBits(t, s.name, m, all)
		vectors = append(vectors, all)
	}
	// Perturbed sample vectors: values moved, set missing, or put exactly
	// on a split threshold of their input.
	thr := thresholdsOf(m)
	rng := rand.New(rand.NewPCG(3, 5))
	n := 1000
	if testing.Short() {
		n = 100
	}
	for i := range n {
		x := append([]float64(nil), vectors[rng.IntN(len(vectors))]...)
		for j := range x {
			switch rng.IntN(6) {
			case 0:
				x[j] = math.NaN()
			case 1:
				if ts := thr[j]; len(ts) > 0 {
					x[j] = ts[rng.IntN(len(ts))]
				}
			case 2:
				x[j] *= 0.5 + rng.Float64()
			}
		}
		sameBits(t, fmt.Sprintf("perturbed %d", i), m, x)
	}
}

// randomModel builds a creator model of random trees over a few inputs, so
// that features repeat along paths (the unwinding case), with missing
// values sent either way and covers that may be zero.
func randomModel(t *testing.T, rng *rand.Rand) *detect.CreatorModel {
	t.Helper()
	inputs := []string{"fake_share", "pod_score", "comment_diversity", "log_followers"}[:1+rng.IntN(4)]
	var trees [][]detect.TreeNode
	for range 1 + rng.IntN(6) {
		var nodes []detect.TreeNode
		var grow func(depth int, cover float64) int
		grow = func(depth int, cover float64) int {
			i := len(nodes)
			nodes = append(nodes, detect.TreeNode{Feature: -1, Value: rng.NormFloat64(), Cover: cover})
			if depth == 0 || rng.IntN(5) == 0 {
				return i
			}
			f := rng.IntN(len(inputs))
			share := rng.Float64()
			if rng.IntN(10) == 0 {
				share = 0
			}
			// A branch of next to no cover (ParseCreatorModel refuses none).
			left := grow(depth-1, max(1e-9, math.Round(cover*share)))
			right := grow(depth-1, max(1e-9, cover-math.Round(cover*share)))
			nodes[i] = detect.TreeNode{Feature: f, Threshold: rng.Float64(), Left: left, Right: right,
				MissingLeft: rng.IntN(2) == 0, Cover: cover}
			return i
		}
		grow(1+rng.IntN(7), float64(10+rng.IntN(1000)))
		trees = append(trees, nodes)
	}
	raw, err := (&detect.CreatorModel{Inputs: inputs, Base: rng.NormFloat64(), Trees: trees, PlattA: 1, PlattB: 0}).Encode()
	if err != nil {
		t.Fatal(err)
	}
	m, err := detect.ParseCreatorModel(raw)
	if err != nil {
		t.Fatal(err)
	}
	if !m.HasLeafTables() {
		t.Fatal("a random model has no leaf tables")
	}
	return m
}

func TestLeafTablesGiveTheRecursionsBitsOnRandomModels(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 13))
	all := detect.CreatorInputs()
	for i := range 300 {
		m := randomModel(t, rng)
		for range 20 {
			x := make([]float64, len(all))
			for j := range x {
				x[j] = rng.Float64()
				if rng.IntN(5) == 0 {
					x[j] = math.NaN()
				}
			}
			sameBits(t, fmt.Sprintf("random model %d", i), m, x)
		}
	}
}

func TestLeafTablesAreSafeForConcurrentUse(t *testing.T) {
	m := defaultCreatorModel(t) // fresh tables: the goroutines fill them together
	rng := rand.New(rand.NewPCG(1, 1))
	xs := make([][]float64, 200)
	want := make([][]float64, len(xs))
	for i := range xs {
		xs[i] = make([]float64, len(detect.CreatorInputs()))
		for j := range xs[i] {
			xs[i][j] = rng.Float64()
		}
		want[i] = m.AttributionsByRecursion(xs[i])
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range xs {
				i := (k + g*50) % len(xs)
				got, _ := m.Attributions(xs[i])
				for j := range got {
					if math.Float64bits(got[j]) != math.Float64bits(want[i][j]) {
						errs <- fmt.Sprintf("vector %d", i)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("%s: concurrent attributions differ from the recursion", e)
	}
}

// BenchmarkAttributions measures TreeSHAP of the default creator model on
// the samples' inputs, from the leaf tables (filled before the timer
// starts) and by the recursion they replace.
func BenchmarkAttributions(b *testing.B) {
	e := newEngine(b)
	var vectors [][]float64
	for _, s := range loadSamples(b) {
		ev, err := e.Evidence(context.Background(), s.doc.History)
		if err != nil {
			b.Fatal(err)
		}
		vectors = append(vectors, ev.Vector(nil))
	}
	m := defaultCreatorModelB(b)
	m.Attributions(vectors[0])
	b.Run("leaf-tables", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			m.Attributions(vectors[i%len(vectors)])
		}
	})
	b.Run("recursion", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			m.AttributionsByRecursion(vectors[i%len(vectors)])
		}
	})
}
