package features_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"bonafide/features"
)

func fakeScores(h *features.History) func(string) (float64, bool) {
	return func(id string) (float64, bool) {
		switch {
		case strings.HasPrefix(id, "bot"):
			return 0.9, true
		case strings.HasPrefix(id, "f"):
			return 0.1, true
		}
		return 0, false
	}
}

func TestExtractComputesEverySignalOnARichHistory(t *testing.T) {
	h := genCreator(1, 2000, 30, 800)
	s := features.Extract(h, fakeScores(h))
	for _, k := range features.Names() {
		v, ok := s.Values[k]
		if !ok {
			t.Errorf("%s not computed; warnings: %q", k, s.Warnings)
			continue
		}
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			t.Errorf("%s = %v", k, v)
		}
	}
	for k := range s.Values {
		if !slices.Contains(features.Names(), k) {
			t.Errorf("Values has key %q that Names does not list", k)
		}
	}
	if len(s.Spikes) != 1 || s.Spikes[0].Kind != features.SpikeSuspicious {
		t.Errorf("spikes = %+v, want the one bought day, suspicious", s.Spikes)
	}
	if len(s.Fingerprint) != 1 {
		t.Errorf("fingerprint runs = %+v, want the one bought batch", s.Fingerprint)
	}
	if want := []string{"pod1", "pod2", "pod3", "pod4"}; !reflect.DeepEqual(s.Pod, want) {
		t.Errorf("pod = %q, want %q", s.Pod, want)
	}
	mix := s.CommentMix
	if mix.Genuine == 0 || mix.Generic == 0 || mix.EmojiOnly == 0 || mix.Template == 0 || mix.Pod == 0 {
		t.Errorf("comment mix %+v has an empty kind", mix)
	}
}

func TestNamesIsFixedAndDistinct(t *testing.T) {
	a, b := features.Names(), features.Names()
	if !reflect.DeepEqual(a, b) {
		t.Fatal("Names changes between calls")
	}
	a[0] = "changed"
	if features.Names()[0] == "changed" {
		t.Fatal("Names returns shared state")
	}
	seen := map[string]bool{}
	for _, n := range b {
		if seen[n] {
			t.Errorf("%s listed twice", n)
		}
		seen[n] = true
	}
}

func TestExtractIsDeterministic(t *testing.T) {
	h := genCreator(2, 1500, 20, 600)
	first := features.Extract(h, fakeScores(h))
	for i := range 5 {
		if got := features.Extract(h, fakeScores(h)); !reflect.DeepEqual(got, first) {
			t.Fatalf("run %d differs from the first", i+2)
		}
	}
	// The history is not modified.
	if !reflect.DeepEqual(h, genCreator(2, 1500, 20, 600)) {
		t.Fatal("Extract modified its input")
	}
}

func TestExtractIgnoresOrderOfPostsAndComments(t *testing.T) {
	h := genCreator(3, 1000, 25, 700)
	want := features.Extract(h, fakeScores(h))
	rng := rand.New(rand.NewPCG(7, 7))
	for i := range 5 {
		p := clone(h)
		rng.Shuffle(len(p.Posts), func(a, b int) { p.Posts[a], p.Posts[b] = p.Posts[b], p.Posts[a] })
		for j := range p.Posts {
			cs := p.Posts[j].Comments
			rng.Shuffle(len(cs), func(a, b int) { cs[a], cs[b] = cs[b], cs[a] })
		}
		rng.Shuffle(len(p.Series), func(a, b int) { p.Series[a], p.Series[b] = p.Series[b], p.Series[a] })
		if got := features.Extract(p, fakeScores(p)); !reflect.DeepEqual(got, want) {
			t.Fatalf("permutation %d: got\n%+v\nwant\n%+v", i, got, want)
		}
	}
}

// clone deep-copies the parts of h that the permutation test shuffles.
func clone(h *features.History) *features.History {
	c := *h
	c.Series = slices.Clone(h.Series)
	c.Posts = slices.Clone(h.Posts)
	for i := range c.Posts {
		c.Posts[i].Comments = slices.Clone(h.Posts[i].Comments)
	}
	return &c
}

func TestAddingADistinctGenuineCommentNeverLowersDiversity(t *testing.T) {
	h := genCreator(4, 300, 10, 200)
	before := features.Extract(h, nil).Values[features.CommentDiversity]
	rng := rand.New(rand.NewPCG(9, 9))
	for i := range 30 {
		p := &h.Posts[rng.IntN(len(h.Posts))]
		p.Comments = append(p.Comments, features.Comment{
			ID: "new" + string(rune('a'+i)), AuthorID: "fresh",
			Text: "A question nobody asked before, number " + fmt.Sprint(i) + "?",
		})
		after := features.Extract(h, nil).Values[features.CommentDiversity]
		if after < before {
			t.Fatalf("comment %d lowered diversity from %v to %v", i, before, after)
		}
		before = after
	}
}

func TestNoCommentsGivesNoCommentSignalsAndWarnings(t *testing.T) {
	commentKeys := []string{
		features.CommentDiversity, features.NearDuplicateShare, features.CommentEntropy,
		features.GenericCommentShare, features.PodScore, features.ReplyReciprocity,
		features.QuestionReplyShare, features.ThreadDepth, features.CommenterFollowerShare,
		features.SuspiciousCommenterShare,
	}
	onlyCreator := genCreator(5, 100, 5, 0)
	onlyCreator.Posts[0].Comments = []features.Comment{{ID: "c1", AuthorID: "creator", Text: "Link in bio"}}
	noPosts := genCreator(5, 100, 5, 0)
	noPosts.Posts = nil
	for _, tc := range []struct {
		name string
		h    *features.History
		why  string
	}{
		{"posts without comments", genCreator(5, 100, 5, 0), "no comments given"},
		{"only the creator comments", onlyCreator, "no comments by anyone but the creator"},
		{"no posts", noPosts, "no posts given"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := features.Extract(tc.h, fakeScores(tc.h))
			for _, k := range commentKeys {
				if v, ok := s.Values[k]; ok {
					t.Errorf("%s = %v, want absent", k, v)
				}
				if !slices.Contains(s.Warnings, k+": "+tc.why) {
					t.Errorf("no warning %q in %q", k+": "+tc.why, s.Warnings)
				}
			}
			if s.CommentMix != (features.CommentMix{}) || len(s.Pod) != 0 {
				t.Errorf("mix %+v, pod %q; want empty", s.CommentMix, s.Pod)
			}
		})
	}
}

func TestEmptyHistoryWarnsForEverySignal(t *testing.T) {
	s := features.Extract(&features.History{Creator: features.Creator{ID: "c", Followers: 10}}, nil)
	if len(s.Values) != 0 {
		t.Errorf("values %v, want none", s.Values)
	}
	for _, k := range features.Names() {
		found := false
		for _, w := range s.Warnings {
			found = found || strings.HasPrefix(w, k+": ")
		}
		if !found {
			t.Errorf("no warning for %s in %q", k, s.Warnings)
		}
	}
	// Warnings come in Names order.
	order := func(w string) int { return slices.Index(features.Names(), w[:strings.Index(w, ":")]) }
	if !slices.IsSortedFunc(s.Warnings, func(a, b string) int { return order(a) - order(b) }) {
		t.Errorf("warnings not in Names order: %q", s.Warnings)
	}
}
