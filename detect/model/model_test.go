package model_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"bonafide/detect/model"
)

// stump splits feature 0 at 1 (missing values left) and feature 1 at 5
// (missing values right).
func stump(t testing.TB) *model.Ensemble {
	t.Helper()
	e, err := model.NewEnsemble(2, model.Logistic, 0.5, []model.Tree{
		{Nodes: []model.Node{
			{Feature: 0, Threshold: 1, MissingLeft: true, Left: 1, Right: 2},
			{Leaf: true, Value: -1},
			{Leaf: true, Value: 2},
		}},
		{Nodes: []model.Node{
			{Feature: 1, Threshold: 5, Left: 1, Right: 2},
			{Leaf: true, Value: 0.25},
			{Leaf: true, Value: -0.5},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

func TestPredict(t *testing.T) {
	nan := math.NaN()
	e := stump(t)
	tests := []struct {
		name string
		x    []float64
		raw  float64
	}{
		{"both left", []float64{0, 5}, 0.5 - 1 + 0.25},
		{"both right", []float64{3, 9}, 0.5 + 2 - 0.5},
		{"threshold goes left", []float64{1, 5}, 0.5 - 1 + 0.25},
		{"missing 0 goes left", []float64{nan, 9}, 0.5 - 1 - 0.5},
		{"missing 1 goes right", []float64{3, nan}, 0.5 + 2 - 0.5},
		{"short vector counts as missing", []float64{3}, 0.5 + 2 - 0.5},
		{"empty vector", nil, 0.5 - 1 - 0.5},
		{"infinities", []float64{math.Inf(-1), math.Inf(1)}, 0.5 - 1 - 0.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := e.Raw(tt.x); got != tt.raw {
				t.Errorf("Raw(%v) = %v, want %v", tt.x, got, tt.raw)
			}
			if got, want := e.Predict(tt.x), sigmoid(tt.raw); math.Abs(got-want) > 1e-15 {
				t.Errorf("Predict(%v) = %v, want %v", tt.x, got, want)
			}
		})
	}
}

func TestIdentityClamps(t *testing.T) {
	tests := []struct {
		name string
		base float64
		leaf float64
		want float64
	}{
		{"inside", 0, 0.3, 0.3},
		{"above", 0.5, 0.9, 1},
		{"below", -0.5, 0.2, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := model.NewEnsemble(1, model.Identity, tt.base, []model.Tree{{Nodes: []model.Node{{Leaf: true, Value: tt.leaf}}}})
			if err != nil {
				t.Fatal(err)
			}
			if got := e.Predict([]float64{0}); math.Abs(got-tt.want) > 1e-15 {
				t.Errorf("Predict = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestNewEnsembleRefuses(t *testing.T) {
	leaf := model.Node{Leaf: true}
	tests := []struct {
		name  string
		link  model.Link
		trees []model.Tree
	}{
		{"empty tree", model.Logistic, []model.Tree{{}}},
		{"unknown link", 0, []model.Tree{{Nodes: []model.Node{leaf}}}},
		{"feature out of range", model.Logistic, []model.Tree{{Nodes: []model.Node{{Feature: 2, Left: 1, Right: 2}, leaf, leaf}}}},
		{"child points back", model.Logistic, []model.Tree{{Nodes: []model.Node{leaf, {Feature: 0, Left: 0, Right: 1}}}}},
		{"child out of tree", model.Logistic, []model.Tree{{Nodes: []model.Node{{Feature: 0, Left: 1, Right: 3}, leaf, leaf}}}},
		{"NaN threshold", model.Logistic, []model.Tree{{Nodes: []model.Node{{Feature: 0, Threshold: math.NaN(), Left: 1, Right: 2}, leaf, leaf}}}},
		{"infinite leaf", model.Logistic, []model.Tree{{Nodes: []model.Node{{Leaf: true, Value: math.Inf(1)}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := model.NewEnsemble(2, tt.link, 0, tt.trees)
			if !errors.Is(err, model.ErrInvalidEnsemble) {
				t.Errorf("err = %v, want ErrInvalidEnsemble", err)
			}
		})
	}
}

func sampleBundle(t testing.TB) *model.Bundle {
	t.Helper()
	return &model.Bundle{
		Name:          "test",
		Schema:        "schema-a",
		Features:      []string{"log_posts", "has_avatar"},
		Follower:      stump(t),
		FollowerRates: model.Rates{TPR: 0.9, FPR: 0.05, Positives: 100, Negatives: 200},
		Threshold:     0.5,
		Metrics:       json.RawMessage(`{"roc_auc":0.99}`),
		Card:          "# Card\n",
	}
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	b := sampleBundle(t)
	data, err := b.Encode()
	if err != nil {
		t.Fatal(err)
	}
	again, err := b.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, again) {
		t.Fatal("two encodings of one bundle differ")
	}
	got, err := model.Decode(data, "schema-a")
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != model.FormatVersion || got.Name != b.Name || got.Schema != b.Schema ||
		got.Threshold != b.Threshold || got.FollowerRates != b.FollowerRates ||
		string(got.Metrics) != string(b.Metrics) || got.Card != b.Card ||
		strings.Join(got.Features, ",") != strings.Join(b.Features, ",") || got.Creator != nil {
		t.Errorf("decoded %+v, want %+v", got, b)
	}
	if got.Digest() != b.Digest() || len(b.Digest()) != 64 {
		t.Errorf("digest %q after decoding, %q before", got.Digest(), b.Digest())
	}
	for _, x := range [][]float64{{0, 0}, {3, 9}, {math.NaN(), 1}} {
		if g, w := got.Follower.Predict(x), b.Follower.Predict(x); g != w {
			t.Errorf("Predict(%v) = %v after decoding, %v before", x, g, w)
		}
	}
	reenc, err := got.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(reenc, data) {
		t.Error("re-encoding a decoded bundle changes its bytes")
	}
}

func TestDecodeRefusesAlteredByte(t *testing.T) {
	data, err := sampleBundle(t).Encode()
	if err != nil {
		t.Fatal(err)
	}
	// Every byte after the header, the digest included, is covered.
	for _, at := range []int{20, len(data) / 2, len(data) - 40, len(data) - 1} {
		altered := bytes.Clone(data)
		altered[at] ^= 0x01
		_, err := model.Decode(altered, "schema-a")
		if !errors.Is(err, model.ErrDigest) {
			t.Fatalf("byte %d altered: err = %v, want ErrDigest", at, err)
		}
		if !strings.Contains(err.Error(), "digest") {
			t.Errorf("byte %d altered: message %q does not name the digest", at, err)
		}
	}
	if _, err := model.Decode(data[:len(data)-1], "schema-a"); !errors.Is(err, model.ErrDigest) {
		t.Errorf("truncated: err = %v, want ErrDigest", err)
	}
}

func TestDecodeRefusesOtherSchema(t *testing.T) {
	data, err := sampleBundle(t).Encode()
	if err != nil {
		t.Fatal(err)
	}
	_, err = model.Decode(data, "schema-b")
	if !errors.Is(err, model.ErrSchema) {
		t.Fatalf("err = %v, want ErrSchema", err)
	}
	for _, want := range []string{"schema-a", "schema-b", "schema"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q does not name %q", err, want)
		}
	}
	if _, err := model.Decode(data, ""); err != nil {
		t.Errorf("empty wanted schema: %v", err)
	}
}

func TestDecodeRefusesNonBundles(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, model.ErrNotBundle},
		{"json", []byte(`{"name":"not a bundle at all, just some json text"}`), model.ErrNotBundle},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := model.Decode(tt.data, ""); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestEncodeRefusesBadJSON(t *testing.T) {
	b := sampleBundle(t)
	b.Creator = json.RawMessage(`{"broken"`)
	if _, err := b.Encode(); err == nil {
		t.Error("Encode accepted invalid creator JSON")
	}
	if b.Digest() != "" {
		t.Error("Digest of an unencodable bundle is not empty")
	}
}

func FuzzDecode(f *testing.F) {
	data, err := sampleBundle(f).Encode()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add(data[:len(data)/2])
	f.Add([]byte("bonafide-bundle\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDecoded(t, data)
		// Most changes fail the digest; seal the data with a fresh digest
		// so that the parser sees them too.
		if len(data) >= sha256.Size {
			content := data[:len(data)-sha256.Size]
			sum := sha256.Sum256(content)
			checkDecoded(t, append(bytes.Clone(content), sum[:]...))
		}
	})
}

// checkDecoded checks that data, if it decodes, encodes back to the same
// bytes and scores with probabilities.
func checkDecoded(t *testing.T, data []byte) {
	t.Helper()
	{
		b, err := model.Decode(data, "")
		if err != nil {
			return
		}
		// A bundle that decodes encodes back to the same bytes and scores
		// any vector with a probability.
		again, err := b.Encode()
		if err != nil {
			t.Fatalf("decoded bundle does not encode: %v", err)
		}
		if !bytes.Equal(again, data) {
			t.Fatal("decoded bundle encodes to other bytes")
		}
		if b.Follower != nil {
			x := make([]float64, b.Follower.NumFeatures())
			if p := b.Follower.Predict(x); !(p >= 0 && p <= 1) {
				t.Fatalf("Predict = %v", p)
			}
		}
	}
}

func BenchmarkPredictStump(b *testing.B) {
	e := stump(b)
	x := []float64{3, math.NaN()}
	b.ReportAllocs()
	for b.Loop() {
		e.Predict(x)
	}
}

func TestWithBlind(t *testing.T) {
	nan := math.NaN()
	e := stump(t)
	b, err := e.WithBlind(0)
	if err != nil {
		t.Fatal(err)
	}
	if e.Blind() != -1 || b.Blind() != 0 {
		t.Fatalf("blind %d and %d, want -1 (the original is left alone) and 0", e.Blind(), b.Blind())
	}
	for _, tt := range []struct {
		name string
		x    []float64
		want float64
	}{
		// Feature 0 right (+2) read as given, left (-1) when blind.
		{"has the feature: mean of both readings", []float64{3, 9}, (sigmoid(0.5+2-0.5) + sigmoid(0.5-1-0.5)) / 2},
		{"lacks it: one reading", []float64{nan, 9}, sigmoid(0.5 - 1 - 0.5)},
		// Shorter than the schema: the layouts need every feature, so
		// this takes the walk; feature 1 is missing and goes right.
		{"short vector that has it: both readings, walked", []float64{3}, (sigmoid(0.5+2-0.5) + sigmoid(0.5-1-0.5)) / 2},
		{"short vector: one reading", nil, sigmoid(0.5 - 1 - 0.5)},
	} {
		x := append([]float64(nil), tt.x...)
		if got := b.Predict(x); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s: Predict(%v) = %v, want %v", tt.name, tt.x, got, tt.want)
		}
		for i := range x {
			if x[i] != tt.x[i] && !(math.IsNaN(x[i]) && math.IsNaN(tt.x[i])) {
				t.Errorf("%s: Predict changed its input: %v", tt.name, x)
			}
		}
	}
	for _, f := range []int{-1, 2} {
		if _, err := e.WithBlind(f); !errors.Is(err, model.ErrInvalidEnsemble) {
			t.Errorf("WithBlind(%d): error %v, want ErrInvalidEnsemble", f, err)
		}
	}

	// The blind feature survives the bundle's encoding.
	bundle := sampleBundle(t)
	bundle.Follower = b
	data, err := bundle.Encode()
	if err != nil {
		t.Fatal(err)
	}
	got, err := model.Decode(data, "")
	if err != nil {
		t.Fatal(err)
	}
	if got.Follower.Blind() != 0 || got.Follower.Predict([]float64{3, 9}) != b.Predict([]float64{3, 9}) {
		t.Errorf("decoded blind %d, Predict %v; want 0 and %v", got.Follower.Blind(), got.Follower.Predict([]float64{3, 9}), b.Predict([]float64{3, 9}))
	}
}
