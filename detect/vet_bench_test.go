package detect_test

import (
	"context"
	"testing"

	"github.com/rs/zerolog"

	"bonafide/detect"
	"bonafide/detect/model"
	"bonafide/features"
	"bonafide/fixtures"
)

// benchCreator simulates a creator with 5,000 listed followers, 40 posts
// and 50 comments a post (2,000 comments).
func benchCreator(b *testing.B) *features.History {
	b.Helper()
	seq, err := fixtures.Generate(fixtures.Options{N: 1, Seed: 3, Scenarios: []string{"bought-burst+comment-bots"},
		Platform: "instagram", Tier: fixtures.TierMid, MaxFollowers: 5000, MaxPosts: 40, MaxComments: 50})
	if err != nil {
		b.Fatal(err)
	}
	for h := range seq {
		return &h
	}
	b.Fatal("no creator")
	return nil
}

// bareEngine scores with the default bundle stripped of its creator
// model (the provisional score), to isolate the creator model's cost.
func bareEngine(b *testing.B) *detect.Engine {
	b.Helper()
	bundle, err := model.Default(features.ProfileSchema())
	if err != nil {
		b.Fatal(err)
	}
	bundle.Creator = nil
	e, err := detect.New(bundle, detect.Options{}, zerolog.Nop())
	if err != nil {
		b.Fatal(err)
	}
	return e
}

// BenchmarkVet measures vetting one creator end to end (follower scoring,
// fake share, signals, creator score and reasons) against its baseline,
// the signal extraction alone, and against vetting without the creator
// model, in the same run. The bar: 50 ms per
// creator on one core (go test -cpu 1).
func BenchmarkVet(b *testing.B) {
	h := benchCreator(b)
	comments := 0
	for _, p := range h.Posts {
		comments += len(p.Comments)
	}
	b.Logf("followers %d, posts %d, comments %d", len(h.Followers), len(h.Posts), comments)
	doc := features.Document{History: h}
	b.Run("extract-baseline", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			features.Extract(h, nil)
		}
	})
	for _, c := range []struct {
		name string
		e    *detect.Engine
	}{{"vet", newEngine(b)}, {"vet-without-creator-model", bareEngine(b)}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.e.Vet(context.Background(), doc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
