package features

import (
	"fmt"
	"math"
	"slices"
)

// Engagement-pod parameters.
const (
	// podMinPosts is the fewest posts with comments that pod_score needs,
	// and the fewest posts a member must have commented on.
	podMinPosts = 3
	// podFalseRepeaters is the number of accounts of an organic audience
	// that may, by chance, comment on as many posts as a pod member must:
	// the threshold is the smallest count of posts whose expected number
	// of chance repeaters in the whole audience is at most this.
	podFalseRepeaters = 0.01
	// podMaxDelay is the largest median delay, in minutes after posting,
	// of a member's comments: pods comment in the first hour, when
	// ranking counts engagement most.
	podMaxDelay = 60.0
	// podAudienceQuantile is the quantile of the rest of the audience's
	// delays that a member's median delay must not exceed either: a pod
	// comes ahead of the crowd, so where the whole audience comments
	// within the hour, speed alone marks no one.
	podAudienceQuantile = 0.25
	// podMinAudience is the fewest delays of the rest of the audience
	// that give that quantile; with fewer, the hour alone counts.
	podMinAudience = 10
	// podMinMembers is the smallest group that counts as a pod: one
	// faithful fan is not a pod.
	podMinMembers = 3
)

// pods computes pod_score and the pod group: the accounts (at least 3)
// that commented on more of the posts than an organic audience of the
// creator's size would by chance, each with a median delay of its
// comments after posting of at most 60 minutes and at most the first
// quartile of the rest of the audience's delays (without comment times,
// repetition alone). pod_score is the share of other people's comments
// that the group wrote; 0 when there is no group.
//
// The null model is an audience from which each post's commenters are
// drawn at random: its size is estimated from the commenters seen once
// and twice (Chao1, a lower bound: a small audience whose members all come
// back gives a small estimate and a high threshold), capped at the
// follower count, and the number of posts an account comments on
// is Poisson with mean (author-post pairs) / (audience size), the pairs
// counted without the accounts that stand out. A member must have
// commented on at least the smallest number of posts m for which
// audience x P(X >= m) <= 0.01. A heavy-tailed audience has faithful fans
// beyond this model; the quartile rule keeps them out of the group unless
// they come ahead of the crowd.
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
	need := repeatThreshold(onPosts, v.h.Creator.Followers)
	var cands []int // accounts on enough posts
	for a, n := range onPosts {
		if n >= need {
			cands = append(cands, a)
		}
	}
	if len(cands) < podMinMembers {
		s.Values[PodScore] = 0
		return
	}
	fast := make([]bool, len(cands))
	if timed {
		// Minutes from posting to each comment: the candidates' own, and
		// the rest of the audience's as reference. Every comment counts,
		// not only an account's first on a post: a fan who comments five
		// times on each post is not fast for it.
		cand := make(map[int]int, len(cands))
		for i, a := range cands {
			cand[a] = i
		}
		delays := make([][]float64, len(cands))
		var audience []float64
		for _, r := range v.others {
			if !r.c.CreatedAt.OK {
				continue
			}
			d := max(0, r.c.CreatedAt.V.Sub(v.posts[r.post].CreatedAt).Minutes())
			if i, ok := cand[r.author]; ok {
				delays[i] = append(delays[i], d)
			} else {
				audience = append(audience, d)
			}
		}
		bound := podMaxDelay
		if len(audience) >= podMinAudience {
			bound = min(bound, quantile(audience, podAudienceQuantile))
		}
		for i := range cands {
			fast[i] = len(delays[i]) > 0 && median(delays[i]) <= bound
		}
	} else {
		for i := range fast {
			fast[i] = true
		}
	}
	var members []int
	for i, a := range cands {
		if fast[i] {
			members = append(members, a)
		}
	}
	if len(members) < podMinMembers {
		s.Values[PodScore] = 0
		return
	}
	written := 0
	for _, a := range members {
		written += perAuthor[a]
		s.Pod = append(s.Pod, v.authors[a])
	}
	slices.Sort(s.Pod)
	s.Values[PodScore] = float64(written) / float64(len(v.others))
}

// repeatThreshold returns the number of posts (at least podMinPosts) that
// an account must have commented on to stand out from an organic audience,
// given the number of posts each commenter commented on and the creator's
// follower count (0 when unknown). See pods for the model.
func repeatThreshold(onPosts []int, followers int64) int {
	var f1, f2, pairs float64
	for _, n := range onPosts {
		pairs += float64(n)
		switch n {
		case 1:
			f1++
		case 2:
			f2++
		}
	}
	seen := float64(len(onPosts))
	audience := seen + f1*(f1-1)/(2*(f2+1)) // bias-corrected Chao1
	if followers > 0 {
		audience = min(audience, max(seen, float64(followers)))
	}
	// The pod's own comments would inflate the audience's rate and hide
	// the pod: the rate is re-estimated without the accounts at or above
	// the threshold until the threshold settles (it only falls).
	m := podMinPosts
	for {
		m = poissonThreshold(pairs/audience, audience)
		rest := 0.0
		for _, n := range onPosts {
			if n < m {
				rest += float64(n)
			}
		}
		if rest == pairs {
			return m
		}
		pairs = rest
	}
}

// poissonThreshold returns the smallest m >= podMinPosts for which
// audience x P(X >= m) <= podFalseRepeaters, X Poisson with mean lambda.
// The search starts at the mean: below it the tail is about one half or
// more, and the audience is at least one account.
func poissonThreshold(lambda, audience float64) int {
	for m := max(podMinPosts, int(lambda)); ; m++ {
		if audience*poissonTail(lambda, m) <= podFalseRepeaters {
			return m
		}
	}
}

// poissonTail returns P(X >= m) for X Poisson with mean lambda: summed
// from m upwards past the mode (no cancellation when the tail is tiny),
// or as one minus the terms below m when m is at or below the mean.
func poissonTail(lambda float64, m int) float64 {
	if lambda <= 0 {
		return 0
	}
	term := func(k int) float64 {
		lg, _ := math.Lgamma(float64(k) + 1)
		return math.Exp(float64(k)*math.Log(lambda) - lambda - lg)
	}
	if float64(m) <= lambda {
		lower := 0.0
		for k := range m {
			lower += term(k)
		}
		return max(0, 1-lower)
	}
	sum := 0.0
	for k, t := m, term(m); t > 0 && t >= sum*1e-17; k++ {
		sum += t
		t *= lambda / float64(k+1)
	}
	return min(1, sum)
}

// quantile returns the q-quantile of xs (0 <= q <= 1, linear between
// order statistics), sorting xs in place; 0 for none.
func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	pos := q * float64(len(xs)-1)
	i := int(pos)
	if i+1 >= len(xs) {
		return xs[len(xs)-1]
	}
	return xs[i] + (pos-float64(i))*(xs[i+1]-xs[i])
}
