package features_test

import (
	"fmt"
	"math"
	"math/rand/v2"
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

// zipfAudience makes a creator with 40 posts, each with perPost comments
// by followers drawn from an audience of 5,000 in which the i-th account
// comments with weight 1/i^alpha (alpha 0: all alike; 1 and above: a few
// faithful fans write much of it), delays log-normal around medianMin
// minutes. Then pod members, if any, comment on every other post within
// 5 to 40 minutes.
func zipfAudience(seed uint64, alpha, medianMin float64, perPost int, pod []string) *features.History {
	r := rand.New(rand.NewPCG(seed, 9))
	const n = 5000
	cum := make([]float64, n)
	total := 0.0
	for i := range cum {
		total += 1 / math.Pow(float64(i+1), alpha)
		cum[i] = total
	}
	h := &features.History{ObservedAt: observed, Creator: features.Creator{ID: "me", Followers: n}}
	for p := range 40 {
		at := date(2026, 8, 1).Add(time.Duration(p) * 48 * time.Hour)
		post := features.Post{ID: fmt.Sprint("p", p), CreatedAt: at}
		add := func(author string, after time.Duration) {
			post.Comments = append(post.Comments, features.Comment{ID: fmt.Sprint(len(post.Comments)), AuthorID: author,
				Text: "so good", CreatedAt: features.SomeTime(at.Add(after))})
		}
		for range perPost {
			f, _ := slices.BinarySearch(cum, r.Float64()*total)
			add(fmt.Sprint("f", f), time.Duration(math.Exp(math.Log(medianMin)+1.3*r.NormFloat64())*float64(time.Minute)))
		}
		for _, m := range pod {
			if p%2 == 0 {
				add(m, time.Duration(5+r.IntN(35))*time.Minute)
			}
		}
		h.Posts = append(h.Posts, post)
	}
	return h
}

// TestPodScoreHeavyTailedAudience: real audiences have faithful fans who
// come back to most posts, and some audiences comment within the hour.
// Such fans must not make a pod (the rule of 60% of posts within the hour
// that came before found one in every creator with alpha 1 or more, 30
// comments a post and a median of 30 minutes), while a pod among them is still found where it comes ahead of
// the crowd. Where the whole audience comments within the hour, a pod
// that comes as fast as everyone else is not told from faithful fans.
func TestPodScoreHeavyTailedAudience(t *testing.T) {
	pod := []string{"m1", "m2", "m3", "m4", "m5", "m6"}
	falsePods, creators := 0, 0
	for _, alpha := range []float64{0, 0.8, 1, 1.2} {
		for _, medianMin := range []float64{30, 180} {
			for _, perPost := range []int{5, 30} {
				name := fmt.Sprintf("alpha %.1f, median %.0f min, %d a post", alpha, medianMin, perPost)
				t.Run(name, func(t *testing.T) {
					found, missed := 0, 0
					for seed := range uint64(10) {
						if s := features.Extract(zipfAudience(seed, alpha, medianMin, perPost, nil), nil); len(s.Pod) > 0 {
							found++
						}
						s := features.Extract(zipfAudience(seed, alpha, medianMin, perPost, pod), nil)
						if got := len(s.Pod); got < len(pod) && medianMin > 60 {
							missed++
						}
					}
					falsePods += found
					creators += 10
					if found > 2 {
						t.Errorf("false pods in %d of 10 creators", found)
					}
					if missed > 0 {
						t.Errorf("pod of %d missed in %d of 10 creators", len(pod), missed)
					}
				})
			}
		}
	}
	if falsePods*20 > creators {
		t.Errorf("false pods in %d of %d creators, want at most 5%%", falsePods, creators)
	}
}
