package features_test

import (
	"flag"
	"fmt"
	"slices"
	"testing"
	"time"

	"bonafide/features"
	sim "bonafide/fixtures"
)

// growthN is the number of simulated creators per scenario, variant and
// seed of TestGrowthBars.
var growthN = flag.Int("growth.n", 10, "creators per scenario, variant and seed in TestGrowthBars")

// growthMaxFollowers caps the simulated follower lists (0: the
// simulator's default, 2,000).
var growthMaxFollowers = flag.Int("growth.followers", 0, "follower list cap in TestGrowthBars (0: simulator default)")

// growthScenarios are the simulator's scenarios with a spike to find or
// to leave alone, organic growth (where any suspicious spike is a false
// alarm), and a slow drip (bought, but no spike).
var growthScenarios = []string{"organic", "viral", "giveaway", "bought-burst", "camouflaged",
	"viral+bought-burst", "bought-burst+comment-bots", "slow-drip"}

// spikeTally counts a detector's spikes against the simulator's truth.
type spikeTally struct {
	creators          int
	organic, organicS int // organic spikes in the series; called suspicious
	// organicB counts the organic spikes called suspicious only by
	// spikes that also overlap a bought window (a burst delivered within
	// a day of the viral spike, found as a spike of its own).
	organicB      int
	bursts, found int // bought bursts in the series; found
	spurious      int // suspicious spikes that overlap no truth window
	drip          int // suspicious spikes on creators whose only purchase is a drip
}

func (t *spikeTally) add(o spikeTally) {
	t.creators += o.creators
	t.organic += o.organic
	t.organicS += o.organicS
	t.organicB += o.organicB
	t.bursts += o.bursts
	t.found += o.found
	t.spurious += o.spurious
	t.drip += o.drip
}

func (t spikeTally) String() string {
	pct := func(a, b int) float64 { return 100 * float64(a) / float64(max(b, 1)) }
	return fmt.Sprintf("%4d creators: organic spikes suspicious %5.1f%% (%d of %d; %d beside a burst), bursts found %5.1f%% (%d of %d), false alarms %d, spikes on drips %d",
		t.creators, pct(t.organicS, t.organic), t.organicS, t.organic, t.organicB, pct(t.found, t.bursts), t.found, t.bursts, t.spurious, t.drip)
}

// tallySpikes matches the spikes Extract found with the truth by the rules
// of training's countSpikes: a suspicious spike covers the days of its
// start and end snapshots (as the report prints them), and a truth window
// is matched when that span overlaps it give or take a day; only windows
// inside the series count.
func tallySpikes(h *features.History, truth sim.Truth, spikes []features.Spike) spikeTally {
	const day = 24 * time.Hour
	type span struct{ from, to time.Time }
	var suspicious []span
	for _, s := range spikes {
		if s.Kind == features.SpikeSuspicious {
			suspicious = append(suspicious, span{s.Start.UTC().Truncate(day), s.End.UTC().Truncate(day).Add(day)})
		}
	}
	near := func(s span, from, to time.Time) bool {
		return !s.to.Before(from.Add(-day)) && !to.Add(day).Before(s.from)
	}
	bought := func(s span) bool {
		return slices.ContainsFunc(truth.Bought, func(w sim.Window) bool { return near(s, w.From, w.To) })
	}
	hit := func(from, to time.Time) bool {
		return slices.ContainsFunc(suspicious, func(s span) bool { return near(s, from, to) })
	}
	var first, last time.Time
	for i, p := range h.Series {
		if i == 0 || p.At.Before(first) {
			first = p.At
		}
		if i == 0 || p.At.After(last) {
			last = p.At
		}
	}
	inSeries := func(from, to time.Time) bool {
		return len(h.Series) > 0 && !from.Before(first) && !to.After(last)
	}
	t := spikeTally{creators: 1}
	for _, s := range truth.Spikes {
		if inSeries(s.From, s.To) {
			t.organic++
			if hit(s.From, s.To) {
				t.organicS++
				if !slices.ContainsFunc(suspicious, func(x span) bool { return near(x, s.From, s.To) && !bought(x) }) {
					t.organicB++
				}
			}
		}
	}
	for _, w := range truth.Bought {
		if w.Kind == "burst" && inSeries(w.From, w.To) {
			t.bursts++
			if hit(w.From, w.To) {
				t.found++
			}
		}
	}
	for _, s := range suspicious {
		if !bought(s) && !slices.ContainsFunc(truth.Spikes, func(o sim.Spike) bool { return near(s, o.From, o.To) }) {
			t.spurious++
		}
	}
	if !slices.ContainsFunc(truth.Bought, func(w sim.Window) bool { return w.Kind == "burst" }) && len(truth.Bought) > 0 {
		t.drip += len(suspicious)
	}
	return t
}

// TestGrowthBars measures spike detection on simulated creators of both
// variants (train and holdout) and three seeds: the share of organic
// spikes (viral posts, giveaways) called suspicious, the share of bought
// bursts found (issue 6's bars: at most 5% and at least 95% on the
// holdout), the false alarms (suspicious spikes that overlap no window of
// the truth, bought or organic, give or take a day) and the suspicious
// spikes on slow drips (bought followers at the usual pace: no spike). It is the
// quick check of the growth signal without training; the figures of
// docs/signals.md come from
//
//	go test ./features -run TestGrowthBars -v -growth.n 40
//
// (8 scenarios x 40 creators x 3 seeds per variant, about 40 s). By
// default it runs 10 creators per scenario and asserts floors below the
// bars (organic spikes called suspicious at most 8%, bursts found at
// least 90% on each variant), so that a regression shows without making
// the package's tests slow; under the race detector it only logs.
func TestGrowthBars(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates hundreds of creators; skipped under -short")
	}
	n := *growthN
	if raceEnabled {
		n = min(n, 3)
	}
	for _, variant := range []string{sim.VariantTrain, sim.VariantHoldout} {
		var all spikeTally
		for _, seed := range []uint64{1001, 2002, 3003} {
			seq, err := sim.Generate(sim.Options{N: n * len(growthScenarios), Seed: seed,
				Variant: variant, Scenarios: growthScenarios, MaxFollowers: *growthMaxFollowers})
			if err != nil {
				t.Fatal(err)
			}
			var tally spikeTally
			for h, truth := range seq {
				s := features.Extract(&h, nil)
				tally.add(tallySpikes(&h, truth, s.Spikes))
			}
			t.Logf("%-7s seed %d: %v", variant, seed, tally)
			all.add(tally)
		}
		t.Logf("%-7s all:       %v", variant, all)
		if raceEnabled {
			continue // too few creators for the bars
		}
		if r := float64(all.organicS) / float64(max(all.organic, 1)); r > 0.08 {
			t.Errorf("%s: %.1f%% of organic spikes called suspicious, floor 8%% (bar 5%%)", variant, 100*r)
		}
		if r := float64(all.found) / float64(max(all.bursts, 1)); r < 0.90 {
			t.Errorf("%s: %.1f%% of bought bursts found, floor 90%% (bar 95%%)", variant, 100*r)
		}
	}
}
