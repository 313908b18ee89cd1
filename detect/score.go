package detect

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"

	"bonafide/features"
)

// Verdict thresholds on the authenticity score (0-100): at or above
// AuthenticAt the verdict is authentic, below InauthenticBelow it is
// inauthentic, and between them a person should review. With a calibrated
// creator model the score is 100 × (1 − P(inauthentic)), so the band is
// 0.35 < P(inauthentic) ≤ 0.60: the creators about whom the model is
// closest to a coin toss (docs/creator-model.md).
const (
	AuthenticAt      = 65.0
	InauthenticBelow = 40.0
)

// CreatorModelVersion is the version of the CreatorModel JSON this build
// reads and writes.
const CreatorModelVersion = 1

// ErrCreatorModel is returned for a bundle whose creator model does not
// parse or does not fit this build. Errors may be wrapped; test with
// errors.Is.
var ErrCreatorModel = errors.New("detect: bad creator model")

// Names of the creator model's inputs beyond the signals.
const (
	// FakeShareInput is the corrected fake share of the followers.
	FakeShareInput = "fake_share"
	// FakeShareWidthInput is the width of its 90% interval at the point
	// rates: the error of sampling and of measuring the rates, how many
	// followers back the estimate (the range of the rates between
	// audiences, which grows with the estimate, is left out).
	FakeShareWidthInput = "fake_share_width"
	// MeanPFakeInput is the mean P(fake) of the scored followers.
	MeanPFakeInput = "follower_p_fake_mean"
	// LogFollowersInput is log10 of the creator's follower count.
	LogFollowersInput = "log_followers"
	// platformPrefix starts the platform indicators.
	platformPrefix = "platform_"
)

// creatorPlatforms are the platforms with an indicator input.
var creatorPlatforms = []string{"instagram", "tiktok", "youtube", "x"}

// CreatorInputs returns the names of the creator model's inputs in vector
// order: the signals (features.Names), the fake-share estimate, its
// interval width, the followers' mean P(fake), log10 of the follower count
// and one indicator per known platform. Missing values are NaN.
func CreatorInputs() []string {
	names := features.Names()
	names = append(names, FakeShareInput, FakeShareWidthInput, MeanPFakeInput, LogFollowersInput)
	for _, p := range creatorPlatforms {
		names = append(names, platformPrefix+p)
	}
	return names
}

// reasonOf names the reason (a report signal) that an input's attribution
// counts towards.
func reasonOf(input string) string {
	switch {
	case input == FakeShareInput || input == FakeShareWidthInput || input == MeanPFakeInput:
		return "fake_followers"
	case input == LogFollowersInput || len(input) > len(platformPrefix) && input[:len(platformPrefix)] == platformPrefix:
		return "follower_tier"
	}
	return input
}

// Evidence is everything the creator model reads about one creator.
type Evidence struct {
	Platform  string
	Followers int64
	Signals   features.Signals
	Share     Share
	// MeanPFake is the mean P(fake) of the scored followers; NaN when none.
	MeanPFake float64
	// Probs are the followers' P(fake), in list order.
	Probs []float64
}

// Evidence scores h's followers, estimates the fake share and extracts the
// signals: what Vet reads before it scores, and what training measures
// creators with.
func (e *Engine) Evidence(ctx context.Context, h *features.History) (Evidence, error) {
	probs, err := e.scoreFollowers(ctx, h)
	if err != nil {
		return Evidence{}, err
	}
	byID := make(map[string]float64, len(probs))
	mean := math.NaN()
	if len(probs) > 0 {
		var sum float64
		for i, p := range probs {
			byID[h.Followers[i].ID] = p
			sum += p
		}
		mean = sum / float64(len(probs))
	}
	sig := features.Extract(h, func(id string) (float64, bool) {
		p, ok := byID[id]
		return p, ok
	})
	return Evidence{
		Platform:  h.Platform,
		Followers: h.Creator.Followers,
		Signals:   sig,
		Share:     e.estimateShare(probs, h, sig.Spikes),
		MeanPFake: mean,
		Probs:     probs,
	}, nil
}

// Threshold is the P(fake) at or above which the follower model counts a
// follower as fake.
func (e *Engine) Threshold() float64 { return e.bundle.Threshold }

// Vector appends the creator model's inputs (CreatorInputs order) to dst.
func (ev Evidence) Vector(dst []float64) []float64 {
	for _, name := range features.Names() {
		v, ok := ev.Signals.Values[name]
		if !ok || math.IsInf(v, 0) {
			v = math.NaN()
		}
		dst = append(dst, v)
	}
	if ev.Share.Counts() {
		dst = append(dst, ev.Share.Estimate, ev.Share.pointWidth, ev.MeanPFake)
	} else {
		dst = append(dst, math.NaN(), math.NaN(), math.NaN())
	}
	dst = append(dst, math.Log10(float64(max(ev.Followers, 1))))
	for _, p := range creatorPlatforms {
		v := 0.0
		if ev.Platform == p {
			v = 1
		}
		dst = append(dst, v)
	}
	return dst
}

// TreeNode is one node of a creator-model tree. A leaf has Feature -1 and
// contributes Value. A split sends x to Left when x[Feature] <= Threshold,
// to Right when greater, and a missing value (NaN) to Left when
// MissingLeft is set. Cover is the number of training rows that reached
// the node, which TreeSHAP needs to weigh the paths not taken.
type TreeNode struct {
	Feature     int     `json:"f"`
	Threshold   float64 `json:"t,omitempty"`
	Left        int     `json:"l,omitempty"`
	Right       int     `json:"r,omitempty"`
	MissingLeft bool    `json:"m,omitempty"`
	Value       float64 `json:"v,omitempty"`
	Cover       float64 `json:"c"`
}

// CreatorModel is the trained creator model, the fake-share rates and the
// norms, as the bundle's Creator field holds them (JSON). The trees sum
// to a raw margin m; the calibrated P(inauthentic) is the logistic of
// PlattA × m + PlattB.
type CreatorModel struct {
	Version int `json:"version"`
	// Inputs names the inputs the trees read, in their vector order; each
	// must be one of CreatorInputs.
	Inputs []string     `json:"inputs"`
	Base   float64      `json:"base"`
	Trees  [][]TreeNode `json:"trees"`
	PlattA float64      `json:"platt_a"`
	PlattB float64      `json:"platt_b"`
	// Rates correct the fake share (see EstimateShare).
	Rates ShareRates `json:"share_rates"`
	// Norms are the reference distributions of the signals.
	Norms Norms `json:"norms"`
	// Metrics are what training measured, for the model card.
	Metrics json.RawMessage `json:"metrics,omitempty"`

	index    []int   // index[i]: position of Inputs[i] in CreatorInputs
	expected float64 // cover-weighted mean raw margin
	// leaves are the trees' leaf tables (leaftable.go); nil: TreeSHAP
	// runs the recursion.
	leaves *leafTables
}

// ParseCreatorModel reads the bundle's Creator field. It returns nil and
// no error when raw is empty (a bundle without a creator model).
func ParseCreatorModel(raw json.RawMessage) (*CreatorModel, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var m CreatorModel
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCreatorModel, err)
	}
	if err := m.init(); err != nil {
		return nil, err
	}
	return &m, nil
}

// init checks m and fills its derived fields.
func (m *CreatorModel) init() error {
	if m.Version != CreatorModelVersion {
		return fmt.Errorf("%w: version %d (this build reads %d)", ErrCreatorModel, m.Version, CreatorModelVersion)
	}
	all := CreatorInputs()
	m.index = make([]int, len(m.Inputs))
	for i, name := range m.Inputs {
		j := slices.Index(all, name)
		if j < 0 {
			return fmt.Errorf("%w: input %q is not computed by this build", ErrCreatorModel, name)
		}
		m.index[i] = j
	}
	if math.IsNaN(m.PlattA) || math.IsNaN(m.PlattB) || math.IsNaN(m.Base) {
		return fmt.Errorf("%w: NaN coefficient", ErrCreatorModel)
	}
	m.expected = m.Base
	for t, nodes := range m.Trees {
		if len(nodes) == 0 {
			return fmt.Errorf("%w: tree %d is empty", ErrCreatorModel, t)
		}
		for i, n := range nodes {
			if !(n.Cover > 0) {
				// TreeSHAP weighs each branch by its share of the
				// training creators; with none, its weights are 0/0.
				return fmt.Errorf("%w: tree %d node %d has no cover", ErrCreatorModel, t, i)
			}
			if n.Feature < 0 {
				continue
			}
			if n.Feature >= len(m.Inputs) || n.Left <= i || n.Right <= i || n.Left >= len(nodes) || n.Right >= len(nodes) {
				return fmt.Errorf("%w: tree %d node %d: feature %d, children %d and %d", ErrCreatorModel, t, i, n.Feature, n.Left, n.Right)
			}
		}
		m.expected += expectedValue(nodes, 0)
	}
	m.leaves = newLeafTables(m.Trees)
	return nil
}

// expectedValue is the cover-weighted mean leaf value below node i.
func expectedValue(nodes []TreeNode, i int) float64 {
	n := nodes[i]
	if n.Feature < 0 {
		return n.Value
	}
	l, r := nodes[n.Left], nodes[n.Right]
	if l.Cover+r.Cover <= 0 {
		return (expectedValue(nodes, n.Left) + expectedValue(nodes, n.Right)) / 2
	}
	return (l.Cover*expectedValue(nodes, n.Left) + r.Cover*expectedValue(nodes, n.Right)) / (l.Cover + r.Cover)
}

// Encode returns m as the JSON the bundle stores.
func (m *CreatorModel) Encode() (json.RawMessage, error) {
	m.Version = CreatorModelVersion
	if err := m.init(); err != nil {
		return nil, err
	}
	return json.Marshal(m)
}

// inputs picks the model's inputs out of a CreatorInputs vector.
func (m *CreatorModel) inputs(all []float64) []float64 {
	x := make([]float64, len(m.index))
	for i, j := range m.index {
		x[i] = all[j]
	}
	return x
}

// goLeft says where x goes at split n.
func goLeft(n *TreeNode, x []float64) bool {
	v := x[n.Feature]
	if math.IsNaN(v) {
		return n.MissingLeft
	}
	return v <= n.Threshold
}

// Margin returns the trees' raw margin for a CreatorInputs vector.
func (m *CreatorModel) Margin(all []float64) float64 {
	x := m.inputs(all)
	s := m.Base
	for _, nodes := range m.Trees {
		i := 0
		for nodes[i].Feature >= 0 {
			if goLeft(&nodes[i], x) {
				i = nodes[i].Left
			} else {
				i = nodes[i].Right
			}
		}
		s += nodes[i].Value
	}
	return s
}

// Probability returns the calibrated P(inauthentic) for a CreatorInputs
// vector.
func (m *CreatorModel) Probability(all []float64) float64 {
	return sigmoid(m.PlattA*m.Margin(all) + m.PlattB)
}

// score fills the authenticity, verdict, baseline, signal norms and
// reasons of r from the evidence, with the bundle's creator model, or with
// the provisional hand-set score when the bundle has none.
func (e *Engine) score(r *Report, ev Evidence) {
	if e.creator == nil {
		provisionalScore(r, ev.Share, ev.Signals)
		return
	}
	m := e.creator
	all := ev.Vector(nil)
	x := m.inputs(all)
	phi := m.shap(x)
	var margin float64 = m.expected
	for _, p := range phi {
		margin += p
	}
	base := 100 * (1 - sigmoid(m.PlattA*m.expected+m.PlattB))
	auth := 100 * (1 - sigmoid(m.PlattA*margin+m.PlattB))
	r.Baseline = round(base, 2)
	r.Authenticity = round(auth, 2)
	r.Verdict = verdictOf(r.Authenticity)
	if n := evidenceFamilies(ev); r.Verdict == VerdictAuthentic && n < minAuthenticFamilies {
		r.Verdict = VerdictReview
		r.Warnings = append(r.Warnings, fmt.Sprintf("verdict: review, not authentic: only %d of the 3 kinds of evidence (enough followers scored, a follower series for spikes, comments on 3 posts) could be read; an absence of signs of fraud is no sign of authenticity when so little was looked at", n))
	}

	// Attributions by reason, in logit space, then in score points.
	byReason := map[string]float64{}
	for i, p := range phi {
		byReason[reasonOf(m.Inputs[i])] += p
	}
	impacts := pointsOf(byReason, r.Authenticity-r.Baseline)
	e.describe(r, ev, impacts)
}

// minAuthenticFamilies is the fewest kinds of evidence (see
// evidenceFamilies) an authentic verdict needs. An inauthentic one stands
// on what was found: one clear kind of fraud is enough.
const minAuthenticFamilies = 2

// evidenceFamilies counts the kinds of evidence the creator model could
// read: the followers (a fake share narrow enough to count), the growth
// (the spike scan of the follower series) and the comments (the pod scan
// of comments on 3 posts or more).
func evidenceFamilies(ev Evidence) int {
	n := 0
	if ev.Share.Counts() {
		n++
	}
	for _, k := range []string{features.GrowthSpikeShare, features.PodScore} {
		if _, ok := ev.Signals.Values[k]; ok {
			n++
		}
	}
	return n
}

// verdictOf maps a score to a verdict.
func verdictOf(auth float64) string {
	switch {
	case auth >= AuthenticAt:
		return VerdictAuthentic
	case auth < InauthenticBelow:
		return VerdictInauthentic
	}
	return VerdictReview
}

// impact is one reason's share of the score's distance from the baseline.
type impact struct {
	reason string
	points float64
}

// pointsOf maps attributions in logit space to score points: each
// reason's share of the summed logit shift is its share of the score
// shift (the score is monotone in the logit, so both shifts have the same
// sign). Points are rounded to hundredths, the largest reason absorbing
// the rounding, so they add up to shift exactly (to the hundredth).
// Reasons are returned largest first; reasons worth less than 0.005
// points are left out, and their share goes to the largest.
func pointsOf(logit map[string]float64, shift float64) []impact {
	var total float64
	names := make([]string, 0, len(logit))
	for name, v := range logit {
		total += v
		names = append(names, name)
	}
	slices.Sort(names)
	if total == 0 || shift == 0 {
		return nil
	}
	out := make([]impact, 0, len(names))
	for _, name := range names {
		p := round(shift*logit[name]/total, 2)
		if p != 0 {
			out = append(out, impact{name, p})
		}
	}
	slices.SortStableFunc(out, func(a, b impact) int {
		switch {
		case math.Abs(a.points) > math.Abs(b.points):
			return -1
		case math.Abs(a.points) < math.Abs(b.points):
			return 1
		}
		return 0
	})
	if len(out) == 0 {
		return []impact{{"follower_tier", round(shift, 2)}}
	}
	var sum float64
	for _, o := range out[1:] {
		sum += o.points
	}
	out[0].points = round(round(shift, 2)-sum, 2)
	return out
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

func pct(v float64) string { return fmt.Sprintf("%.0f%%", 100*v) }

// Rates returns the error rates the engine corrects the fake share with:
// the creator model's when the bundle has one, else the bundle's own.
func (e *Engine) Rates() ShareRates { return e.rates }
