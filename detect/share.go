package detect

import (
	"fmt"
	"math"

	"bonafide/detect/model"
	"bonafide/features"
)

// z90 is the standard normal quantile for a two-sided 90% interval.
const z90 = 1.6448536269514722

// share is the estimated fake share of a creator's whole follower base.
type share struct {
	ok             bool
	estimate       float64
	low, high      float64
	basis          int
	method         string
	raw            float64 // plain share of followers scored above the threshold
	warnings       []string
	population     int64
	flaggedInBasis int
}

// estimateShare estimates the fake share by adjusted classify-and-count:
// the share of scored followers above the bundle's threshold is corrected
// with the follower model's true and false positive rates measured on
// held-out data at training time,
//
//	θ = (raw − FPR) / (TPR − FPR),
//
// and the 90% interval comes from the delta method over the three
// estimated quantities: the sampling error of raw (with the finite
// population correction: a sample of 2,000 from 20,000 knows more than one
// from 2,000,000) and the estimation error of TPR and FPR.
func estimateShare(probs []float64, b *model.Bundle, h *features.History) share {
	s := share{method: h.Sample.Method, basis: len(probs)}
	if len(probs) == 0 {
		s.warnings = append(s.warnings, "fake_followers: no followers given, the fake share is not estimated")
		return s
	}
	s.ok = true
	pop := h.Creator.Followers
	if h.Sample.Population.OK {
		pop = h.Sample.Population.V
	}
	if pop < int64(len(probs)) {
		pop = int64(len(probs))
	}
	s.population = pop
	for _, p := range probs {
		if p >= b.Threshold {
			s.flaggedInBasis++
		}
	}
	n := float64(len(probs))
	raw := float64(s.flaggedInBasis) / n
	s.raw = raw

	tpr, fpr := b.FollowerRates.TPR, b.FollowerRates.FPR
	d := tpr - fpr
	if d < 0.2 {
		// A model barely better than chance cannot correct anything.
		s.warnings = append(s.warnings, fmt.Sprintf("fake_followers: the follower model separates poorly (TPR %.2f, FPR %.2f); the estimate is the raw share", tpr, fpr))
		tpr, fpr, d = 1, 0, 1
	}
	theta := clamp01((raw - fpr) / d)

	// Sampling variance of raw, with the finite population correction.
	varRaw := raw * (1 - raw) / n
	if s.method == features.SampleAll || int64(n) >= pop {
		varRaw = 0
	} else if pop > 1 {
		varRaw *= float64(pop-int64(n)) / float64(pop-1)
	}
	if s.method == features.SampleRecent {
		s.warnings = append(s.warnings, "fake_followers: the followers are the most recent ones, not a random sample; the share describes recent followers and may differ from the whole base")
	}
	// Estimation variance of the rates, from the held-out counts.
	var varT, varF float64
	if np := b.FollowerRates.Positives; np > 0 {
		varT = tpr * (1 - tpr) / float64(np)
	}
	if nn := b.FollowerRates.Negatives; nn > 0 {
		varF = fpr * (1 - fpr) / float64(nn)
	}
	// At the edges the delta method says nothing of the raw share's own
	// uncertainty; keep at least the binomial spread of one follower.
	if varRaw == 0 && s.method != features.SampleAll && int64(n) < pop {
		varRaw = 1 / (4 * n * n)
	}
	v := (varRaw + theta*theta*varT + (1-theta)*(1-theta)*varF) / (d * d)
	sd := math.Sqrt(v)
	s.estimate = theta
	s.low = clamp01(theta - z90*sd)
	s.high = clamp01(theta + z90*sd)
	return s
}

func (s share) report() FakeShare {
	if !s.ok {
		return FakeShare{}
	}
	est, lo, hi := round(s.estimate, 4), round(s.low, 4), round(s.high, 4)
	basis, method := s.basis, s.method
	return FakeShare{Estimate: &est, Low: &lo, High: &hi, Basis: &basis, Method: &method}
}

func clamp01(v float64) float64 {
	switch {
	case math.IsNaN(v):
		return 0
	case v < 0:
		return 0
	case v > 1:
		return 1
	}
	return v
}
