package detect_test

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"

	"bonafide/detect"
)

// testModel builds a creator model over three inputs with two small trees,
// one of which splits twice on the same input (the case TreeSHAP must
// unwind).
func testModel(t *testing.T) *detect.CreatorModel {
	t.Helper()
	m := detect.CreatorModel{
		Inputs: []string{"fake_share", "pod_score", "comment_diversity"},
		Base:   -0.5,
		Trees: [][]detect.TreeNode{
			{
				{Feature: 0, Threshold: 0.1, Left: 1, Right: 2, Cover: 100},
				{Feature: 1, Threshold: 0.2, Left: 3, Right: 4, Cover: 70, MissingLeft: true},
				{Feature: 0, Threshold: 0.3, Left: 5, Right: 6, Cover: 30},
				{Feature: -1, Value: -1, Cover: 50},
				{Feature: -1, Value: 0.5, Cover: 20},
				{Feature: -1, Value: 1, Cover: 18},
				{Feature: -1, Value: 2, Cover: 12},
			},
			{
				{Feature: 2, Threshold: 0.5, Left: 1, Right: 2, Cover: 100},
				{Feature: 1, Threshold: 0.1, Left: 3, Right: 4, Cover: 40},
				{Feature: -1, Value: -0.3, Cover: 60},
				{Feature: -1, Value: 0.2, Cover: 25},
				{Feature: -1, Value: 0.9, Cover: 15},
			},
		},
		PlattA: 1.2, PlattB: 0.1,
	}
	raw, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	pm, err := detect.ParseCreatorModel(raw)
	if err != nil {
		t.Fatal(err)
	}
	return pm
}

// condExpect is E[f(x) | x_S] of one tree under the path-dependent
// distribution: a split on a feature outside S weighs its children by
// cover.
func condExpect(nodes []detect.TreeNode, i int, x []float64, in map[int]bool) float64 {
	n := nodes[i]
	if n.Feature < 0 {
		return n.Value
	}
	if in[n.Feature] {
		v := x[n.Feature]
		left := v <= n.Threshold || (math.IsNaN(v) && n.MissingLeft)
		if left {
			return condExpect(nodes, n.Left, x, in)
		}
		return condExpect(nodes, n.Right, x, in)
	}
	l, r := nodes[n.Left], nodes[n.Right]
	return (l.Cover*condExpect(nodes, n.Left, x, in) + r.Cover*condExpect(nodes, n.Right, x, in)) / (l.Cover + r.Cover)
}

// bruteShapley computes the Shapley values of the model's margin by
// enumerating every coalition.
func bruteShapley(m *detect.CreatorModel, x []float64) []float64 {
	k := len(m.Inputs)
	value := func(mask int) float64 {
		in := map[int]bool{}
		for j := range k {
			if mask&(1<<j) != 0 {
				in[j] = true
			}
		}
		s := m.Base
		for _, tr := range m.Trees {
			s += condExpect(tr, 0, x, in)
		}
		return s
	}
	fact := func(n int) float64 {
		f := 1.0
		for i := 2; i <= n; i++ {
			f *= float64(i)
		}
		return f
	}
	phi := make([]float64, k)
	for j := range k {
		for mask := range 1 << k {
			if mask&(1<<j) != 0 {
				continue
			}
			size := 0
			for b := range k {
				if mask&(1<<b) != 0 {
					size++
				}
			}
			w := fact(size) * fact(k-size-1) / fact(k)
			phi[j] += w * (value(mask|1<<j) - value(mask))
		}
	}
	return phi
}

// vectorFor places the model's three inputs in a CreatorInputs vector.
func vectorFor(m *detect.CreatorModel, x []float64) []float64 {
	all := detect.CreatorInputs()
	v := make([]float64, len(all))
	for i := range v {
		v[i] = math.NaN()
	}
	for i, name := range m.Inputs {
		for j, a := range all {
			if a == name {
				v[j] = x[i]
			}
		}
	}
	return v
}

func TestAttributionsAreExactShapleyValues(t *testing.T) {
	m := testModel(t)
	rng := rand.New(rand.NewPCG(1, 2))
	cases := [][]float64{
		{0.05, 0.1, 0.9},
		{0.5, 0.5, 0.1},
		{0.2, math.NaN(), 0.6},
		{0.35, 0.05, 0.4},
	}
	for range 20 {
		cases = append(cases, []float64{rng.Float64() * 0.6, rng.Float64() * 0.4, rng.Float64()})
	}
	for _, x := range cases {
		all := vectorFor(m, x)
		phi, expected := m.Attributions(all)
		want := bruteShapley(m, x)
		var sum float64
		for j := range phi {
			sum += phi[j]
			if math.Abs(phi[j]-want[j]) > 1e-9 {
				t.Errorf("x %v: phi[%s] = %v, brute force %v", x, m.Inputs[j], phi[j], want[j])
			}
		}
		if got := expected + sum; math.Abs(got-m.Margin(all)) > 1e-9 {
			t.Errorf("x %v: expected %v + attributions %v = %v, margin %v", x, expected, sum, got, m.Margin(all))
		}
	}
}

func TestParseCreatorModelRefuses(t *testing.T) {
	good := testModel(t)
	cases := []struct {
		name   string
		mutate func(m map[string]any)
	}{
		{"other version", func(m map[string]any) { m["version"] = 99 }},
		{"unknown input", func(m map[string]any) { m["inputs"] = []string{"no_such_signal", "pod_score", "comment_diversity"} }},
		{"child before parent", func(m map[string]any) {
			m["trees"] = [][]map[string]any{{{"f": 0, "t": 0.1, "l": 0, "r": 1, "c": 10}, {"f": -1, "v": 1, "c": 10}}}
		}},
		{"no cover", func(m map[string]any) { m["trees"] = [][]map[string]any{{{"f": -1, "v": 1, "c": 0}}} }},
		{"a branch with no cover", func(m map[string]any) {
			m["trees"] = [][]map[string]any{{{"f": 0, "t": 0.1, "l": 1, "r": 2, "c": 10}, {"f": -1, "v": 1, "c": 10}, {"f": -1, "v": 2, "c": 0}}}
		}},
	}
	raw, err := good.Encode()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var m map[string]any
			if err := json.Unmarshal(raw, &m); err != nil {
				t.Fatal(err)
			}
			c.mutate(m)
			bad, _ := json.Marshal(m)
			if _, err := detect.ParseCreatorModel(bad); err == nil {
				t.Errorf("accepted %s", bad)
			}
		})
	}
	if m, err := detect.ParseCreatorModel(nil); m != nil || err != nil {
		t.Errorf("empty: got %v, %v; want no model and no error", m, err)
	}
}

// FuzzParseCreatorModel feeds altered creator models to the parser: it
// must refuse them or give a model whose attributions add up to its
// margin, without panicking.
func FuzzParseCreatorModel(f *testing.F) {
	m := detect.CreatorModel{
		Inputs: []string{"fake_share", "pod_score"},
		Trees: [][]detect.TreeNode{{
			{Feature: 0, Threshold: 0.1, Left: 1, Right: 2, Cover: 10},
			{Feature: -1, Value: -1, Cover: 6},
			{Feature: 1, Threshold: 0.2, Left: 3, Right: 4, Cover: 4},
			{Feature: -1, Value: 0.5, Cover: 3},
			{Feature: -1, Value: 2, Cover: 1},
		}},
		PlattA: 1,
	}
	raw, err := m.Encode()
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(raw))
	f.Add([]byte(`{"version":1,"inputs":[],"trees":[]}`))
	f.Add([]byte(`{"version":1,"inputs":["pod_score"],"trees":[[{"f":0,"l":1,"r":1,"c":1},{"f":-1,"c":1}]]}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := detect.ParseCreatorModel(data)
		if err != nil || m == nil {
			return
		}
		for _, x := range [][]float64{{0, 0}, {0.5, 0.5}, {math.NaN(), 1}} {
			all := vectorFor(m, append(x, make([]float64, len(m.Inputs))...))
			phi, expected := m.Attributions(all)
			sum := expected
			for _, p := range phi {
				sum += p
			}
			margin := m.Margin(all)
			if math.IsNaN(margin) || math.IsInf(margin, 0) {
				continue // extreme leaf values in the input
			}
			if math.Abs(sum-margin) > 1e-6*(1+math.Abs(margin)) {
				t.Fatalf("attributions add up to %v, margin %v", sum, margin)
			}
		}
	})
}
