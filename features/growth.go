package features

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"
)

// Growth-spike parameters.
const (
	// growthMinPoints is the fewest distinct snapshots spike detection
	// needs: a week of intervals to set a norm against.
	growthMinPoints = 8
	// growthSide is how many intervals on each side of a stretch make
	// the norm it is measured against (two weeks of daily snapshots).
	growthSide = 14
	// growthMinSide is the fewest intervals a side needs to count.
	growthMinSide = 3
	// growthMaxDays is the longest stretch, in days, tested as one spike
	// (as long as the norm's side): a rise that lasts longer is a change
	// of trend, not a spike.
	growthMaxDays = 14.0
	// growthMaxIntervals bounds the intervals of a stretch or a batch's
	// span, so that a series of many snapshots a day costs linear time.
	growthMaxIntervals = 2 * growthSide
	// growthZ is how many standard deviations of the noise (the norm's
	// robust spread, over the stretch's days, plus the norm's own
	// uncertainty) a stretch's excess must reach.
	growthZ = 5.0
	// growthNormDays is the least excess of a spike in days of the norm:
	// a burst worth less than two days of usual growth is immaterial
	// (for a single day: a rate at least 3 times the norm).
	growthNormDays = 2.0
	// growthMaxPasses bounds the passes of detection; each pass leaves the
	// spikes found so far out of the norms.
	growthMaxPasses = 4
	// batchDays is the longest follow span, in days, tested for a bought
	// batch in the follower list.
	batchDays = 7.0
	// batchZ is the least deviation of the count (see growthZ) over a
	// batch's span for the batch to be a spike the count did not show.
	batchZ = 1.5
	// batchStep is the least time, in days, between the snapshots that
	// bound a span.
	batchStep = 0.8
	// batchMin is the fewest followers of a span whose creation dates
	// must cluster for a batch.
	batchMin = 5
	// batchAlpha is the chance, for a creator whose audience has no
	// bought batch, that one is found anyway (all the spans and creation
	// windows tested together).
	batchAlpha = 1e-3
	// batchRef is how many days of follows on each side of a span make
	// the reference its followers are compared with.
	batchRef = 60.0
	// batchMaxRef caps the followers of each side of the reference (the
	// nearest in time).
	batchMaxRef = 2000
	// batchMinRef is the fewest followers the reference needs.
	batchMinRef = 20
	// viralFactor is how many times the creator's median likes, views or
	// comments a post needs to explain a spike.
	viralFactor = 3.0
	// viralMADs is how many robust standard deviations of the log of the
	// creator's likes, views or comments a post must stand above the
	// median log: a creator whose posts vary a lot needs more.
	viralMADs = 3.0
	// vouchedMADs replaces viralMADs when the follower list vouches for
	// the spike's followers (enough of them listed, no bought batch).
	vouchedMADs = 2.0
	// viralShare is the largest share of the extra audience a viral post
	// reached (its extra interactions at the creator's usual rate of
	// interactions per follower) that can have followed.
	viralShare = 0.25
	// explainLead is how long before a spike a post may have been
	// published and still explain it.
	explainLead = 72 * time.Hour
)

// growth finds the growth spikes and computes growth_spike_share.
//
// It works on the follower counts between snapshots, so irregular
// spacing and missing days do not matter. A spike is a stretch of
// consecutive intervals (see findStretches) whose gain exceeds the norm
// of the intervals on both sides by far more than the creator's own noise
// allows, so that a slow burst whose days are each unremarkable is found
// as a whole, while a change of trend is not. The follower list adds
// bought batches (see findBatches): a stretch that holds one is
// suspicious whatever post came with it, and a batch the count did not
// show is a spike of its own. Any other stretch is organic when a post
// explains it (see explain). growth_spike_share is the share of today's
// followers gained beyond the norm in suspicious spikes.
func growth(v *view, s *Signals, w *warnings) {
	pts := make([]SeriesPoint, 0, len(v.series))
	for _, p := range v.series {
		if len(pts) > 0 && !p.At.After(pts[len(pts)-1].At) {
			continue // same instant twice: the decoder rejects it; keep the first
		}
		pts = append(pts, p)
	}
	if len(pts) < growthMinPoints {
		w.add(GrowthSpikeShare, fmt.Sprintf("needs at least %d follower-series snapshots (%d given)",
			growthMinPoints, len(pts)))
		return
	}

	stretches, test := findStretches(pts)
	stretches = withBatches(stretches, findBatches(v.h.Followers, pts), test, pts)
	stretches = merge(stretches, pts)
	base := postBaseline(v)
	listedFrom := postsListedFrom(v)
	var suspicious float64
	for _, st := range stretches {
		sp := Spike{
			Start:    pts[st.from].At,
			End:      pts[st.to].At,
			Gained:   pts[st.to].Followers - pts[st.from].Followers,
			Expected: int64(math.Round(st.expected)),
			Kind:     SpikeSuspicious,
		}
		if !st.batch {
			explain(v, base, &sp, pts[st.peak+1].At, pts[st.from+1].At, vouched(v.h.Followers, sp.Start, sp.End))
			if sp.Kind == SpikeSuspicious && sp.Start.Add(-explainLead).Before(listedFrom) {
				sp.Kind, sp.Unchecked = SpikeOrganic, true
				w.add(GrowthSpikeShare, fmt.Sprintf("the spike of %s..%s (+%d followers) began before the earliest listed post, so no post could be checked against it; it is not counted as suspicious",
					sp.Start.Format(time.DateOnly), sp.End.Format(time.DateOnly), sp.Gained))
			}
		}
		if sp.Kind == SpikeSuspicious {
			suspicious += max(0, float64(sp.Gained)-float64(sp.Expected))
		}
		s.Spikes = append(s.Spikes, sp)
	}
	if f := v.h.Creator.Followers; f > 0 {
		s.Values[GrowthSpikeShare] = min(1, suspicious/float64(f))
	} else {
		w.add(GrowthSpikeShare, "creator has no followers")
	}
}

// stretch is a spike of the series: intervals from..to-1 (snapshots from
// and to), what the norm predicts for it, and the interval of its
// highest rate above the norm.
type stretch struct {
	from, to, peak int
	expected, z    float64
	// batch is set when the follower list shows a bought batch in it:
	// no post explains it away.
	batch bool
}

// sideNorm is the norm of one side of a stretch: the median rate of its
// intervals, their robust spread, and how many there were.
type sideNorm struct {
	median, spread float64
	n              int
}

// findStretches returns the spikes of pts (distinct instants, sorted), in
// time order, and a test of any other stretch (snapshots a to b) against
// the final norms: its expected gain and deviation.
//
// A stretch of up to growthMaxDays is tested against the higher of the
// median daily rates of up to growthSide intervals before it and after it
// (both needed). Its excess (the count at its end, less the highest count
// of the 7 snapshots before it, so that the recovery after a drop is no
// spike, less norm x days) must reach growthZ standard deviations, where a
// day's deviation is the largest of the sides' robust spread (1.4826
// MAD), the creator's relative noise over the whole series times the
// norm, 10% of the norm, the square root of the norm and 1, and the
// variance adds the stretch's days and the uncertainty of a median norm.
// The excess must also be material: growthNormDays of the norm and
// max(20, 0.2% of the count). Stretches are taken by decreasing
// deviation, without overlap; then the norms are recomputed leaving them
// out, until nothing changes.
func findStretches(pts []SeriesPoint) ([]stretch, func(a, b int) stretch) {
	m := len(pts) - 1
	days := make([]float64, m)
	rates := make([]float64, m)
	for i := range m {
		days[i] = pts[i+1].At.Sub(pts[i].At).Hours() / 24
		rates[i] = (float64(pts[i+1].Followers) - float64(pts[i].Followers)) / days[i]
	}
	// peak[i] is the highest count of the 7 snapshots up to i: a gain
	// counts from there, so that regaining what a drop took is no spike.
	peak := make([]int64, m+1)
	for i := range peak {
		peak[i] = pts[i].Followers
		for _, p := range pts[max(0, i-7):i] {
			peak[i] = max(peak[i], p.Followers)
		}
	}
	masked := make([]bool, m)
	var found []stretch
	var noise float64
	left := make([]sideNorm, m+1)  // left[a]: the intervals before a
	right := make([]sideNorm, m+1) // right[b]: the intervals from b on
	buf := make([]float64, 0, growthSide)
	rel := make([]float64, 0, m)
	dev := make([]float64, 0, growthSide)
	side := func(from, step int) sideNorm {
		buf = buf[:0]
		for i := from; i >= 0 && i < m && len(buf) < growthSide && abs(i-from) < 3*growthSide; i += step {
			if !masked[i] {
				buf = append(buf, rates[i])
			}
		}
		if len(buf) < growthMinSide {
			return sideNorm{}
		}
		dev = dev[:0]
		n := len(buf)
		med := median(buf)
		for _, r := range buf {
			dev = append(dev, math.Abs(r-med))
		}
		return sideNorm{median: med, spread: 1.4826 * median(dev), n: n}
	}
	for range growthMaxPasses {
		for a := 0; a <= m; a++ {
			left[a] = side(a-1, -1)
			right[a] = side(a, 1)
		}
		// The creator's relative noise: the robust spread of each day's
		// rate around its local norm, relative to the norm, over the
		// whole series (steadier than the spread of either side alone).
		rel := rel[:0]
		for i := range m {
			if norm := (left[i].median + right[i+1].median) / 2; !masked[i] && left[i].n+right[i+1].n > 0 && norm > 0 {
				rel = append(rel, math.Abs(rates[i]-norm)/norm*math.Sqrt(days[i]))
			}
		}
		noise = 1.4826 * median(rel)
		var cands []stretch
		for a := range m {
			total := 0.0
			for b := a + 1; b <= m; b++ {
				total += days[b-1]
				if (total > growthMaxDays || b-a > growthMaxIntervals) && b > a+1 {
					break
				}
				if st, ok := score(pts, rates, peak, left[a], right[b], noise, a, b, total); ok {
					cands = append(cands, st)
				}
			}
		}
		// Strongest first, no overlap; ties go to the earlier, shorter.
		slices.SortStableFunc(cands, func(x, y stretch) int { return cmp.Compare(y.z, x.z) })
		taken := make([]bool, m)
		var next []stretch
		for _, c := range cands {
			if slices.Contains(taken[c.from:c.to], true) {
				continue
			}
			for i := c.from; i < c.to; i++ {
				taken[i] = true
			}
			next = append(next, c)
		}
		slices.SortFunc(next, func(x, y stretch) int { return cmp.Compare(x.from, y.from) })
		same := slices.Equal(taken, masked)
		found = next
		if same {
			break
		}
		// Leave the spikes out of the norms, keeping those of earlier
		// passes (a spike must not hide in the norm it raised).
		for i := range masked {
			masked[i] = masked[i] || taken[i]
		}
	}
	for a := 0; a <= m; a++ {
		left[a] = side(a-1, -1)
		right[a] = side(a, 1)
	}
	test := func(a, b int) stretch {
		st, _ := score(pts, rates, peak, left[a], right[b], noise, a, b, pts[b].At.Sub(pts[a].At).Hours()/24)
		return st
	}
	return found, test
}

// score tests intervals a..b-1 (total days) against the norm of the
// sides and returns the stretch, with its deviation z, and whether it is
// a spike. Without both sides its z is 0.
func score(pts []SeriesPoint, rates []float64, peak []int64, l, r sideNorm, noise float64, a, b int, total float64) (stretch, bool) {
	top := a
	for i := a; i < b; i++ {
		if rates[i] > rates[top] {
			top = i
		}
	}
	st := stretch{from: a, to: b, peak: top}
	// Both sides are needed: a rise with no norm after it may be a new
	// trend, one with no norm before it the old one.
	if l.n == 0 || r.n == 0 {
		st.expected = max(l.median, r.median, 0) * total
		return st, false
	}
	norm, n := max(l.median, r.median, 0), min(l.n, r.n)
	// Counts are at least as noisy as a Poisson count of mean norm.
	spread := max(l.spread, r.spread, noise*norm, 0.1*norm, math.Sqrt(norm), 1)
	st.expected = norm * total
	excess := float64(pts[b].Followers) - float64(peak[a]) - st.expected
	// The variance of the excess: the noise of each day, and the error of
	// a norm taken from n intervals (the median's variance is about
	// pi/2 that of the mean).
	st.z = excess / (spread * math.Sqrt(total+math.Pi/2*total*total/float64(n)))
	return st, st.z >= growthZ && excess >= growthNormDays*norm && excess >= max(20, 0.002*float64(pts[a].Followers))
}

// merge joins stretches that touch (a viral spike's decay, a burst
// delivered in two parts) into one spike per event, unless the follower
// list shows a batch in one and not the other (a burst right after a
// viral post stays apart from it).
func merge(sts []stretch, pts []SeriesPoint) []stretch {
	rate := func(i int) float64 {
		return float64(pts[i+1].Followers-pts[i].Followers) / pts[i+1].At.Sub(pts[i].At).Hours()
	}
	out := sts[:0]
	for _, st := range sts {
		if n := len(out); n > 0 && out[n-1].to == st.from && out[n-1].batch == st.batch {
			last := &out[n-1]
			last.to = st.to
			last.expected += st.expected
			last.z = max(last.z, st.z)
			if rate(st.peak) > rate(last.peak) {
				last.peak = st.peak
			}
			continue
		}
		out = append(out, st)
	}
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// baseline is the creator's typical post: for likes, views and comments,
// the median over the posts where each is known, and the spread of the
// logarithm (1.4826 MAD of log(1+x)), which says how much the creator's
// posts vary.
type baseline struct {
	likes, views, comments          float64 // medians; 0 when unknown
	likesLog, viewsLog, commentsLog spread
}

type spread struct{ median, scale float64 }

func postBaseline(v *view) baseline {
	var likes, views, comments []float64
	for _, p := range v.posts {
		if p.Likes.OK {
			likes = append(likes, float64(p.Likes.V))
		}
		if p.Views.OK {
			views = append(views, float64(p.Views.V))
		}
		comments = append(comments, float64(postComments(p)))
	}
	return baseline{
		likes: median(slices.Clone(likes)), views: median(slices.Clone(views)), comments: median(slices.Clone(comments)),
		likesLog: logSpread(likes), viewsLog: logSpread(views), commentsLog: logSpread(comments),
	}
}

// logSpread returns the median and 1.4826 MAD of log(1+x) over xs
// (which it overwrites).
func logSpread(xs []float64) spread {
	for i, x := range xs {
		xs[i] = math.Log1p(x)
	}
	m := median(xs)
	for i, x := range xs {
		xs[i] = math.Abs(x - m)
	}
	return spread{m, 1.4826 * median(xs)}
}

// standsOut returns by how many times x exceeds the median m, when that
// is at least viralFactor and x is also an outlier for the creator: its
// log is at least viralMADs robust standard deviations above the median
// log. It returns 0 otherwise.
func standsOut(x, m float64, sp spread) float64 {
	if m <= 0 || x < viralFactor*m {
		return 0
	}
	if math.Log1p(x)-sp.median < viralMADs*sp.scale {
		return 0
	}
	return x / m
}

// postsListedFrom returns the time from which the listed posts are all
// the creator published: the zero time when the list is complete (the
// creator's post count equals the posts listed), else the earliest listed
// post (a document may list only the recent posts), and the end of time
// when none is listed. A spike whose window for a cause (explainLead
// before it) starts earlier may have had a cause that is not listed.
func postsListedFrom(v *view) time.Time {
	if n := v.h.Creator.Posts; n.OK && n.V <= int64(len(v.posts)) {
		return time.Time{}
	}
	if len(v.posts) == 0 {
		return time.Unix(1<<62, 0)
	}
	return v.posts[0].CreatedAt
}

// explain marks the spike organic when a post published within 3 days
// before it, or during it, accounts for it: a giveaway (its caption or
// the creator's comment asks to follow and tag friends, or most of its
// comments tag friends and say nothing else), or a viral post: its likes,
// views or comments reached 3 times the creator's median and stand out
// from how much the creator's posts vary (see standsOut), and its extra
// interactions (likes plus comments, or views, above the median) are at
// least a quarter of the spike's extra followers. A giveaway wins over a
// viral post; among viral posts the one that stood out most wins.
func explain(v *view, base baseline, sp *Spike, peakTo, firstTo time.Time, vouched bool) {
	excess := float64(sp.Gained) - float64(sp.Expected)
	followers := float64(v.h.Creator.Followers)
	loose := base
	for _, sp := range []*spread{&loose.likesLog, &loose.viewsLog, &loose.commentsLog} {
		sp.scale *= vouchedMADs / viralMADs
	}
	from := sp.Start.Add(-explainLead)
	bestRatio := 0.0
	best := ""
	for i, p := range v.posts {
		// A cause comes before its effect: the post must be out by the
		// end of the spike's steepest interval.
		if p.CreatedAt.Before(from) || p.CreatedAt.After(peakTo) {
			continue
		}
		if isGiveawayPost(v, i) {
			sp.Kind, sp.ExplainedBy, sp.Giveaway = SpikeOrganic, p.ID, true
			return
		}
		// When the list vouches for the followers, a post that stands out
		// less will do, if the spike starts with it: out at most a day
		// before the spike and by the end of its first interval.
		b := &base
		if vouched && !p.CreatedAt.Before(sp.Start.Add(-24*time.Hour)) && !p.CreatedAt.After(firstTo) {
			b = &loose
		}
		ratio := 0.0
		var interactions, usual float64
		if p.Likes.OK {
			ratio = max(ratio, standsOut(float64(p.Likes.V), b.likes, b.likesLog))
			interactions, usual = float64(p.Likes.V), b.likes
		}
		c := float64(postComments(p))
		ratio = max(ratio, standsOut(c, b.comments, b.commentsLog))
		reach := audience(interactions+c, usual+b.comments, followers)
		if p.Views.OK {
			ratio = max(ratio, standsOut(float64(p.Views.V), b.views, b.viewsLog))
			reach = max(reach, audience(float64(p.Views.V), b.views, followers))
		}
		if ratio > 0 && viralShare*reach >= excess && ratio > bestRatio {
			bestRatio, best = ratio, p.ID
		}
	}
	if best != "" {
		sp.Kind, sp.ExplainedBy = SpikeOrganic, best
	}
}

// vouched reports whether the follower list vouches for the followers
// gained from start to end: at least batchMinRef of them are listed with
// followed_at, and (the caller checks) they hold no bought batch.
func vouched(fs []Follower, start, end time.Time) bool {
	n := 0
	for i := range fs {
		if t := fs[i].FollowedAt; t.OK && fs[i].CreatedAt.OK && !t.V.Before(start) && t.V.Before(end) {
			n++
		}
	}
	return n >= batchMinRef
}

// audience returns the extra audience a post reached, in followers: its
// extra interactions (x above the creator's usual) at the creator's
// usual rate of interactions per follower. Without a usual rate it is the
// extra interactions themselves.
func audience(x, usual, followers float64) float64 {
	if usual <= 0 || followers <= 0 {
		return x - usual
	}
	return (x - usual) * followers / usual
}

// isGiveawayPost reports whether post i of the view runs a giveaway.
func isGiveawayPost(v *view, i int) bool {
	p := v.posts[i]
	if p.Caption.OK && IsGiveaway(p.Caption.V) {
		return true
	}
	tags, others := 0, 0
	var sc tokenizer
	for _, c := range v.comments[i] {
		t := sc.scan(c.Text)
		if c.AuthorID == v.h.Creator.ID {
			if isGiveawayText(t) {
				return true
			}
			continue
		}
		others++
		if t.mentions > 0 && classify(t) != TextContent {
			tags++ // "@ana @bea", "@ana good luck 🤞"
		}
	}
	return tags >= 5 && 2*tags >= others
}

// batchSpan is a span of snapshots (from, to) in which the followers who
// followed include a bought batch; logP is the log of its corrected
// p-value.
type batchSpan struct {
	from, to int
	logP     float64
}

// findBatches looks in the follower list for bought batches: followers
// who followed within a few days of one another (a span of snapshots of
// at most batchDays) and whose accounts were created within fpWindow days
// of one another, far more of them than the audience's own creation dates
// make likely. For each span, the densest fpWindow-day window of the
// creation dates of its followers (k of n) is compared with how many (in)
// of the followers who followed in the 60 days before (or after:
// whichever side has fewer in the window, as another batch may lie on one
// side; at least 20 followers, at most the 2,000 nearest; ref of them)
// were created in that window. With no batch, the k are a binomial draw
// from the k + in with chance n / (n + ref): the chance of k or more,
// times the number of windows and spans tried (both sides), must be below
// batchAlpha. Followers without followed_at or created_at are left out.
// Spans are taken by increasing p-value, trimmed to the follows of the
// clustered followers, without overlap.
func findBatches(fs []Follower, pts []SeriesPoint) []batchSpan {
	type member struct{ follow, created float64 }
	var ms []member
	for i := range fs {
		if fs[i].FollowedAt.OK && fs[i].CreatedAt.OK {
			ms = append(ms, member{days(fs[i].FollowedAt.V), days(fs[i].CreatedAt.V)})
		}
	}
	if len(ms) < 2*batchMin {
		return nil
	}
	slices.SortFunc(ms, func(a, b member) int { return cmp.Compare(a.follow, b.follow) })
	// follows returns the index of the first member who followed at or
	// after t.
	follows := func(t float64) int {
		i, _ := slices.BinarySearchFunc(ms, t, func(m member, t float64) int { return cmp.Compare(m.follow, t) })
		return i
	}
	type cand struct {
		batchSpan
		n, k int
		at   float64 // start of the creation window
	}
	// Spans run between snapshots at least batchStep days apart: every
	// snapshot of a daily series, a few a day of a denser one.
	var marks []int
	for i := range pts {
		if len(marks) == 0 || days(pts[i].At)-days(pts[marks[len(marks)-1]].At) >= batchStep || i == len(pts)-1 {
			marks = append(marks, i)
		}
	}
	var cands []cand
	tests := 0
	var c []float64
	for ai, a := range marks {
		from := days(pts[a].At)
		for _, b := range marks[ai+1:] {
			if days(pts[b].At)-from > batchDays {
				break
			}
			lo, hi := follows(from), follows(days(pts[b].At))
			n := hi - lo
			if n < batchMin {
				continue
			}
			c = c[:0]
			for _, m := range ms[lo:hi] {
				c = append(c, m.created)
			}
			slices.Sort(c)
			k, at := 0, 0.0
			for i, j := 0, 0; i < len(c); i++ {
				for j < len(c) && c[j]-c[i] <= fpWindow {
					j++
				}
				if j-i > k {
					k, at = j-i, c[i]
				}
			}
			tests += 2 * n // windows, and two sides
			if k < batchMin {
				continue
			}
			// The reference: who followed in the batchRef days before, or
			// after, the span (what accounts were created when depends on
			// when they followed: none after). Of the two sides, the one
			// where the window is rarer: another batch from the same farm
			// on one side must not hide this one.
			count := func(ms []member) (in, ref int) {
				for _, m := range ms {
					ref++
					if m.created >= at && m.created <= at+fpWindow {
						in++
					}
				}
				return in, ref
			}
			in, ref := count(ms[max(follows(from-batchRef), lo-batchMaxRef):lo])
			in2, ref2 := count(ms[hi:min(follows(days(pts[b].At)+batchRef), hi+batchMaxRef)])
			switch {
			case ref < batchMinRef:
				in, ref = in2, ref2
			case ref2 >= batchMinRef && (float64(in2)+1)*float64(ref+2) < (float64(in)+1)*float64(ref2+2):
				in, ref = in2, ref2
			}
			if ref < batchMinRef {
				continue
			}
			cands = append(cands, cand{batchSpan{from: a, to: b, logP: logBinomialTail(k, k+in, float64(n)/float64(n+ref))}, n, k, at})
		}
	}
	limit := math.Log(batchAlpha) - math.Log(float64(max(tests, 1)))
	cands = slices.DeleteFunc(cands, func(x cand) bool { return x.logP > limit })
	slices.SortStableFunc(cands, func(x, y cand) int { return cmp.Compare(x.logP, y.logP) })
	var out []batchSpan
	for _, x := range cands {
		// Trim the span to the follows of the batch's own members.
		first, last := math.Inf(1), math.Inf(-1)
		for _, m := range ms[follows(days(pts[x.from].At)):follows(days(pts[x.to].At))] {
			if m.created >= x.at && m.created <= x.at+fpWindow {
				first, last = min(first, m.follow), max(last, m.follow)
			}
		}
		for x.from+1 < x.to && days(pts[x.from+1].At) <= first {
			x.from++
		}
		for x.to-1 > x.from && days(pts[x.to-1].At) > last {
			x.to--
		}
		if !slices.ContainsFunc(out, func(o batchSpan) bool { return x.from < o.to && o.from < x.to }) {
			out = append(out, x.batchSpan)
		}
	}
	slices.SortFunc(out, func(x, y batchSpan) int { return cmp.Compare(x.from, y.from) })
	return out
}

// withBatches marks the stretches that overlap a bought batch, and adds
// a stretch for each batch the series did not show (a small batch is
// lost in the noise of the count but not in the list), in time order. A
// stretch that reaches beyond its batch by a material gain (a viral post
// just before a delivery) is split there, so that the post can still
// explain its part.
func withBatches(sts []stretch, bs []batchSpan, test func(a, b int) stretch, pts []SeriesPoint) []stretch {
	piece := func(a, b int, batch bool) stretch {
		st := test(a, b)
		st.batch = batch
		return st
	}
	// material reports whether snapshots a to b gained enough beyond the
	// norm to stand as a spike of their own.
	material := func(a, b int) bool {
		st := test(a, b)
		norm := st.expected / (pts[b].At.Sub(pts[a].At).Hours() / 24)
		excess := float64(pts[b].Followers-pts[a].Followers) - st.expected
		return excess >= growthNormDays*norm && excess >= max(20, 0.002*float64(pts[a].Followers))
	}
	for _, b := range bs {
		hit := false
		for i := 0; i < len(sts); i++ {
			st := sts[i]
			if st.from >= b.to || b.from >= st.to {
				continue
			}
			hit = true
			from, to := max(st.from, b.from), min(st.to, b.to)
			if from == st.from || !material(st.from, from) {
				from = st.from
			}
			if to == st.to || !material(to, st.to) {
				to = st.to
			}
			if from == st.from && to == st.to {
				sts[i].batch = true
				continue
			}
			var parts []stretch
			if from > st.from {
				parts = append(parts, piece(st.from, from, st.batch))
			}
			parts = append(parts, piece(from, to, true))
			if to < st.to {
				parts = append(parts, piece(to, st.to, st.batch))
			}
			sts = slices.Replace(sts, i, i+1, parts...)
			i += len(parts) - 1
		}
		// A batch the count did not show is a spike when the count at
		// least agrees that more came than usual (a drip, bought
		// accounts arriving at the usual pace, is no spike).
		if st := piece(b.from, b.to, true); !hit && st.z >= batchZ {
			sts = append(sts, st)
		}
	}
	slices.SortStableFunc(sts, func(x, y stretch) int { return cmp.Compare(x.from, y.from) })
	return sts
}

// logBinomialTail returns the log of P(X >= k) for X binomial of n trials
// with chance p.
func logBinomialTail(k, n int, p float64) float64 {
	if k <= 0 {
		return 0
	}
	if k > n || p <= 0 {
		return math.Inf(-1)
	}
	if p >= 1 {
		return 0
	}
	// Sum the terms from k on, in logs, relative to the first.
	lc := lchoose(n, k)
	first := lc + float64(k)*math.Log(p) + float64(n-k)*math.Log1p(-p)
	sum, term := 1.0, 1.0
	for i := k + 1; i <= n; i++ {
		term *= float64(n-i+1) / float64(i) * p / (1 - p)
		sum += term
		if term < 1e-12*sum {
			break
		}
	}
	return min(0, first+math.Log(sum))
}

// lchoose returns log(n choose k).
func lchoose(n, k int) float64 {
	a, _ := math.Lgamma(float64(n) + 1)
	b, _ := math.Lgamma(float64(k) + 1)
	c, _ := math.Lgamma(float64(n-k) + 1)
	return a - b - c
}
