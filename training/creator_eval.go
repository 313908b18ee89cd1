package training

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"bonafide/detect"
	"bonafide/features"
	"bonafide/fixtures"
)

// CreatorEvalOptions say which simulated creators EvaluateCreators vets.
// The zero value of each field means its default.
type CreatorEvalOptions struct {
	// N is the number of creators; 0 means 600.
	N int
	// Seed seeds the simulation; use another than training's.
	Seed uint64
	// Variant is the simulator's variant; "" means fixtures.VariantHoldout,
	// whose scenario parameters training never saw.
	Variant string
	// MaxFollowers caps the follower lists; 0 means the simulator's
	// default (2,000, so a larger base is a sample of 2,000).
	MaxFollowers int
	// Progress, if non-nil, is told the creators done and planned.
	Progress func(done, total int)
}

// CreatorEval holds the figures the creator model is judged by, measured
// on simulated creators.
type CreatorEval struct {
	// Variant is the simulator's variant the creators were drawn from.
	Variant  string `json:"variant"`
	Creators int    `json:"creators"`
	// ROCAUC of P(inauthentic) (100 − authenticity) against the labels.
	ROCAUC   float64        `json:"roc_auc"`
	Verdicts VerdictMetrics `json:"verdicts"`
	// ShareMAE is the mean absolute error of the fake-share estimate
	// against the true share of the whole base; ShareCoverage the share
	// of creators whose 90% interval holds the truth.
	ShareMAE      float64 `json:"fake_share_mae"`
	ShareCoverage float64 `json:"fake_share_coverage"`
	// Organic spikes (viral posts, giveaways) in the truth, and how many
	// a suspicious spike of the report overlapped, give or take a day (a
	// suspicious spike only beside one, not on its days, that lies within
	// a day of a bought burst is that burst found, and does not count).
	OrganicSpikes     int `json:"organic_spikes"`
	OrganicSuspicious int `json:"organic_called_suspicious"`
	// Bought bursts in the truth within the series, and how many a
	// suspicious spike of the report overlapped.
	BoughtBursts int `json:"bought_bursts"`
	BurstsFound  int `json:"bought_bursts_found"`
	// PerScenario breaks the figures down by scenario.
	PerScenario []ScenarioEval `json:"per_scenario"`
	// VetTime is the total time spent in Vet (not reproducible; left out
	// of the JSON).
	VetTime time.Duration `json:"-"`
}

// ScenarioEval is the figures of one scenario.
type ScenarioEval struct {
	Scenario     string  `json:"scenario"`
	N            int     `json:"n"`
	MeanScore    float64 `json:"mean_authenticity"`
	Right        int     `json:"right_verdicts"`
	Review       int     `json:"review"`
	ShareMAE     float64 `json:"fake_share_mae"`
	MeanShare    float64 `json:"mean_true_share"`
	MeanEstimate float64 `json:"mean_estimate"`
}

// OrganicSuspiciousRate is the share of organic spikes called suspicious.
func (e CreatorEval) OrganicSuspiciousRate() float64 {
	return frac(e.OrganicSuspicious, e.OrganicSpikes)
}

// BurstRecall is the share of bought bursts found.
func (e CreatorEval) BurstRecall() float64 { return frac(e.BurstsFound, e.BoughtBursts) }

// EvaluateCreators simulates creators and vets them with eng, measuring
// the bars of the creator model: ROC-AUC, verdict accuracy and review
// share, fake-share error and interval coverage, and spikes.
func EvaluateCreators(ctx context.Context, eng *detect.Engine, opts CreatorEvalOptions) (CreatorEval, error) {
	if opts.N == 0 {
		opts.N = 600
	}
	if opts.Variant == "" {
		opts.Variant = fixtures.VariantHoldout
	}
	seq, err := fixtures.Generate(fixtures.Options{N: opts.N, Seed: opts.Seed, Variant: opts.Variant, MaxFollowers: opts.MaxFollowers})
	if err != nil {
		return CreatorEval{}, fmt.Errorf("evaluate creators: %w", err)
	}
	var (
		ev       = CreatorEval{Variant: opts.Variant}
		pInauth  []float64
		auth     []float64
		labels   []bool
		absErr   float64
		covered  int
		withEst  int
		byScen   = map[string]*ScenarioEval{}
		scenErrs = map[string]float64{}
	)
	for h, t := range seq {
		if err := ctx.Err(); err != nil {
			return CreatorEval{}, err
		}
		start := time.Now()
		r, err := eng.Vet(ctx, features.Document{History: &h})
		ev.VetTime += time.Since(start)
		if err != nil {
			return CreatorEval{}, fmt.Errorf("evaluate creators: %s: %w", t.ID, err)
		}
		inauth := t.Label == fixtures.Inauthentic
		pInauth = append(pInauth, 1-r.Authenticity/100)
		auth = append(auth, r.Authenticity)
		labels = append(labels, inauth)
		s := byScen[t.Scenario]
		if s == nil {
			s = &ScenarioEval{Scenario: t.Scenario}
			byScen[t.Scenario] = s
		}
		s.N++
		s.MeanScore += r.Authenticity
		switch {
		case r.Verdict == detect.VerdictReview:
			s.Review++
		case (r.Verdict == detect.VerdictInauthentic) == inauth:
			s.Right++
		}
		if f := r.FakeFollowers; f.Estimate != nil {
			withEst++
			e := math.Abs(*f.Estimate - t.FakeShare)
			absErr += e
			scenErrs[t.Scenario] += e
			s.MeanShare += t.FakeShare
			s.MeanEstimate += *f.Estimate
			if *f.Low <= t.FakeShare && t.FakeShare <= *f.High {
				covered++
			}
		}
		countSpikes(&ev, r, t, h.Series)
		if opts.Progress != nil {
			opts.Progress(len(auth), opts.N)
		}
	}
	ev.Creators = len(auth)
	ev.ROCAUC = ROCAUC(pInauth, labels)
	ev.Verdicts = Verdicts(auth, labels)
	ev.ShareMAE = absErr / float64(max(withEst, 1))
	ev.ShareCoverage = frac(covered, withEst)
	names := make([]string, 0, len(byScen))
	for n := range byScen {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		s := byScen[n]
		k := float64(s.N)
		s.MeanScore = round4(s.MeanScore / k)
		s.ShareMAE = round4(scenErrs[n] / k)
		s.MeanShare = round4(s.MeanShare / k)
		s.MeanEstimate = round4(s.MeanEstimate / k)
		ev.PerScenario = append(ev.PerScenario, *s)
	}
	return ev, nil
}

func round4(v float64) float64 { return math.Round(v*1e4) / 1e4 }

// countSpikes matches the report's spikes with the truth's organic spikes
// and bought bursts: a truth window is matched by a report spike that
// overlaps it, give or take a day.
func countSpikes(ev *CreatorEval, r detect.Report, t fixtures.Truth, series []features.SeriesPoint) {
	type span struct{ from, to time.Time }
	var suspicious []span
	for _, s := range r.GrowthSpikes {
		if s.Kind != features.SpikeSuspicious {
			continue
		}
		from, err1 := time.Parse("2006-01-02", s.Start)
		to, err2 := time.Parse("2006-01-02", s.End)
		if err1 != nil || err2 != nil {
			continue
		}
		suspicious = append(suspicious, span{from, to.Add(24 * time.Hour)})
	}
	overlaps := func(s span, from, to time.Time, slack time.Duration) bool {
		return !s.to.Before(from.Add(-slack)) && !to.Add(slack).Before(s.from)
	}
	// burst is whether a suspicious spike lies within a day of a bought
	// burst: it was found for that burst.
	burst := func(s span) bool {
		for _, w := range t.Bought {
			if w.Kind == "burst" && overlaps(s, w.From, w.To, 24*time.Hour) {
				return true
			}
		}
		return false
	}
	hit := func(from, to time.Time, organic bool) bool {
		for _, s := range suspicious {
			if !overlaps(s, from, to, 24*time.Hour) {
				continue
			}
			// A suspicious spike beside an organic one (within the day of
			// slack, not on its days) that a bought burst explains is that
			// burst found, not the organic spike called suspicious.
			if organic && burst(s) && !overlaps(s, from, to, 0) {
				continue
			}
			return true
		}
		return false
	}
	var first, last time.Time
	for i, p := range series {
		if i == 0 || p.At.Before(first) {
			first = p.At
		}
		if i == 0 || p.At.After(last) {
			last = p.At
		}
	}
	inSeries := func(from, to time.Time) bool {
		return len(series) > 0 && !from.Before(first) && !to.After(last)
	}
	for _, s := range t.Spikes {
		if !inSeries(s.From, s.To) {
			continue
		}
		ev.OrganicSpikes++
		if hit(s.From, s.To, true) {
			ev.OrganicSuspicious++
		}
	}
	for _, w := range t.Bought {
		if w.Kind != "burst" || !inSeries(w.From, w.To) {
			continue
		}
		ev.BoughtBursts++
		if hit(w.From, w.To, false) {
			ev.BurstsFound++
		}
	}
}
