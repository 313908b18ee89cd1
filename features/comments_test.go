package features_test

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"bonafide/features"
)

// commented is a creator ("me") with two posts and eight comments by
// others (authors a to f) whose answers are worked out by hand below, plus
// one reply by the creator.
func commented() *features.History {
	t0 := date(2026, 11, 1).Add(17 * time.Hour)
	c := func(id, author, text string) features.Comment {
		return features.Comment{ID: id, AuthorID: author, Text: text}
	}
	reply := c("c9", "me", "It does! Use a pea-sized amount.")
	reply.ReplyTo = features.SomeString("c4")
	return &features.History{
		ObservedAt: observed,
		Creator:    features.Creator{ID: "me", Followers: 4},
		Followers:  []features.Follower{{ID: "a"}, {ID: "b"}, {ID: "c"}, {ID: "x"}},
		Sample:     features.Sample{Method: features.SampleAll},
		Posts: []features.Post{
			{ID: "p1", CreatedAt: t0, Comments: []features.Comment{
				c("c1", "a", "Nice pic!!"), c("c2", "b", "nice pic"), c("c3", "c", "Nice pic 😍"),
				c("c4", "d", "Does it work on oily skin?"), c("c5", "e", "🔥🔥"), c("c6", "f", "@ana @bea"),
				reply,
			}},
			{ID: "p2", CreatedAt: t0.Add(48 * time.Hour), Comments: []features.Comment{
				c("c7", "a", "Where did you buy that jacket"), c("c8", "b", "🔥"),
			}},
		},
	}
}

func TestCommentTextSignals(t *testing.T) {
	// Tokens: nice, pic (3 each), 🔥 (3), 😍 and 12 other words once: 22.
	wantEntropy := math.Log2(22) - 9*math.Log2(3)/22
	for _, tc := range []struct {
		key  string
		want float64
	}{
		{features.CommentDiversity, 5.0 / 8},    // nice pic, the question, 🔥, mention-only, the jacket
		{features.NearDuplicateShare, 0},        // nice pic x3 and 🔥 x2 repeat, but are generic
		{features.GenericCommentShare, 5.0 / 8}, // 3 praise, 2 emoji-only; tagging friends is not generic
		{features.CommentEntropy, wantEntropy},
		{features.CommenterFollowerShare, 3.0 / 6}, // a, b, c of a..f follow
		{features.SuspiciousCommenterShare, 2.0 / 3},
	} {
		t.Run(tc.key, func(t *testing.T) {
			fake := func(id string) (float64, bool) {
				p, ok := map[string]float64{"a": 0.9, "b": 0.2, "c": 0.6, "x": 0.99}[id]
				return p, ok
			}
			got, ok := features.Extract(commented(), fake).Values[tc.key]
			if !ok || math.Abs(got-tc.want) > 1e-12 {
				t.Errorf("%s = %v (computed %v), want %v", tc.key, got, ok, tc.want)
			}
		})
	}
}

func TestCommentMix(t *testing.T) {
	got := features.Extract(commented(), nil).CommentMix
	want := features.CommentMix{Genuine: 2, Generic: 4, EmojiOnly: 2}
	if got != want {
		t.Errorf("mix = %+v, want %+v", got, want)
	}
	// A specific text that a bot repeats is a template.
	h := commented()
	for _, id := range []string{"t1", "t2", "t3"} {
		h.Posts[1].Comments = append(h.Posts[1].Comments,
			features.Comment{ID: id, AuthorID: "bot-" + id, Text: "Great post, DM us to collab!"})
	}
	s := features.Extract(h, nil)
	want = features.CommentMix{Genuine: 2, Generic: 4, EmojiOnly: 2, Template: 3}
	if s.CommentMix != want {
		t.Errorf("with bots: mix = %+v, want %+v", s.CommentMix, want)
	}
	if got := s.Values[features.NearDuplicateShare]; got != 3.0/11 {
		t.Errorf("with bots: near_duplicate_share = %v, want 3/11", got)
	}
}

// TestNearDuplicatesCountPastedPraise: generic texts repeat across an
// audience and are no template, unless one account pastes the same one
// again.
func TestNearDuplicatesCountPastedPraise(t *testing.T) {
	type comment struct{ post, author, text string }
	for _, tc := range []struct {
		name     string
		comments []comment
		want     float64
	}{
		{"praise by different accounts", []comment{{"p1", "a", "Nice pic!!"}, {"p1", "b", "nice pic"}, {"p2", "c", "Nice pic"},
			{"p2", "d", "Where is this?"}}, 0},
		{"praise pasted by one account", []comment{{"p1", "a", "Nice pic!!"}, {"p1", "b", "nice pic"}, {"p2", "a", "Nice pic"},
			{"p2", "d", "Where is this?"}}, 3.0 / 4},
		{"emoji pasted by one account", []comment{{"p1", "a", "🔥🔥"}, {"p2", "a", "🔥"}, {"p2", "d", "Where is this?"}}, 2.0 / 3},
		{"one account, different praise", []comment{{"p1", "a", "Nice pic"}, {"p2", "a", "wow"}, {"p2", "d", "Where is this?"}}, 0},
		{"one account tagging friends twice", []comment{{"p1", "a", "@ana"}, {"p2", "a", "@bea"}, {"p2", "d", "Where is this?"}}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t0 := date(2026, 11, 1)
			h := &features.History{ObservedAt: observed, Creator: features.Creator{ID: "me", Followers: 100},
				Posts: []features.Post{{ID: "p1", CreatedAt: t0}, {ID: "p2", CreatedAt: t0.Add(48 * time.Hour)}}}
			for i, c := range tc.comments {
				p := &h.Posts[slices.IndexFunc(h.Posts, func(p features.Post) bool { return p.ID == c.post })]
				p.Comments = append(p.Comments, features.Comment{ID: fmt.Sprint("c", i), AuthorID: c.author, Text: c.text})
			}
			if got := features.Extract(h, nil).Values[features.NearDuplicateShare]; math.Abs(got-tc.want) > 1e-12 {
				t.Errorf("near_duplicate_share = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCommenterSignalsNeedTheirInputs(t *testing.T) {
	random := commented()
	random.Sample = features.Sample{Method: features.SampleRandom, Population: features.SomeInt(400)}
	inferredAll := commented()
	inferredAll.Sample = features.Sample{}
	inferredSample := commented()
	inferredSample.Sample = features.Sample{}
	inferredSample.Creator.Followers = 400
	noFollowers := commented()
	noFollowers.Followers = nil
	unknown := func(string) (float64, bool) { return 0, false }

	for _, tc := range []struct {
		name      string
		h         *features.History
		fake      func(string) (float64, bool)
		key       string
		computed  bool
		wantWarns string
	}{
		{"complete list", commented(), nil, features.CommenterFollowerShare, true, ""},
		{"random sample", random, nil, features.CommenterFollowerShare, false,
			"commenter_follower_share: follower list is a sample (method random), not the whole list"},
		{"method inferred all", inferredAll, nil, features.CommenterFollowerShare, true, ""},
		{"method inferred sample", inferredSample, nil, features.CommenterFollowerShare, false,
			"commenter_follower_share: follower list is a sample (method random), not the whole list"},
		{"no followers", noFollowers, nil, features.CommenterFollowerShare, false,
			"commenter_follower_share: no followers given"},
		{"no scores", commented(), nil, features.SuspiciousCommenterShare, false,
			"suspicious_commenter_share: no follower scores given"},
		{"no commenter scored", commented(), unknown, features.SuspiciousCommenterShare, false,
			"suspicious_commenter_share: no commenter's profile is known"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := features.Extract(tc.h, tc.fake)
			if _, ok := s.Values[tc.key]; ok != tc.computed {
				t.Errorf("%s computed = %v, want %v", tc.key, ok, tc.computed)
			}
			if tc.wantWarns != "" && !slices.Contains(s.Warnings, tc.wantWarns) {
				t.Errorf("warnings %q lack %q", s.Warnings, tc.wantWarns)
			}
		})
	}
}

func TestCommentEntropyOfOneRepeatedWordIsZero(t *testing.T) {
	h := commented()
	h.Posts = h.Posts[1:]
	h.Posts[0].Comments = []features.Comment{
		{ID: "1", AuthorID: "a", Text: "wow"}, {ID: "2", AuthorID: "b", Text: "WOW!"}, {ID: "3", AuthorID: "c", Text: "wow"},
	}
	s := features.Extract(h, nil)
	if got := s.Values[features.CommentEntropy]; got != 0 {
		t.Errorf("entropy = %v, want 0", got)
	}
	if got := s.Values[features.CommentDiversity]; got != 1.0/3 {
		t.Errorf("diversity = %v, want 1/3", got)
	}
}
