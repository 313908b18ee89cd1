package features

import (
	"fmt"
	"slices"
)

// Engagement-pod parameters.
const (
	// podMinPosts is the fewest posts with comments that pod_score needs.
	podMinPosts = 3
	// podPostShare is the share of the posts with comments that a member
	// must have commented on.
	podPostShare = 0.6
	// podMaxDelay is the largest median delay, in minutes after posting,
	// of a member's first comment on a post.
	podMaxDelay = 60.0
	// podMinMembers is the smallest group that counts as a pod: one
	// faithful fan is not a pod.
	podMinMembers = 3
)

// pods computes pod_score and the pod group: the accounts (at least 3)
// that each commented on at least 60% of the posts that have comments,
// with a median delay of at most 60 minutes between posting and their
// first comment. pod_score is the share of other people's comments that
// the group wrote; 0 when there is no group.
func pods(v *view, s *Signals, w *warnings) {
	if len(v.others) == 0 {
		w.add(PodScore, noComments(v))
		return
	}
	type key struct {
		author string
		post   int
	}
	first := make(map[key]float64)    // minutes to the author's first comment on the post; -1 unknown
	perAuthor := make(map[string]int) // comments by the author
	timed := false
	posts := 0
	lastPost := -1
	for _, r := range v.others {
		if r.post != lastPost {
			posts++
			lastPost = r.post
		}
		perAuthor[r.c.AuthorID]++
		d := -1.0
		if r.c.CreatedAt.OK {
			timed = true
			d = max(0, r.c.CreatedAt.V.Sub(v.posts[r.post].CreatedAt).Minutes())
		}
		k := key{r.c.AuthorID, r.post}
		if old, ok := first[k]; !ok || (d >= 0 && (old < 0 || d < old)) {
			first[k] = d
		}
	}
	if posts < podMinPosts {
		w.add(PodScore, fmt.Sprintf("needs comments on at least %d posts (%d given)", podMinPosts, posts))
		return
	}
	if !timed {
		w.add(PodScore, "comment times absent: pod group found by overlap of commenters only")
	}

	delays := make(map[string][]float64)
	onPosts := make(map[string]int)
	for k, d := range first {
		onPosts[k.author]++
		if d >= 0 {
			delays[k.author] = append(delays[k.author], d)
		}
	}
	need := max(podMinPosts, ceilInt(podPostShare*float64(posts)))
	var group []string
	for a, n := range onPosts {
		if n < need {
			continue
		}
		if timed {
			ds := delays[a]
			if len(ds) == 0 || median(ds) > podMaxDelay {
				continue
			}
		}
		group = append(group, a)
	}
	if len(group) < podMinMembers {
		s.Values[PodScore] = 0
		return
	}
	slices.Sort(group)
	s.Pod = group
	written := 0
	for _, a := range group {
		written += perAuthor[a]
	}
	s.Values[PodScore] = float64(written) / float64(len(v.others))
}

func ceilInt(x float64) int {
	n := int(x)
	if float64(n) < x {
		n++
	}
	return n
}
