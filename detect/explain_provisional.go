package detect

import (
	"fmt"
	"math"
	"sort"

	"bonafide/features"
)

// term is one input of the provisional creator score: a signal, where it
// usually sits (ref), how far from it counts as one unit (scale), and how
// many logit units of inauthenticity one unit weighs. Only deviations on
// the suspicious side count (a creator is not rewarded for being unusually
// clean beyond the reference).
type term struct {
	signal  string
	ref     float64
	scale   float64 // signed: positive when larger values are suspicious
	weight  float64
	explain func(v, ref float64) string
}

// provisional is the hand-set creator score used only when a bundle has
// no trained creator model. Each weight is in logit units of
// P(inauthentic) per scale step; the references are round figures, not
// norms measured per tier.
var provisional = []term{
	{"fake_followers", 0.10, 0.10, 1.2, func(v, ref float64) string {
		return fmt.Sprintf("About %s of the followers look fake (reference: %s).", pct(v), pct(ref))
	}},
	{"growth_spike_share", 0.0, 0.05, 1.0, func(v, ref float64) string {
		return fmt.Sprintf("%s of today's followers arrived in suspicious spikes with no engagement to explain them.", pct(v))
	}},
	{"follower_fingerprint", 0.02, 0.05, 0.8, func(v, ref float64) string {
		return fmt.Sprintf("%s of the follower list sits in runs of accounts created together shortly before following (reference: %s).", pct(v), pct(ref))
	}},
	{"comment_diversity", 0.80, -0.20, 0.7, func(v, ref float64) string {
		return fmt.Sprintf("Only %s of comments are distinct texts (reference: %s).", pct(v), pct(ref))
	}},
	{"near_duplicate_share", 0.25, 0.20, 0.6, func(v, ref float64) string {
		return fmt.Sprintf("%s of comments repeat a template (reference: %s).", pct(v), pct(ref))
	}},
	{"generic_comment_share", 0.35, 0.20, 0.5, func(v, ref float64) string {
		return fmt.Sprintf("%s of comments are generic praise, emoji or mentions only (reference: %s).", pct(v), pct(ref))
	}},
	{"pod_score", 0.05, 0.25, 0.8, func(v, ref float64) string {
		return fmt.Sprintf("A fixed group of accounts comments on most posts within minutes (pod score %.2f).", v)
	}},
	{"suspicious_commenter_share", 0.10, 0.10, 0.8, func(v, ref float64) string {
		return fmt.Sprintf("%s of commenters with known profiles look fake (reference: %s).", pct(v), pct(ref))
	}},
	{"reply_reciprocity", 0.10, -0.10, 0.3, func(v, ref float64) string {
		return fmt.Sprintf("The creator answers %s of comments (reference: %s).", pct(v), pct(ref))
	}},
}

// provisionalBias is the logit of P(inauthentic) for a creator at every
// reference.
var provisionalBias = math.Log(0.15 / 0.85)

// provisionalScore fills the authenticity, verdict, baseline and reasons
// of r with the hand-set score. The reasons' impacts add up exactly to
// Authenticity − Baseline: each term's share of the logit shift is its
// share of the score shift.
func provisionalScore(r *Report, s Share, sig features.Signals) {
	values := make(map[string]float64, len(sig.Values)+1)
	for k, v := range sig.Values {
		values[k] = v
	}
	if s.OK {
		values["fake_followers"] = s.Estimate
	}
	type contrib struct {
		t     term
		v     float64
		logit float64
	}
	var cs []contrib
	var total float64
	for _, t := range provisional {
		v, ok := values[t.signal]
		if !ok || math.IsNaN(v) {
			continue
		}
		u := (v - t.ref) / t.scale
		if u <= 0 {
			continue
		}
		u = math.Min(u, 6) // one signal alone cannot decide everything
		l := t.weight * u
		cs = append(cs, contrib{t, v, l})
		total += l
	}
	base := 100 * (1 - sigmoid(provisionalBias))
	auth := 100 * (1 - sigmoid(provisionalBias+total))
	r.Baseline = round(base, 2)
	r.Authenticity = round(auth, 2)
	r.Verdict = verdictOf(r.Authenticity)
	for name, sg := range r.Signals {
		for _, t := range provisional {
			if t.signal == name {
				ref := t.ref
				sg.Typical = &ref
				sg.Flag = (sg.Value-t.ref)/t.scale > 1
				r.Signals[name] = sg
			}
		}
	}
	r.Warnings = append(r.Warnings, "authenticity: the model bundle has no trained creator model; the score is the provisional hand-set one")
	if total == 0 {
		return
	}
	shift := r.Authenticity - r.Baseline
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].logit > cs[j].logit })
	var sum float64
	for i, c := range cs {
		impact := round(shift*c.logit/total, 2)
		if i == len(cs)-1 {
			impact = round(shift-sum, 2) // the rounding remainder, so the sum is exact
		}
		sum += impact
		r.Reasons = append(r.Reasons, Reason{Signal: c.t.signal, Impact: impact, Text: c.t.explain(c.v, c.t.ref)})
	}
}
