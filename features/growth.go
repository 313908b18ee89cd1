package features

import (
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
	// growthWindow is how many intervals on each side of an interval make
	// its rolling norm.
	growthWindow = 7
	// growthMADs is how many robust standard deviations (1.4826 MAD) above
	// the rolling median rate a spike's rate must be.
	growthMADs = 5.0
	// growthFactor is how many times the rolling median rate (when
	// positive) a spike's rate must be.
	growthFactor = 3.0
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
// It works on daily rates (gain divided by the days between snapshots),
// so irregular spacing and missing days do not matter. Each interval is
// compared with the median and MAD of the rates of up to 7 intervals on
// each side (a centred window follows a slow trend). An interval is a
// spike when its rate exceeds the median by 5 robust standard deviations,
// is at least 3 times the median when the median is positive, gained at
// least max(20, 0.2% of the count) more than the median predicts, counted
// from the highest count of the 7 snapshots before it (so the recovery
// after a drop or a glitch is not a spike). Consecutive spike
// intervals make one spike.
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
	m := len(pts) - 1
	days := make([]float64, m)
	rates := make([]float64, m)
	for i := range m {
		days[i] = pts[i+1].At.Sub(pts[i].At).Hours() / 24
		rates[i] = (float64(pts[i+1].Followers) - float64(pts[i].Followers)) / days[i]
	}
	spike := make([]bool, m)
	norm := make([]float64, m)
	win := make([]float64, 0, 2*growthWindow)
	dev := make([]float64, 0, 2*growthWindow)
	for i := range m {
		lo, hi := max(0, i-growthWindow), min(m, i+growthWindow+1)
		win = append(append(win[:0], rates[lo:i]...), rates[i+1:hi]...)
		med := median(win)
		dev = dev[:0]
		for _, r := range win {
			dev = append(dev, math.Abs(r-med))
		}
		scale := max(1.4826*median(dev), 0.1*math.Abs(med), 1)
		norm[i] = med
		prev := pts[i].Followers
		peak := prev
		for _, p := range pts[max(0, i-growthWindow):i] {
			peak = max(peak, p.Followers)
		}
		// The gain counts from the highest count of the window before, so
		// that regaining what a drop took is no spike.
		excess := float64(pts[i+1].Followers) - float64(peak) - med*days[i]
		spike[i] = rates[i] > med+growthMADs*scale &&
			(med <= 0 || rates[i] >= growthFactor*med) &&
			excess >= max(20, 0.002*float64(prev))
	}

	base := postBaseline(v)
	var suspicious float64
	for i := 0; i < m; i++ {
		if !spike[i] {
			continue
		}
		j := i
		expected := 0.0
		for ; j < m && spike[j]; j++ {
			expected += norm[j] * days[j]
		}
		sp := Spike{
			Start:    pts[i].At,
			End:      pts[j].At,
			Gained:   pts[j].Followers - pts[i].Followers,
			Expected: int64(math.Round(expected)),
			Kind:     SpikeSuspicious,
		}
		explain(v, base, &sp)
		if sp.Kind == SpikeSuspicious {
			suspicious += max(0, float64(sp.Gained)-float64(sp.Expected))
		}
		s.Spikes = append(s.Spikes, sp)
		i = j
	}
	if f := v.h.Creator.Followers; f > 0 {
		s.Values[GrowthSpikeShare] = min(1, suspicious/float64(f))
	} else {
		w.add(GrowthSpikeShare, "creator has no followers")
	}
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
func explain(v *view, base baseline, sp *Spike) {
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
