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
	// growthMaxDays is the longest stretch, in days, tested as one spike:
	// a rise that lasts longer is a change of trend, not a spike.
	growthMaxDays = 10.0
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
	// viralFactor is how many times the creator's median likes, views or
	// comments a post needs to explain a spike.
	viralFactor = 3.0
	// viralMADs is how many robust standard deviations of the log of the
	// creator's likes, views or comments a post must stand above the
	// median log: a creator whose posts vary a lot needs more.
	viralMADs = 3.0
	// viralShare is the least ratio of a viral post's extra interactions
	// to the spike's extra followers.
	viralShare = 0.25
	// explainLead is how long before a spike a post may have been
	// published and still explain it.
	explainLead = 72 * time.Hour
)

// growth finds the growth spikes and computes growth_spike_share.
//
// It works on the follower counts between snapshots, so irregular
// spacing and missing days do not matter. A spike is a stretch of up to
// 10 days of consecutive intervals whose gain exceeds the norm: the
// daily rate the creator gained at just before and just after it (the
// higher median of up to 14 intervals on each side, leaving out the
// spikes found before). The excess must stand out from the creator's own
// noise: growthZ standard deviations, where the deviation of a day is the
// robust spread (1.4826 MAD) of the rates on either side, floored at 10%
// of the norm and at 1, and the stretch's variance adds its days and the
// uncertainty of a norm taken from the sides. So a slow burst whose days
// are each unremarkable is found as a whole, while a change of trend (the
// norm on one side is the new rate) is not. The excess must also be
// material: at least two days of the norm and max(20, 0.2% of the
// count). The gain counts from the highest count of the 7 snapshots before
// the stretch (so the recovery after a drop or a glitch is not a spike).
// Stretches are taken by decreasing deviation, without overlap; then the
// norms are recomputed without them, until nothing changes.
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

	base := postBaseline(v)
	var suspicious float64
	for _, st := range findStretches(pts) {
		sp := Spike{
			Start:    pts[st.from].At,
			End:      pts[st.to].At,
			Gained:   pts[st.to].Followers - pts[st.from].Followers,
			Expected: int64(math.Round(st.expected)),
			Kind:     SpikeSuspicious,
		}
		explain(v, base, &sp, pts[st.peak].At, pts[st.peak+1].At)
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

var DebugGrowth bool

// stretch is a spike of the series: intervals from..to-1 (snapshots from
// and to), what the norm predicts for it, and the interval of its
// highest rate above the norm.
type stretch struct {
	from, to, peak int
	expected, z    float64
}

// sideNorm is the norm of one side of a stretch: the median rate of its
// intervals, their robust spread, and how many there were.
type sideNorm struct {
	median, spread float64
	n              int
}

// findStretches returns the spikes of pts (distinct instants, sorted), in
// time order.
func findStretches(pts []SeriesPoint) []stretch {
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
		noise := 1.4826 * median(rel)
		var cands []stretch
		for a := range m {
			total := 0.0
			for b := a + 1; b <= m; b++ {
				total += days[b-1]
				if total > growthMaxDays && b > a+1 {
					break
				}
				if st, ok := score(pts, rates, days, peak, left[a], right[b], noise, a, b, total); ok {
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
		found = merge(next, rates)
		if same {
			break
		}
		// Leave the spikes out of the norms, keeping those of earlier
		// passes (a spike must not hide in the norm it raised).
		for i := range masked {
			masked[i] = masked[i] || taken[i]
		}
	}
	return found
}

// score tests intervals a..b-1 (total days) against the norm of the
// sides and returns the stretch when it is a spike.
func score(pts []SeriesPoint, rates, days []float64, peak []int64, l, r sideNorm, noise float64, a, b int, total float64) (stretch, bool) {
	var norm, spread float64
	var n int
	switch {
	case l.n > 0 && r.n > 0:
		norm, n = max(l.median, r.median), min(l.n, r.n)
		spread = max(l.spread, r.spread)
	case l.n > 0:
		norm, spread, n = l.median, l.spread, l.n
	case r.n > 0:
		norm, spread, n = r.median, r.spread, r.n
	default:
		return stretch{}, false
	}
	norm = max(norm, 0)
	// Counts are at least as noisy as a Poisson count of mean norm.
	spread = max(spread, noise*norm, 0.1*norm, math.Sqrt(norm), 1)
	expected := norm * total
	excess := float64(pts[b].Followers) - float64(peak[a]) - expected
	// The variance of the excess: the noise of each day, and the error of
	// a norm taken from n intervals (the median's variance is about
	// pi/2 that of the mean).
	sd := spread * math.Sqrt(total+math.Pi/2*total*total/float64(n))
	z := excess / sd
	if z < growthZ || excess < growthNormDays*norm || excess < max(20, 0.002*float64(pts[a].Followers)) {
		return stretch{}, false
	}
	top := a
	for i := a; i < b; i++ {
		if rates[i] > rates[top] {
			top = i
		}
	}
	if DebugGrowth {
		fmt.Printf("      cand %s..%s z %.1f excess %.0f norm %.1f spread %.1f (l %.1f/%.1f/%d r %.1f/%.1f/%d)\n", pts[a].At.Format("01-02"), pts[b].At.Format("01-02"), z, excess, norm, spread, l.median, l.spread, l.n, r.median, r.spread, r.n)
	}
	return stretch{from: a, to: b, peak: top, expected: expected, z: z}, true
}

// merge joins stretches that touch (a viral spike's decay, a burst
// delivered in two parts): one spike per event.
func merge(sts []stretch, rates []float64) []stretch {
	out := sts[:0]
	for _, st := range sts {
		if n := len(out); n > 0 && out[n-1].to == st.from {
			last := &out[n-1]
			last.to = st.to
			last.expected += st.expected
			last.z = max(last.z, st.z)
			if rates[st.peak] > rates[last.peak] {
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

// explain marks the spike organic when a post published within 3 days
// before it, or during it, accounts for it: a giveaway (its caption or
// the creator's comment asks to follow and tag friends, or most of its
// comments tag friends and say nothing else), or a viral post: its likes,
// views or comments reached 3 times the creator's median and stand out
// from how much the creator's posts vary (see standsOut), and its extra
// interactions (likes plus comments, or views, above the median) are at
// least a quarter of the spike's extra followers. A giveaway wins over a
// viral post; among viral posts the one that stood out most wins.
func explain(v *view, base baseline, sp *Spike, peakFrom, peakTo time.Time) {
	excess := float64(sp.Gained) - float64(sp.Expected)
	from := sp.Start.Add(-explainLead)
	bestRatio := 0.0
	best := ""
	for i, p := range v.posts {
		if p.CreatedAt.Before(from) || p.CreatedAt.After(sp.End) {
			continue
		}
		if isGiveawayPost(v, i) {
			sp.Kind, sp.ExplainedBy, sp.Giveaway = SpikeOrganic, p.ID, true
			return
		}
		ratio := 0.0
		var extra float64
		if p.Likes.OK {
			ratio = max(ratio, standsOut(float64(p.Likes.V), base.likes, base.likesLog))
			extra = float64(p.Likes.V) - base.likes
		}
		c := float64(postComments(p))
		ratio = max(ratio, standsOut(c, base.comments, base.commentsLog))
		extra += c - base.comments
		if p.Views.OK {
			ratio = max(ratio, standsOut(float64(p.Views.V), base.views, base.viewsLog))
			extra = max(extra, float64(p.Views.V)-base.views)
		}
		if ratio > 0 && extra >= viralShare*excess && ratio > bestRatio {
			bestRatio, best = ratio, p.ID
		}
	}
	if best != "" {
		sp.Kind, sp.ExplainedBy = SpikeOrganic, best
	}
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
