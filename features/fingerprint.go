package features

import (
	"fmt"
	"math"
	"time"
)

// Follower-fingerprint parameters.
const (
	// fpWindow is the widest spread of creation dates, in days, within
	// any fpMinRun consecutive followers of a run.
	fpWindow = 21.0
	// fpMinRun is the fewest consecutive followers that make a run.
	fpMinRun = 12
	// fpMaxLag is the largest median lag, in days, between an account's
	// creation and its follow for the run to count as "created shortly
	// before following".
	fpMaxLag = 120.0
	// fpNeighbourDist is how far, in days, the creation dates of the
	// followers around a run must typically lie from the run's: a bought
	// batch stands out from its neighbours, while a wave of new accounts
	// that joined the platform together does not.
	fpNeighbourDist = 2 * fpWindow
	// fpMaxNeighbours caps the neighbours looked at on each side.
	fpMaxNeighbours = 200
)

// fingerprint finds runs of consecutive followers created in a narrow
// window shortly before they followed (Zouzou and Varol 2024) and
// computes follower_fingerprint: the share of followers with a known
// creation date that lie inside such runs.
//
// Followers without created_at are skipped (they neither make nor break a
// run). A run is a maximal stretch in which every fpMinRun consecutive
// followers were created within fpWindow days of one another, where the
// median lag from creation to follow is at most fpMaxLag days, and whose
// neighbours (up to as many followers as the run on each side) were
// created a median of at least fpNeighbourDist days away from the run's
// median (neighbours that are themselves in such a stretch, another batch,
// do not count; a run with no other neighbour stands on its own). The follow time is followed_at when given; otherwise the
// latest creation date among the follower and all earlier followers, a
// lower bound on when it followed, since the list is oldest follower
// first. It runs in linear time (monotonic queues), plus a sort of each
// run's neighbours.
func fingerprint(v *view, s *Signals, w *warnings) {
	fs := v.h.Followers
	if len(fs) == 0 {
		w.add(FollowerFingerprint, "no followers given")
		return
	}
	ix := make([]int, 0, len(fs))      // indices into fs of followers with created_at
	c := make([]float64, 0, len(fs))   // their creation, in days since the Unix epoch
	lag := make([]float64, 0, len(fs)) // days from creation to (a lower bound of) the follow
	latest := math.Inf(-1)
	for i := range fs {
		f := &fs[i]
		if !f.CreatedAt.OK {
			continue
		}
		d := days(f.CreatedAt.V)
		latest = max(latest, d)
		follow := latest
		if f.FollowedAt.OK {
			follow = days(f.FollowedAt.V)
		}
		ix = append(ix, i)
		c = append(c, d)
		lag = append(lag, max(0, follow-d))
	}
	if len(ix) < 2*fpMinRun {
		w.add(FollowerFingerprint, fmt.Sprintf("needs created_at on at least %d followers (%d given)",
			2*fpMinRun, len(ix)))
		return
	}

	// Sliding window: for each end e, the smallest lo such that
	// c[lo..e] spans at most fpWindow days.
	// minq and maxq are monotonic queues of indices (increasing and
	// decreasing c) whose fronts are minq[mh] and maxq[xh].
	var lo, mh, xh int
	minq := make([]int, 0, len(c))
	maxq := make([]int, 0, len(c))
	type region struct{ from, to int }
	var regions []region
	for e := range c {
		for len(minq) > mh && c[minq[len(minq)-1]] >= c[e] {
			minq = minq[:len(minq)-1]
		}
		minq = append(minq, e)
		for len(maxq) > xh && c[maxq[len(maxq)-1]] <= c[e] {
			maxq = maxq[:len(maxq)-1]
		}
		maxq = append(maxq, e)
		for c[maxq[xh]]-c[minq[mh]] > fpWindow {
			lo++
			if minq[mh] < lo {
				mh++
			}
			if maxq[xh] < lo {
				xh++
			}
		}
		if e-lo+1 < fpMinRun {
			continue
		}
		if n := len(regions); n > 0 && lo <= regions[n-1].to {
			regions[n-1].to = e
		} else {
			regions = append(regions, region{lo, e})
		}
	}

	inRegion := make([]bool, len(c))
	for _, r := range regions {
		for j := r.from; j <= r.to; j++ {
			inRegion[j] = true
		}
	}
	inside := 0
	var buf []float64
	for _, r := range regions {
		size := r.to - r.from + 1
		buf = append(buf[:0], lag[r.from:r.to+1]...)
		if median(buf) > fpMaxLag {
			continue
		}
		buf = append(buf[:0], c[r.from:r.to+1]...)
		center := median(buf)
		// Neighbours: up to k followers on each side that are in no
		// region (another batch next to this one is no reference),
		// looked for within 4k places.
		k := min(size, fpMaxNeighbours)
		buf = buf[:0]
		for j, n := r.from-1, 0; j >= 0 && j >= r.from-4*k && n < k; j-- {
			if !inRegion[j] {
				buf = append(buf, math.Abs(c[j]-center))
				n++
			}
		}
		for j, n := r.to+1, 0; j < len(c) && j <= r.to+4*k && n < k; j++ {
			if !inRegion[j] {
				buf = append(buf, math.Abs(c[j]-center))
				n++
			}
		}
		if len(buf) > 0 && median(buf) < fpNeighbourDist {
			continue
		}
		inside += size
		run := Run{Start: ix[r.from], End: ix[r.to] + 1}
		for _, i := range ix[r.from : r.to+1] {
			t := fs[i].CreatedAt.V
			if run.WindowStart.IsZero() || t.Before(run.WindowStart) {
				run.WindowStart = t
			}
			if t.After(run.WindowEnd) {
				run.WindowEnd = t
			}
		}
		s.Fingerprint = append(s.Fingerprint, run)
	}
	s.Values[FollowerFingerprint] = float64(inside) / float64(len(ix))
}

// days converts t to days since the Unix epoch.
func days(t time.Time) float64 { return float64(t.Unix()) / 86400 }
