package training_test

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/rs/zerolog"

	"bonafide/detect"
	"bonafide/features"
	"bonafide/fixtures"
	"bonafide/training"
)

// documentShapes are ways a real export (or another simulator) differs
// from what the simulator writes, each applied to a whole document.
var documentShapes = []struct {
	name  string
	shape func(h features.History) features.History
	// floor is the lowest ROC-AUC accepted; 0 means 0.90.
	floor float64
}{
	{"as simulated", func(h features.History) features.History { return h }, 0},
	{"weekly series", everyNth(7), 0},
	{"monthly series", everyNth(30), 0},
	{"the 200 most recent followers", func(h features.History) features.History {
		if len(h.Followers) > 200 {
			h.Followers = slices.Clone(h.Followers[len(h.Followers)-200:]) // listed oldest first
			h.Sample = features.Sample{Method: features.SampleRecent, Population: features.SomeInt(h.Creator.Followers)}
		}
		return h
	}, 0},
	{"no creation dates", eachFollower(func(f *features.Follower) { f.CreatedAt = features.OptTime{} }), 0},
	// Not the rows the training copies keep (SampleFollowers at offset 0).
	{"100 followers, a random sample", func(h features.History) features.History { return training.SampleFollowers(h, 100, 0.5) }, 0},
	{"the first 20 comments of each post", func(h features.History) features.History { return training.FirstComments(h, 20) }, 0},
	{"likes halved", scaled(0.5, 1), 0},
	{"likes doubled", scaled(2, 1), 0},
	{"views halved", scaled(1, 0.5), 0},
	{"views doubled", scaled(1, 2), 0},
	{"no likes", eachPost(func(p *features.Post) { p.Likes = features.OptInt{} }), 0},
	{"the last 10 posts", func(h features.History) features.History {
		if len(h.Posts) > 10 {
			h.Posts = slices.Clone(h.Posts[len(h.Posts)-10:]) // listed oldest first
		}
		return h
	}, 0},
	// The follower model reads the counts most; without them the share
	// weighs as unknown and the followers tell little (docs/creator-model.md).
	{"no follower counts", eachFollower(func(f *features.Follower) {
		f.Followers, f.Following, f.Posts = features.OptInt{}, features.OptInt{}, features.OptInt{}
	}), 0.85},
	{"no followed_at", eachFollower(func(f *features.Follower) { f.FollowedAt = features.OptTime{} }), 0},
	{"no comment times", eachPost(func(p *features.Post) {
		p.Comments = slices.Clone(p.Comments)
		for j := range p.Comments {
			p.Comments[j].CreatedAt = features.OptTime{}
		}
	}), 0},
	{"the last 30 days of the series", func(h features.History) features.History {
		if len(h.Series) > 31 {
			h.Series = slices.Clone(h.Series[len(h.Series)-31:])
		}
		return h
	}, 0},
}

// scaled multiplies every post's likes and views: another platform, or
// another simulator, counts engagement at other levels.
func scaled(likes, views float64) func(h features.History) features.History {
	return eachPost(func(p *features.Post) {
		p.Likes.V = int64(float64(p.Likes.V) * likes)
		p.Views.V = int64(float64(p.Views.V) * views)
	})
}

// eachFollower returns a shape that edits a copy of every follower.
func eachFollower(edit func(*features.Follower)) func(h features.History) features.History {
	return func(h features.History) features.History {
		h.Followers = slices.Clone(h.Followers)
		for i := range h.Followers {
			edit(&h.Followers[i])
		}
		return h
	}
}

// eachPost returns a shape that edits a copy of every post.
func eachPost(edit func(*features.Post)) func(h features.History) features.History {
	return func(h features.History) features.History {
		h.Posts = slices.Clone(h.Posts)
		for i := range h.Posts {
			edit(&h.Posts[i])
		}
		return h
	}
}

// everyNth keeps every nth snapshot of the follower series and the last.
func everyNth(n int) func(h features.History) features.History {
	return func(h features.History) features.History {
		var s []features.SeriesPoint
		for i, p := range h.Series {
			if i%n == 0 || i == len(h.Series)-1 {
				s = append(s, p)
			}
		}
		h.Series = s
		return h
	}
}

// TestVetHoldsUpOnOtherDocumentShapes vets holdout creators with the
// embedded model, each document also reshaped as a real export may be
// (a sparser series, a recent or a small sample of followers, no creation
// dates, the first comments of each post, engagement at other levels, the
// recent posts only), and asserts that the creators stay ranked and that
// authentic ones are not called inauthentic for the shape of their
// document. Before vetting read followers without their age and before a
// spike older than the listed posts went unchecked, the recent followers
// had 27 of 120 authentic creators called inauthentic, and the last 10
// posts 57 (ROC-AUC 0.66); before the training copies with a small
// sample of followers and with the first comments only, 100 followers
// had 12 called inauthentic and 20 comments a post 7; before the copies
// with engagement scaled, doubled likes had 9.
func TestVetHoldsUpOnOtherDocumentShapes(t *testing.T) {
	if testing.Short() || underRace {
		t.Skip("vets hundreds of simulated creators seventeen times; skipped under -short and -race")
	}
	ctx := context.Background()
	eng, err := detect.New(embeddedBundle(t), detect.Options{}, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	// BONAFIDE_SHAPES_FULL=1 runs the size docs/creator-model.md's
	// table was measured at: 480 creators, 2,000 followers listed.
	n, listed := 240, 1000
	if os.Getenv("BONAFIDE_SHAPES_FULL") != "" {
		n, listed = 480, 2000
	}
	seq, err := fixtures.Generate(fixtures.Options{N: n, Seed: 1001, Variant: fixtures.VariantHoldout, MaxFollowers: listed})
	if err != nil {
		t.Fatal(err)
	}
	pInauth := make([][]float64, len(documentShapes))
	var labels []bool
	wrong := make([]int, len(documentShapes))
	authentic := 0
	for h, truth := range seq {
		inauth := truth.Label == fixtures.Inauthentic
		labels = append(labels, inauth)
		if !inauth {
			authentic++
		}
		for k, s := range documentShapes {
			doc := s.shape(h)
			r, err := eng.Vet(ctx, features.Document{History: &doc})
			if err != nil {
				t.Fatalf("%s, %s: %v", truth.ID, s.name, err)
			}
			pInauth[k] = append(pInauth[k], 1-r.Authenticity/100)
			if !inauth && r.Verdict == detect.VerdictInauthentic {
				wrong[k]++
			}
		}
	}
	for k, s := range documentShapes {
		roc := training.ROCAUC(pInauth[k], labels)
		t.Logf("%-30s ROC-AUC %.4f, authentic called inauthentic %d of %d", s.name, roc, wrong[k], authentic)
		// Floors below what this run measures (ROC-AUC 0.93 to 0.98,
		// at most 2 of 60 authentic creators called inauthentic).
		floor := cmp.Or(s.floor, 0.90)
		if roc < floor {
			t.Errorf("%s: ROC-AUC %.4f, want at least %.2f", s.name, roc, floor)
		}
		if wrong[k] > authentic/20 {
			t.Errorf("%s: %d of %d authentic creators called inauthentic, want at most 5%%", s.name, wrong[k], authentic)
		}
	}
}

func TestSampleFollowers(t *testing.T) {
	h := features.History{Creator: features.Creator{Followers: 50000}}
	for i := range 1000 {
		h.Followers = append(h.Followers, features.Follower{ID: fmt.Sprint(i)})
	}
	got := training.SampleFollowers(h, 100, 0.5)
	if len(got.Followers) != 100 || got.Followers[0].ID != "5" || got.Followers[99].ID != "995" {
		t.Errorf("kept %d followers from %s to %s, want 100 from 5 to 995", len(got.Followers), got.Followers[0].ID, got.Followers[len(got.Followers)-1].ID)
	}
	if got.Sample.Method != features.SampleRandom || got.Sample.Population != features.SomeInt(50000) {
		t.Errorf("sample %+v, want random of 50000", got.Sample)
	}
	if len(h.Followers) != 1000 {
		t.Error("the input changed")
	}
	if small := training.SampleFollowers(h, 1000, 0); len(small.Followers) != 1000 || small.Sample.Method != "" {
		t.Errorf("a list of n: %d followers, method %q; want it as it is", len(small.Followers), small.Sample.Method)
	}
}

func TestFirstComments(t *testing.T) {
	c := func(id, replyTo string) features.Comment {
		cm := features.Comment{ID: id, AuthorID: "a" + id}
		if replyTo != "" {
			cm.ReplyTo = features.SomeString(replyTo)
		}
		return cm
	}
	h := features.History{Posts: []features.Post{
		{ID: "p1", Comments: []features.Comment{c("1", ""), c("2", "1"), c("3", ""), c("4", "3"), c("5", "")}},
		{ID: "p2", Comments: []features.Comment{c("1", ""), c("2", "")}},
		{ID: "p3", Comments: []features.Comment{c("1", ""), c("2", "9"), c("3", ""), c("4", "")}},
	}}
	got := training.FirstComments(h, 3)
	ids := func(p features.Post) (out []string) {
		for _, c := range p.Comments {
			out = append(out, c.ID)
		}
		return out
	}
	for i, want := range [][]string{{"1", "2", "3"}, {"1", "2"}, {"1", "3"}} {
		if g := ids(got.Posts[i]); !slices.Equal(g, want) {
			t.Errorf("post %d keeps %v, want %v", i+1, g, want)
		}
	}
	if len(h.Posts[0].Comments) != 5 {
		t.Error("the input changed")
	}
}
