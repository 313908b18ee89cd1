package training_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"bonafide/detect/model"
	"bonafide/features"
)

// defaultBundle loads detect/model/default.bundle from the module, or skips.
func defaultBundle(b *testing.B) *model.Bundle {
	b.Helper()
	data, err := os.ReadFile(filepath.Join("..", "detect", "model", "default.bundle"))
	if err != nil {
		b.Skipf("no default bundle: %v", err)
	}
	m, err := model.Decode(data, features.ProfileSchema())
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// BenchmarkScoreFollower measures scoring one follower of the input
// contract with the default bundle: measuring its profile, building the
// vector and predicting. The Measure sub-benchmark is the baseline of the
// same run without the prediction.
func BenchmarkScoreFollower(b *testing.B) {
	bundle := defaultBundle(b)
	obs := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	followers := []features.Follower{
		{ID: "1", Username: features.SomeString("maria_k92"), Name: features.SomeString("Maria K"), Bio: features.SomeString(""),
			HasAvatar: features.SomeBool(true), Followers: features.SomeInt(312), Following: features.SomeInt(405),
			Posts: features.SomeInt(57), CreatedAt: features.SomeTime(obs.AddDate(-8, 0, 0))},
		{ID: "2", Username: features.SomeString("user83920174"), HasAvatar: features.SomeBool(false),
			Followers: features.SomeInt(3), Following: features.SomeInt(2900), Posts: features.SomeInt(0)},
		{ID: "3", Followers: features.SomeInt(1200)},
	}
	vec := make([]float64, 0, 64)
	b.Run("Measure", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			vec = features.ProfileOf(followers[i%len(followers)], obs).Vector(vec[:0])
			i++
		}
	})
	b.Run("MeasureAndPredict", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		var sum float64
		for b.Loop() {
			vec = features.ProfileOf(followers[i%len(followers)], obs).Vector(vec[:0])
			sum += bundle.Follower.Predict(vec)
			i++
		}
		if sum < 0 {
			b.Fatal(sum)
		}
	})
}
