package training

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"bonafide/detect"
	"bonafide/detect/model"
	"bonafide/features"
)

// CompositeOptions say how EvaluateComposites mixes real labelled
// accounts into follower bases. The zero value of each field means its
// default.
type CompositeOptions struct {
	// Population is the size of each simulated follower base; 0 means
	// 20,000.
	Population int
	// Sample is how many followers are scored, drawn at random from the
	// base; 0 means 2,000.
	Sample int
	// Shares are the true fake shares of the bases; nil means 0 to 0.6 in
	// steps of 0.05.
	Shares []float64
	// Reps is the number of bases per set and share; 0 means 4.
	Reps int
	// Seed seeds the draws.
	Seed uint64
}

// CompositeRow is one composite follower base and its estimate.
type CompositeRow struct {
	Set      string  `json:"set"`
	Share    float64 `json:"share"`
	Estimate float64 `json:"estimate"`
	Low      float64 `json:"low"`
	High     float64 `json:"high"`
}

// CompositeEval is the fake-share error on composites of real labelled
// accounts.
type CompositeEval struct {
	N        int            `json:"n"`
	MAE      float64        `json:"mae"`
	Coverage float64        `json:"coverage"`
	PerSet   []CompositeSet `json:"per_set"`
	Rows     []CompositeRow `json:"-"`
}

// CompositeSet is the error on the composites of one set.
type CompositeSet struct {
	Set      string  `json:"set"`
	N        int     `json:"n"`
	MAE      float64 `json:"mae"`
	Coverage float64 `json:"coverage"`
}

// EvaluateComposites builds follower bases of real labelled accounts
// (each set on its own, since a set's fake and real accounts come from one
// population) at known fake shares, draws a random sample from each,
// scores it with b's follower model and estimates the share with rates,
// as vet does. Accounts are drawn with replacement from the set's fake and
// real accounts; the number of fakes in the sample follows the
// hypergeometric law of a sample from the base. The follower model may
// have been trained on these accounts: the figures are then optimistic
// about the model's own error, not about the correction.
func EvaluateComposites(ctx context.Context, b *model.Bundle, rates detect.ShareRates, ex []Example, opts CompositeOptions) (CompositeEval, error) {
	if opts.Population == 0 {
		opts.Population = 20000
	}
	if opts.Sample == 0 {
		opts.Sample = 2000
	}
	if opts.Shares == nil {
		for i := 0; i <= 12; i++ {
			opts.Shares = append(opts.Shares, float64(i)*0.05)
		}
	}
	if opts.Reps == 0 {
		opts.Reps = 4
	}
	if opts.Sample > opts.Population {
		return CompositeEval{}, fmt.Errorf("evaluate composites: sample %d above population %d", opts.Sample, opts.Population)
	}
	// Score every account once, by set.
	type pool struct{ fake, real []float64 }
	pools := map[string]*pool{}
	buf := make([]float64, 0, len(features.ProfileNames()))
	for _, e := range ex {
		p := pools[e.Set]
		if p == nil {
			p = &pool{}
			pools[e.Set] = p
		}
		buf = e.Profile.Vector(buf[:0])
		s := b.Follower.Predict(buf)
		if e.Fake {
			p.fake = append(p.fake, s)
		} else {
			p.real = append(p.real, s)
		}
	}
	sets := make([]string, 0, len(pools))
	for s, p := range pools {
		if len(p.fake) > 0 && len(p.real) > 0 {
			sets = append(sets, s)
		}
	}
	slices.Sort(sets)
	rng := rand.New(rand.NewPCG(opts.Seed, 0xc0))
	var out CompositeEval
	var absErr float64
	var covered int
	for _, set := range sets {
		if err := ctx.Err(); err != nil {
			return CompositeEval{}, err
		}
		p := pools[set]
		var setErr float64
		var setCov, setN int
		for _, share := range opts.Shares {
			for range opts.Reps {
				fakes := hypergeometric(rng, opts.Population, int(math.Round(share*float64(opts.Population))), opts.Sample)
				flagged := 0
				for i := range opts.Sample {
					var s float64
					if i < fakes {
						s = p.fake[rng.IntN(len(p.fake))]
					} else {
						s = p.real[rng.IntN(len(p.real))]
					}
					if s >= b.Threshold {
						flagged++
					}
				}
				est := detect.EstimateShare(flagged, opts.Sample, int64(opts.Population), features.SampleRandom, rates, detect.SpikeStratum{})
				row := CompositeRow{Set: set, Share: share, Estimate: est.Estimate, Low: est.Low, High: est.High}
				out.Rows = append(out.Rows, row)
				e := math.Abs(est.Estimate - share)
				absErr += e
				setErr += e
				setN++
				if est.Low <= share && share <= est.High {
					covered++
					setCov++
				}
			}
		}
		out.PerSet = append(out.PerSet, CompositeSet{Set: set, N: setN, MAE: round4(setErr / float64(setN)), Coverage: round4(frac(setCov, setN))})
	}
	out.N = len(out.Rows)
	out.MAE = absErr / float64(max(out.N, 1))
	out.Coverage = frac(covered, out.N)
	return out, nil
}

// hypergeometric draws how many of n items drawn without replacement from
// a population of pop items, k of them marked, are marked.
func hypergeometric(rng *rand.Rand, pop, k, n int) int {
	got := 0
	for i := range n {
		left := pop - i
		if rng.IntN(left) < k-got {
			got++
		}
	}
	return got
}
