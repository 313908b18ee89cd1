package detect

import (
	"fmt"
	"math"

	"bonafide/detect/model"
	"bonafide/features"
)

// z90 is the standard normal quantile for a two-sided 90% interval.
const z90 = 1.6448536269514722

// ShareRates are the follower model's error rates as the fake-share
// correction uses them: the true and false positive rates at the bundle's
// threshold, how many held-out fake (Positives) and real (Negatives)
// accounts they were measured on, and how much they vary from one audience
// to another (SpreadTPR, SpreadFPR: standard deviations between the
// populations they were measured on). A follower classifier catches fewer
// fakes in an audience of aged, camouflaged accounts than in a labelled
// set of obvious ones; the spread carries that into the interval.
type ShareRates struct {
	TPR       float64 `json:"tpr"`
	FPR       float64 `json:"fpr"`
	Positives int     `json:"positives"`
	Negatives int     `json:"negatives"`
	SpreadTPR float64 `json:"spread_tpr"`
	SpreadFPR float64 `json:"spread_fpr"`
}

// RatesOf returns the bundle's own held-out follower rates, with no
// spread between audiences.
func RatesOf(b *model.Bundle) ShareRates {
	r := b.FollowerRates
	return ShareRates{TPR: r.TPR, FPR: r.FPR, Positives: r.Positives, Negatives: r.Negatives}
}

// Share is the estimated fake share of a creator's whole follower base.
type Share struct {
	// OK is false when no followers were scored; the rest is then zero.
	OK bool
	// Estimate is the corrected share, Low and High its 90% interval.
	Estimate, Low, High float64
	// Raw is the plain share of scored followers at or above the
	// threshold, before the correction.
	Raw float64
	// Flagged of Basis scored followers were at or above the threshold.
	Flagged, Basis int
	// Population is the size of the base the sample was drawn from.
	Population int64
	// Method is how the followers were drawn (features.SampleAll, ...).
	Method string
	// Warnings say what limits the estimate.
	Warnings []string
}

// EstimateShare estimates the fake share of a follower base of population
// accounts from a sample of basis followers drawn by method, of which
// flagged scored at or above the follower model's threshold. It uses
// adjusted classify-and-count: the raw share is corrected with the model's
// error rates,
//
//	θ = (raw − FPR) / (TPR − FPR),
//
// and the 90% interval comes from the delta method over the three
// estimated quantities: the sampling error of raw (with the finite
// population correction: a sample of 2,000 from 20,000 knows more than one
// from 2,000,000; none for a complete list), the estimation error of TPR
// and FPR from their held-out counts, and their spread between audiences.
func EstimateShare(flagged, basis int, population int64, method string, r ShareRates) Share {
	s := Share{Method: method, Basis: basis, Flagged: flagged}
	if basis <= 0 {
		s.Warnings = append(s.Warnings, "fake_followers: no followers given, the fake share is not estimated")
		return s
	}
	s.OK = true
	if population < int64(basis) {
		population = int64(basis)
	}
	s.Population = population
	n := float64(basis)
	raw := float64(flagged) / n
	s.Raw = raw

	tpr, fpr := r.TPR, r.FPR
	d := tpr - fpr
	if !(d >= 0.2) {
		// A model barely better than chance cannot correct anything.
		s.Warnings = append(s.Warnings, fmt.Sprintf("fake_followers: the follower model separates poorly (TPR %.2f, FPR %.2f); the estimate is the raw share", tpr, fpr))
		tpr, fpr, d = 1, 0, 1
		r = ShareRates{TPR: 1}
	}
	theta := clamp01((raw - fpr) / d)

	complete := method == features.SampleAll || int64(basis) >= population
	var varRaw float64
	if !complete {
		// Sampling variance of raw, with the finite population
		// correction. At the edges (raw 0 or 1) the plug-in variance says
		// nothing; keep at least that of one follower either way.
		p := math.Min(math.Max(raw, 1/n), 1-1/n)
		varRaw = p * (1 - p) / n
		if population > 1 {
			varRaw *= float64(population-int64(basis)) / float64(population-1)
		}
	}
	if method == features.SampleRecent {
		s.Warnings = append(s.Warnings, "fake_followers: the followers are the most recent ones, not a random sample; the share describes recent followers and may differ from the whole base (bought followers cluster in time)")
	}
	// Estimation variance of the rates, from their held-out counts, plus
	// their spread between audiences.
	varT := r.SpreadTPR * r.SpreadTPR
	varF := r.SpreadFPR * r.SpreadFPR
	if r.Positives > 0 {
		varT += tpr * (1 - tpr) / float64(r.Positives)
	}
	if r.Negatives > 0 {
		varF += fpr * (1 - fpr) / float64(r.Negatives)
	}
	v := (varRaw + theta*theta*varT + (1-theta)*(1-theta)*varF) / (d * d)
	sd := math.Sqrt(v)
	s.Estimate = theta
	s.Low = clamp01(theta - z90*sd)
	s.High = clamp01(theta + z90*sd)
	if !s.Counts() {
		s.Warnings = append(s.Warnings, fmt.Sprintf("fake_followers: %d followers scored: the 90%% interval (%.0f%%-%.0f%%) is too wide for the share to count in the score", basis, 100*s.Low, 100*s.High))
	}
	return s
}

// estimateShare scores the share of h's followers with probabilities
// probs (in list order) against the engine's rates.
func (e *Engine) estimateShare(probs []float64, h *features.History) Share {
	flagged := 0
	for _, p := range probs {
		if p >= e.bundle.Threshold {
			flagged++
		}
	}
	pop := h.Creator.Followers
	if h.Sample.Population.OK {
		pop = h.Sample.Population.V
	}
	return EstimateShare(flagged, len(probs), pop, h.Sample.Method, e.rates)
}

// MaxShareWidth is the widest 90% interval of a fake share that the
// creator model reads. A wider one (a handful of followers scored: two
// followers give 0%-100%) says nothing about the audience; the model
// reads the fake-share inputs as absent, as when no followers are given,
// instead of taking one flagged follower of two for half the audience.
const MaxShareWidth = 0.5

// Counts reports whether the share is estimated narrowly enough for the
// creator model to read it (see MaxShareWidth).
func (s Share) Counts() bool { return s.OK && s.High-s.Low <= MaxShareWidth }

func (s Share) report() FakeShare {
	if !s.OK {
		return FakeShare{}
	}
	est, lo, hi := round(s.Estimate, 4), round(s.Low, 4), round(s.High, 4)
	basis, method := s.Basis, s.Method
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
