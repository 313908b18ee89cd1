package model_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"bonafide/detect/model"
)

// refRaw scores x by walking trees node by node, as the Node documentation
// says, without the ensemble's faster layouts.
func refRaw(base float64, trees []model.Tree, x []float64) float64 {
	s := base
	for _, t := range trees {
		i := 0
		for !t.Nodes[i].Leaf {
			n := t.Nodes[i]
			v := math.NaN()
			if n.Feature < len(x) {
				v = x[n.Feature]
			}
			switch {
			case math.IsNaN(v) && n.MissingLeft, v <= n.Threshold:
				i = n.Left
			default:
				i = n.Right
			}
		}
		s += t.Nodes[i].Value
	}
	return s
}

// randomTree returns a random tree. When oblivious, every level splits
// alike and all leaves sit at depth; otherwise leaves stop at random depths
// up to depth. With presence, a quarter of the splits are at +Inf: present
// values against missing ones.
func randomTree(rng *rand.Rand, numFeatures, depth int, oblivious, presence bool) model.Tree {
	var t model.Tree
	type level struct {
		f        int
		thr      float64
		missLeft bool
	}
	levels := make([]level, depth)
	thr := func() float64 {
		if presence && rng.IntN(4) == 0 {
			return math.Inf(1)
		}
		return math.Round(rng.NormFloat64()*4) / 4
	}
	for d := range levels {
		levels[d] = level{rng.IntN(numFeatures), thr(), rng.IntN(2) == 0}
	}
	var build func(d int) int
	build = func(d int) int {
		at := len(t.Nodes)
		if d == depth || (!oblivious && rng.IntN(4) == 0) {
			t.Nodes = append(t.Nodes, model.Node{Leaf: true, Value: rng.NormFloat64()})
			return at
		}
		l := levels[d]
		if !oblivious {
			l = level{rng.IntN(numFeatures), thr(), rng.IntN(2) == 0}
		}
		t.Nodes = append(t.Nodes, model.Node{Feature: l.f, Threshold: l.thr, MissingLeft: l.missLeft})
		left := build(d + 1)
		right := build(d + 1)
		t.Nodes[at].Left, t.Nodes[at].Right = left, right
		return at
	}
	build(0)
	return t
}

func TestLayoutsAgree(t *testing.T) {
	tests := []struct {
		name      string
		depth     int
		oblivious bool
		features  int
		presence  bool
	}{
		{"oblivious", 6, true, 5, false},
		{"oblivious shallow", 2, true, 3, false},
		{"oblivious depth 4", 4, true, 6, false},
		{"oblivious depth 4, all features", 4, true, 64, false},
		{"oblivious stumps and leaves", 1, true, 2, false},
		{"oblivious, many features", 4, true, 70, false},
		{"shallow general", 5, false, 5, false},
		{"deep general", 14, false, 5, false},
		{"oblivious, present against missing", 4, true, 6, true},
		{"general, present against missing", 6, false, 6, true},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var trees []model.Tree
			for k := range 40 {
				depth := tt.depth
				if tt.oblivious {
					depth = k % (tt.depth + 1) // mixed depths, 0 included
				}
				trees = append(trees, randomTree(rng, tt.features, depth, tt.oblivious, tt.presence))
			}
			e, err := model.NewEnsemble(tt.features, model.Logistic, 0.25, trees)
			if err != nil {
				t.Fatal(err)
			}
			x := make([]float64, tt.features)
			for range 2000 {
				for f := range x {
					switch rng.IntN(6) {
					case 0:
						x[f] = math.NaN()
					case 1:
						x[f] = math.Round(rng.NormFloat64()*4) / 4 // on a threshold
					case 2:
						x[f] = math.Inf(2*rng.IntN(2) - 1)
					default:
						x[f] = rng.NormFloat64() * 3
					}
				}
				if got, want := e.Raw(x), refRaw(0.25, trees, x); math.Abs(got-want) > 1e-9 {
					t.Fatalf("Raw(%v) = %v, want %v", x, got, want)
				}
				short := x[:len(x)/2]
				if got, want := e.Raw(short), refRaw(0.25, trees, short); math.Abs(got-want) > 1e-9 {
					t.Fatalf("Raw(%v) = %v, want %v", short, got, want)
				}
			}
		})
	}
}
