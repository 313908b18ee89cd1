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
	// of the pod's core must have commented on.
	podPostShare = 0.6
	// podExtendShare is the share of those posts that an account must have
	// commented on, as fast as the core, to join a core that was found.
	podExtendShare = 0.35
	// podMaxDelay is the largest median delay, in minutes after posting,
	// of a member's first comment on a post.
	podMaxDelay = 60.0
	// podMinMembers is the smallest group that counts as a pod: one
	// faithful fan is not a pod.
	podMinMembers = 3
)

// pods computes pod_score and the pod group. The core is the accounts
// (at least 3) that each commented on at least 60% of the posts that have
// comments, with a median delay of at most 60 minutes between posting and
// their first comment; when there is a core, accounts as fast on at least
// 35% of the posts join it (pod members do not all show up every time).
// Without comment times only the core counts, found by overlap alone.
// pod_score is the share of other people's comments that the group wrote;
// 0 when there is no group.
func pods(v *view, s *Signals, w *warnings) {
	if len(v.others) == 0 {
		w.add(PodScore, noComments(v))
		return
	}
	nA := len(v.authors)
	onPosts := make([]int, nA)   // posts the author commented on
	perAuthor := make([]int, nA) // comments by the author
	lastPost := make([]int, nA)  // last post counted in onPosts, plus one
	timed := false
	posts := 0
	prev := -1
	for _, r := range v.others {
		if r.post != prev {
			posts++
			prev = r.post
		}
		perAuthor[r.author]++
		if lastPost[r.author] != r.post+1 {
			lastPost[r.author] = r.post + 1
			onPosts[r.author]++
		}
		timed = timed || r.c.CreatedAt.OK
	}
	if posts < podMinPosts {
		w.add(PodScore, fmt.Sprintf("needs comments on at least %d posts (%d given)", podMinPosts, posts))
		return
	}
	if !timed {
		w.add(PodScore, "comment times absent: pod group found by overlap of commenters only")
	}
	need := max(podMinPosts, ceilInt(podPostShare*float64(posts)))
	needExt := max(podMinPosts, ceilInt(podExtendShare*float64(posts)))
	if !timed {
		needExt = need // without times, only the core
	}
	var cands []int // accounts on enough posts to be in the core or its extension
	for a, n := range onPosts {
		if n >= needExt {
			cands = append(cands, a)
		}
	}
	fast := make([]bool, len(cands))
	if timed && len(cands) > 0 {
		// Minutes from posting to each candidate's first comment on each
		// post (the comments of a post are contiguous in v.others).
		cand := make(map[int]int, len(cands))
		for i, a := range cands {
			cand[a] = i
		}
		delays := make([][]float64, len(cands))
		last := make([]int, len(cands))
		for _, r := range v.others {
			i, ok := cand[r.author]
			if !ok || !r.c.CreatedAt.OK {
				continue
			}
			d := max(0, r.c.CreatedAt.V.Sub(v.posts[r.post].CreatedAt).Minutes())
			if last[i] != r.post+1 {
				last[i] = r.post + 1
				delays[i] = append(delays[i], d)
			} else if n := len(delays[i]); d < delays[i][n-1] {
				delays[i][n-1] = d
			}
		}
		for i := range cands {
			fast[i] = len(delays[i]) > 0 && median(delays[i]) <= podMaxDelay
		}
	} else {
		for i := range fast {
			fast[i] = true
		}
	}
	var core, members []int
	for i, a := range cands {
		if fast[i] && onPosts[a] >= need {
			core = append(core, a)
		}
	}
	if len(core) < podMinMembers {
		s.Values[PodScore] = 0
		return
	}
	for i, a := range cands {
		if fast[i] {
			members = append(members, a)
		}
	}
	written := 0
	for _, a := range members {
		written += perAuthor[a]
		s.Pod = append(s.Pod, v.authors[a])
	}
	slices.Sort(s.Pod)
	s.Values[PodScore] = float64(written) / float64(len(v.others))
}

func ceilInt(x float64) int {
	n := int(x)
	if float64(n) < x {
		n++
	}
	return n
}
