package features_test

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"bonafide/features"
)

// podHistory makes a creator with nPosts posts, each with 4 comments by
// distinct casual fans, plus comments by members on the first onPosts
// posts, each delay after posting. Comment times are left out when
// untimed.
func podHistory(nPosts int, members []string, onPosts int, delay time.Duration, untimed bool) *features.History {
	h := &features.History{ObservedAt: observed, Creator: features.Creator{ID: "me", Followers: 1000}}
	for p := range nPosts {
		at := date(2026, 10, 1).Add(time.Duration(p) * 72 * time.Hour)
		post := features.Post{ID: fmt.Sprint("p", p), CreatedAt: at}
		add := func(id, author string, after time.Duration) {
			c := features.Comment{ID: id, AuthorID: author, Text: "comment " + id}
			if !untimed {
				c.CreatedAt = features.SomeTime(at.Add(after))
			}
			post.Comments = append(post.Comments, c)
		}
		for f := range 4 {
			add(fmt.Sprint("fan", f), fmt.Sprintf("fan-%d-%d", p, f), time.Duration(f+1)*3*time.Hour)
		}
		if p < onPosts {
			for _, m := range members {
				add("by-"+m, m, delay)
			}
		}
		h.Posts = append(h.Posts, post)
	}
	return h
}

// withMember adds a commenter on the first n posts of h, delay after
// posting.
func withMember(h *features.History, id string, n int, delay time.Duration) *features.History {
	for i := range h.Posts[:n] {
		p := &h.Posts[i]
		p.Comments = append(p.Comments, features.Comment{ID: "x-" + id, AuthorID: id, Text: "so true",
			CreatedAt: features.SomeTime(p.CreatedAt.Add(delay))})
	}
	return h
}

// smallAudience is a creator with 10 posts whose eight commenters each
// comment within minutes on most of them: an audience so small that
// everyone comes back, as friends and family do, and no one stands out.
func smallAudience() *features.History {
	h := podHistory(10, nil, 0, 0, false)
	for i := range h.Posts {
		p := &h.Posts[i]
		p.Comments = nil
		for f := range 8 {
			if (i+f)%3 == 0 {
				continue // each skips a third of the posts
			}
			p.Comments = append(p.Comments, features.Comment{ID: fmt.Sprint("c", f), AuthorID: fmt.Sprint("friend", f),
				Text: "so true", CreatedAt: features.SomeTime(p.CreatedAt.Add(time.Duration(f+1) * time.Minute))})
		}
	}
	return h
}

func TestPodScore(t *testing.T) {
	pod := []string{"m1", "m2", "m3"}
	extended := withMember(withMember(podHistory(10, pod, 10, 5*time.Minute, false), "e1", 4, 20*time.Minute), "e2", 4, 3*time.Hour)
	half := withMember(withMember(withMember(podHistory(10, nil, 0, 0, false), "e1", 5, time.Minute), "e2", 5, time.Minute), "e3", 5, time.Minute)
	twice := withMember(withMember(withMember(podHistory(10, nil, 0, 0, false), "e1", 2, time.Minute), "e2", 2, time.Minute), "e3", 2, time.Minute)
	for _, tc := range []struct {
		name  string
		h     *features.History
		group []string
		score float64 // -1: not computed
		warn  string  // a warning that must be present, if any
	}{
		{"pod on most posts within minutes", podHistory(5, pod, 4, 10*time.Minute, false), pod, 12.0 / 32, ""},
		{"pod on every post", podHistory(6, []string{"z", "y", "x", "w"}, 6, time.Minute, false),
			[]string{"w", "x", "y", "z"}, 24.0 / 48, ""},
		// e1, on 4 of 10 posts within minutes, is as unlikely by chance as
		// the core; e2, as often but hours late, is no pod member.
		{"the group and who is in it", extended, []string{"e1", "m1", "m2", "m3"}, 34.0 / 78, ""},
		// Every other commenter comes once: three accounts within a
		// minute on the same half of the posts are no chance.
		{"a group on half the posts, where nobody else returns", half, []string{"e1", "e2", "e3"}, 15.0 / 55, ""},
		{"on two posts is no pod", twice, nil, 0, ""},
		{"a small audience that always comes back is no pod", smallAudience(), nil, 0, ""},
		{"faithful but slow fans are no pod", podHistory(5, pod, 5, 5*time.Hour, false), nil, 0, ""},
		{"two accounts are no pod", podHistory(5, pod[:2], 5, 10*time.Minute, false), nil, 0, ""},
		{"on 3 of 6 posts is within chance here", podHistory(6, pod, 3, 10*time.Minute, false), nil, 0, ""},
		{"too few posts", podHistory(2, pod, 2, 10*time.Minute, false), nil, -1,
			"pod_score: needs comments on at least 3 posts (2 given)"},
		{"no comment times: overlap only", podHistory(5, pod, 4, 0, true), pod, 12.0 / 32,
			"pod_score: comment times absent: pod group found by overlap of commenters only"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := features.Extract(tc.h, nil)
			if !reflect.DeepEqual(s.Pod, tc.group) {
				t.Errorf("pod = %q, want %q", s.Pod, tc.group)
			}
			got, ok := s.Values[features.PodScore]
			switch {
			case tc.score < 0 && ok:
				t.Errorf("pod_score = %v, want not computed", got)
			case tc.score >= 0 && (!ok || diff(got, tc.score) > 1e-12):
				t.Errorf("pod_score = %v (computed %v), want %v", got, ok, tc.score)
			}
			if tc.warn != "" && !slices.Contains(s.Warnings, tc.warn) {
				t.Errorf("warnings %q lack %q", s.Warnings, tc.warn)
			}
			if tc.warn == "" && slices.ContainsFunc(s.Warnings, func(w string) bool { return strings.HasPrefix(w, "pod_score") }) {
				t.Errorf("unexpected warning in %q", s.Warnings)
			}
			if len(tc.group) > 0 && s.CommentMix.Pod == 0 {
				t.Errorf("comment mix %+v counts no pod comment", s.CommentMix)
			}
		})
	}
}
