package model_test

import (
	"math"
	"slices"
	"testing"

	"bonafide/detect/model"
	"bonafide/features"
	"bonafide/fixtures"
)

// BenchmarkDefaultFollower scores the followers of simulated creators with
// the embedded model, once with their account ages and once without: a
// follower with an age is read twice (the model's blind feature, see
// model.Ensemble.WithBlind), one without it once.
func BenchmarkDefaultFollower(b *testing.B) {
	bundle, err := model.Default(features.ProfileSchema())
	if err != nil {
		b.Fatal(err)
	}
	e := bundle.Follower
	age := slices.Index(features.ProfileNames(), "age_days")
	if e.Blind() != age {
		b.Fatalf("the default model's blind feature is %d, want age_days (%d)", e.Blind(), age)
	}
	seq, err := fixtures.Generate(fixtures.Options{N: 4, Seed: 1, MaxFollowers: 2000})
	if err != nil {
		b.Fatal(err)
	}
	var known, unknown [][]float64
	for h := range seq {
		for _, f := range h.Followers {
			x := features.ProfileOf(f, h.ObservedAt).Vector(nil)
			if math.IsNaN(x[age]) {
				continue
			}
			known = append(known, x)
			y := slices.Clone(x)
			y[age] = math.NaN()
			unknown = append(unknown, y)
		}
	}
	for _, c := range []struct {
		name string
		rows [][]float64
	}{{"age-unknown", unknown}, {"age-known", known}} {
		b.Run(c.name, func(b *testing.B) {
			var sink float64
			i := 0
			b.ReportAllocs()
			for b.Loop() {
				sink += e.Predict(c.rows[i])
				if i++; i == len(c.rows) {
					i = 0
				}
			}
			if math.IsNaN(sink) {
				b.Fatal("NaN score")
			}
		})
	}
}
