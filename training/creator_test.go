package training_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"bonafide/detect"
	"bonafide/detect/model"
	"bonafide/features"
	"bonafide/fixtures"
	"bonafide/training"
)

func TestFitPlatt(t *testing.T) {
	cases := []struct{ a, b float64 }{{1, 0}, {2, -1}, {0.5, 0.7}}
	for _, c := range cases {
		rng := rand.New(rand.NewPCG(3, 4))
		var x []float64
		var y []bool
		for range 20000 {
			v := rng.NormFloat64() * 2
			x = append(x, v)
			y = append(y, rng.Float64() < 1/(1+math.Exp(-(c.a*v+c.b))))
		}
		a, b := training.FitPlatt(x, y)
		if math.Abs(a-c.a) > 0.1*c.a+0.03 || math.Abs(b-c.b) > 0.08 {
			t.Errorf("want a %v b %v, got a %.3f b %.3f", c.a, c.b, a, b)
		}
	}
}

func TestPoolRates(t *testing.T) {
	src := []training.RateSource{
		{Name: "set1", TPR: 0.9, FPR: 0.02, Positives: 100, Negatives: 300},
		{Name: "set2", TPR: 1.0, FPR: 0.04, Positives: 500, Negatives: 200},
		{Name: "sim", TPR: 0.6, FPR: 0.03, Positives: 9000, Negatives: 9000},
	}
	r := training.PoolRates(src)
	// Every population weighs a third.
	if want := (0.9 + 1.0 + 0.6) / 3; math.Abs(r.TPR-want) > 1e-12 {
		t.Errorf("TPR %v, want %v", r.TPR, want)
	}
	if want := (0.02 + 0.04 + 0.03) / 3; math.Abs(r.FPR-want) > 1e-12 {
		t.Errorf("FPR %v, want %v", r.FPR, want)
	}
	if r.TPRRange != [2]float64{0.6, 1.0} || r.FPRRange != [2]float64{0.02, 0.04} {
		t.Errorf("ranges TPR %v FPR %v, want the lowest and highest: [0.6 1] and [0.02 0.04]", r.TPRRange, r.FPRRange)
	}
	if r.Positives != 100 || r.Negatives != 200 {
		t.Errorf("counts %d, %d; want the smallest, 100 and 200", r.Positives, r.Negatives)
	}
}

func embeddedBundle(t testing.TB) *model.Bundle {
	t.Helper()
	b, err := model.Default(features.ProfileSchema())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// smallOptions train on a few simulated creators: enough to check the
// plumbing, not the accuracy.
func smallOptions() training.CreatorOptions {
	return training.CreatorOptions{N: 48, Seed: 5, Folds: 3, MaxFollowers: 200, NormCreators: 12}
}

// smallCreatorModel trains a creator model with smallOptions.
func smallCreatorModel(t testing.TB) *model.Bundle {
	t.Helper()
	b, _, err := training.TrainCreator(context.Background(), embeddedBundle(t),
		smallOptions(), zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestTrainCreatorBundle trains a small creator model twice and vets
// simulated creators with it: the same seed gives the same bundle bytes,
// the bundle round-trips, and every report's reasons add up to the
// score's distance from the baseline and set the creator beside its norm.
func TestTrainCreatorBundle(t *testing.T) {
	b1 := smallCreatorModel(t)
	b2 := smallCreatorModel(t)
	e1, err := b1.Encode()
	if err != nil {
		t.Fatal(err)
	}
	e2, _ := b2.Encode()
	if !bytes.Equal(e1, e2) {
		t.Fatalf("two trainings with one seed differ (%d and %d bytes)", len(e1), len(e2))
	}
	back, err := model.Decode(e1, features.ProfileSchema())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(back.Card, "## Creator model") {
		t.Errorf("model card lacks the creator section:\n%s", back.Card)
	}
	eng, err := detect.New(back, detect.Options{}, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	seq, err := fixtures.Generate(fixtures.Options{N: 12, Seed: 99, MaxFollowers: 300})
	if err != nil {
		t.Fatal(err)
	}
	var typical int
	for h, truth := range seq {
		r, err := eng.Vet(context.Background(), features.Document{History: &h})
		if err != nil {
			t.Fatal(err)
		}
		again, err := eng.Vet(context.Background(), features.Document{History: &h})
		if err != nil {
			t.Fatal(err)
		}
		j1, _ := json.Marshal(r)
		j2, _ := json.Marshal(again)
		if !bytes.Equal(j1, j2) {
			t.Errorf("%s: two vets of one document differ", truth.Scenario)
		}
		var sum float64
		for _, re := range r.Reasons {
			sum += re.Impact
			if strings.Contains(re.Text, "typical for") {
				typical++
			}
		}
		if d := math.Abs(sum - (r.Authenticity - r.Baseline)); d > 0.011 {
			t.Errorf("%s: impacts add up to %.2f, score %.2f - baseline %.2f = %.2f", truth.Scenario, sum, r.Authenticity, r.Baseline, r.Authenticity-r.Baseline)
		}
		for _, w := range r.Warnings {
			if strings.Contains(w, "provisional") {
				t.Errorf("%s: scored with the provisional model: %s", truth.Scenario, w)
			}
		}
		for name, s := range r.Signals {
			if s.Typical == nil || s.Percentile == nil {
				t.Errorf("%s: signal %s has no norm", truth.Scenario, name)
			}
		}
	}
	if typical == 0 {
		t.Errorf("no reason sets the creator beside the typical value")
	}
}

// TestTrainCreatorReplacesTheCreatorModel checks that retraining a bundle
// that has a creator model gives the same bundle as training the bare one.
func TestTrainCreatorReplacesTheCreatorModel(t *testing.T) {
	if testing.Short() || underRace {
		t.Skip("trains twice more; skipped under -short and -race")
	}
	once := smallCreatorModel(t)
	twice, _, err := training.TrainCreator(context.Background(), once,
		smallOptions(), zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	if once.Digest() != twice.Digest() {
		t.Errorf("retraining a bundle with a creator model gives digest %s, the bare one %s", twice.Digest(), once.Digest())
	}
}
