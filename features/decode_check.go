package features

import (
	"fmt"
	"slices"
	"strconv"
)

// MaxWarningsPerRule is how many warnings of one kind a document gets one
// by one; the rest of that kind are counted in one last warning, so that a
// million odd followers do not make a million warnings.
const MaxWarningsPerRule = 20

// Kinds of warnings, in the order their summaries are listed.
const (
	warnSeriesAfter = iota
	warnFollowerCreatedAfter
	warnFollowedAfter
	warnActiveAfter
	warnFollowedBeforeCreated
	warnPostAfter
	warnCommentAfter
	warnCommentBeforePost
	warnCommentsCount
	warnKinds
)

// summary says, for a kind of warning, which field its summary names and
// what the warnings left out are about.
func summary(kind int) (field, format string) {
	switch kind {
	case warnSeriesAfter:
		return "follower_series[*].at", "after observed_at in %d more snapshots"
	case warnFollowerCreatedAfter:
		return "followers[*].created_at", "after observed_at in %d more followers"
	case warnFollowedAfter:
		return "followers[*].followed_at", "after observed_at in %d more followers"
	case warnActiveAfter:
		return "followers[*].last_active_at", "after observed_at in %d more followers"
	case warnFollowedBeforeCreated:
		return "followers[*].followed_at", "before the follower's created_at in %d more followers"
	case warnPostAfter:
		return "posts[*].created_at", "after observed_at in %d more posts"
	case warnCommentAfter:
		return "posts[*].comments[*].created_at", "after observed_at in %d more comments"
	case warnCommentBeforePost:
		return "posts[*].comments[*].created_at", "before the post's created_at in %d more comments"
	default: // warnCommentsCount
		return "posts[*].comments_count", "fewer than the comments listed in %d more posts"
	}
}

type warner struct {
	list []Warning
	n    [warnKinds]int
}

func (w *warner) add(kind int, field func() string, msg string) {
	w.n[kind]++
	if w.n[kind] <= MaxWarningsPerRule {
		w.list = append(w.list, Warning{Field: field(), Message: msg})
	}
}

func (w *warner) done() []Warning {
	for kind, n := range w.n {
		if n > MaxWarningsPerRule {
			field, format := summary(kind)
			w.list = append(w.list, Warning{Field: field, Message: fmt.Sprintf(format, n-MaxWarningsPerRule)})
		}
	}
	return w.list
}

func idx(name string, i int) string { return name + "[" + strconv.Itoa(i) + "]" }

// warnings finishes a decoded History: it lists what is odd but valid (in
// document order, kind by kind within an element), then sorts Series and
// fills in Sample.
func (d *decoder) warnings(h *History) []Warning {
	var w warner
	obs := h.ObservedAt
	for i, p := range h.Series {
		if p.At.After(obs) {
			w.add(warnSeriesAfter, func() string { return idx("follower_series", i) + ".at" }, "after observed_at")
		}
	}
	for i := range h.Followers {
		f := &h.Followers[i]
		if f.CreatedAt.OK && f.CreatedAt.V.After(obs) {
			w.add(warnFollowerCreatedAfter, func() string { return idx("followers", i) + ".created_at" }, "after observed_at")
		}
		if f.FollowedAt.OK && f.FollowedAt.V.After(obs) {
			w.add(warnFollowedAfter, func() string { return idx("followers", i) + ".followed_at" }, "after observed_at")
		}
		if f.LastActiveAt.OK && f.LastActiveAt.V.After(obs) {
			w.add(warnActiveAfter, func() string { return idx("followers", i) + ".last_active_at" }, "after observed_at")
		}
		if f.FollowedAt.OK && f.CreatedAt.OK && f.FollowedAt.V.Before(f.CreatedAt.V) {
			w.add(warnFollowedBeforeCreated, func() string { return idx("followers", i) + ".followed_at" }, "before the follower's created_at")
		}
	}
	listed := int64(len(h.Followers))
	if listed > h.Creator.Followers {
		w.list = append(w.list, Warning{Field: "followers",
			Message: fmt.Sprintf("%d followers listed, more than creator.followers (%d)", listed, h.Creator.Followers)})
	}
	if h.Sample.Population.OK && h.Sample.Population.V < listed {
		w.list = append(w.list, Warning{Field: "follower_sample.population",
			Message: fmt.Sprintf("%d, fewer than the %d followers listed", h.Sample.Population.V, listed)})
	}
	if !h.Sample.Population.OK {
		h.Sample.Population = SomeInt(h.Creator.Followers)
	}
	if h.Sample.Method == SampleAll && listed != h.Sample.Population.V {
		w.list = append(w.list, Warning{Field: "follower_sample.method",
			Message: fmt.Sprintf(`"all", but %d followers listed of a population of %d`, listed, h.Sample.Population.V)})
	}
	if h.Sample.Method == "" {
		h.Sample.Method = SampleAll
		if listed < h.Sample.Population.V {
			h.Sample.Method = SampleRandom
		}
	}
	for i := range h.Posts {
		p := &h.Posts[i]
		if p.CreatedAt.After(obs) {
			w.add(warnPostAfter, func() string { return idx("posts", i) + ".created_at" }, "after observed_at")
		}
		if p.CommentsCount.OK && p.CommentsCount.V < int64(len(p.Comments)) {
			w.add(warnCommentsCount, func() string { return idx("posts", i) + ".comments_count" },
				fmt.Sprintf("%d, fewer than the %d comments listed", p.CommentsCount.V, len(p.Comments)))
		}
		for j := range p.Comments {
			c := &p.Comments[j]
			if !c.CreatedAt.OK {
				continue
			}
			if c.CreatedAt.V.After(obs) {
				w.add(warnCommentAfter, func() string { return idx("posts", i) + idx(".comments", j) + ".created_at" }, "after observed_at")
			}
			if c.CreatedAt.V.Before(p.CreatedAt) {
				w.add(warnCommentBeforePost, func() string { return idx("posts", i) + idx(".comments", j) + ".created_at" }, "before the post's created_at")
			}
		}
	}
	slices.SortStableFunc(h.Series, func(a, b SeriesPoint) int { return a.At.Compare(b.At) })
	return w.done()
}
