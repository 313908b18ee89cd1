package features_test

import (
	"slices"
	"testing"

	"bonafide/features"
)

func cm(id, author, text, replyTo string) features.Comment {
	c := features.Comment{ID: id, AuthorID: author, Text: text}
	if replyTo != "" {
		c.ReplyTo = features.SomeString(replyTo)
	}
	return c
}

// conversations is a creator ("me") with threads worked out by hand:
//
//	p1: q1 (question, a) <- r1 (me) <- r2 (a)      depth 3, answered
//	    q2 (question, b)                           depth 1
//	    s1 (c) <- s2 (d)                           depth 2
//	    m1 (me, top-level: not counted)
//	    o1 (e) replies to a comment that is absent depth 1 (top-level)
//	p2: y1 (f) -> y2 (g) -> y1, a cycle: y1 is taken as the top
//	    y3 (me) -> y2                              depth 3, answered
//	    z1 (h) replies to itself                   depth 1
func conversations() *features.History {
	return &features.History{
		ObservedAt: observed,
		Creator:    features.Creator{ID: "me", Followers: 100},
		Posts: []features.Post{
			{ID: "p1", CreatedAt: date(2026, 11, 1), Comments: []features.Comment{
				cm("q1", "a", "Does it work on oily skin?", ""), cm("r1", "me", "It does!", "q1"),
				cm("r2", "a", "Thanks", "r1"), cm("q2", "b", "¿Dónde está esto?", ""),
				cm("s1", "c", "Love it", ""), cm("s2", "d", "me too", "s1"),
				cm("m1", "me", "Thanks all!", ""), cm("o1", "e", "lost reply", "gone"),
			}},
			{ID: "p2", CreatedAt: date(2026, 11, 3), Comments: []features.Comment{
				cm("y1", "f", "round", "y2"), cm("y2", "g", "and round", "y1"), cm("y3", "me", "stop it", "y2"),
				cm("z1", "h", "talking to myself", "z1"),
			}},
		},
	}
}

func TestReciprocity(t *testing.T) {
	onlyStatements := conversations()
	onlyStatements.Posts[0].Comments = []features.Comment{cm("s1", "c", "Love it", ""), cm("s2", "me", "Thanks", "s1")}
	onlyStatements.Posts = onlyStatements.Posts[:1]

	for _, tc := range []struct {
		name string
		h    *features.History
		want map[string]float64 // -1: not computed
		warn string
	}{
		{"threads by hand", conversations(), map[string]float64{
			features.ReplyReciprocity:   2.0 / 6, // q1, y1 of q1 q2 s1 o1 y1 z1
			features.QuestionReplyShare: 1.0 / 2, // q1 of q1, q2
			features.ThreadDepth:        11.0 / 6,
		}, ""},
		{"no questions", onlyStatements, map[string]float64{
			features.ReplyReciprocity:   1,
			features.QuestionReplyShare: -1,
			features.ThreadDepth:        2,
		}, "question_reply_share: no questions among top-level comments by others"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := features.Extract(tc.h, nil)
			for k, want := range tc.want {
				got, ok := s.Values[k]
				switch {
				case want < 0 && ok:
					t.Errorf("%s = %v, want not computed", k, got)
				case want >= 0 && (!ok || diff(got, want) > 1e-12):
					t.Errorf("%s = %v (computed %v), want %v", k, got, ok, want)
				}
			}
			if tc.warn != "" && !slices.Contains(s.Warnings, tc.warn) {
				t.Errorf("warnings %q lack %q", s.Warnings, tc.warn)
			}
		})
	}
}

// TestLongReplyChain checks that a chain of replies thousands
// deep is resolved (without recursion or quadratic walks) and gives its
// depth.
func TestLongReplyChain(t *testing.T) {
	const n = 20000
	cs := make([]features.Comment, n)
	for i := range cs {
		parent := ""
		if i > 0 {
			parent = idOf(i - 1)
		}
		author := "a"
		if i%2 == 1 {
			author = "me"
		}
		cs[i] = cm(idOf(i), author, "and again", parent)
	}
	h := &features.History{Creator: features.Creator{ID: "me", Followers: 1},
		Posts: []features.Post{{ID: "p", Comments: cs}}}
	s := features.Extract(h, nil)
	if got := s.Values[features.ThreadDepth]; got != n {
		t.Errorf("thread_depth = %v, want %d", got, n)
	}
	if got := s.Values[features.ReplyReciprocity]; got != 1 {
		t.Errorf("reply_reciprocity = %v, want 1", got)
	}
}

func idOf(i int) string {
	const digits = "0123456789"
	b := []byte("c00000")
	for j := len(b) - 1; i > 0; j-- {
		b[j] = digits[i%10]
		i /= 10
	}
	return string(b)
}
