package detect_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"bonafide/detect"
	"bonafide/features"
)

// binomial draws the number of successes in n trials of probability p.
func binomial(rng *rand.Rand, n int, p float64) int {
	k := 0
	for range n {
		if rng.Float64() < p {
			k++
		}
	}
	return k
}

// TestShareIntervalCoverage simulates the whole chain: a base of 20,000
// followers with a known fake share, a random sample of 2,000, a follower
// classifier with known error rates, and rates measured on a held-out set
// of known size. The 90% interval must hold the truth 85-95% of the time,
// and the corrected estimate must be unbiased where the raw share is not.
func TestShareIntervalCoverage(t *testing.T) {
	const (
		pop, n             = 20000, 2000
		tpr, fpr           = 0.85, 0.05
		heldPos, heldNeg   = 400, 600
		reps               = 300
		maxBias, maxRawGap = 0.01, 0.03
	)
	rng := rand.New(rand.NewPCG(7, 7))
	for _, theta := range []float64{0.02, 0.1, 0.3, 0.6} {
		var covered int
		var sumEst, sumRaw float64
		for range reps {
			// Rates as measured on the held-out set.
			rates := detect.ShareRates{
				TPR:       float64(binomial(rng, heldPos, tpr)) / heldPos,
				FPR:       float64(binomial(rng, heldNeg, fpr)) / heldNeg,
				Positives: heldPos, Negatives: heldNeg,
			}
			// Fakes in the sample: hypergeometric draw from the base.
			fakes, k := 0, int(math.Round(theta*pop))
			for i := range n {
				if rng.IntN(pop-i) < k-fakes {
					fakes++
				}
			}
			flagged := binomial(rng, fakes, tpr) + binomial(rng, n-fakes, fpr)
			s := detect.EstimateShare(flagged, n, pop, features.SampleRandom, rates, detect.SpikeStratum{})
			if !s.OK || s.Low > s.Estimate || s.Estimate > s.High {
				t.Fatalf("theta %v: bad estimate %+v", theta, s)
			}
			if s.Low <= theta && theta <= s.High {
				covered++
			}
			sumEst += s.Estimate
			sumRaw += s.Raw
		}
		cov := float64(covered) / reps
		bias := sumEst/reps - theta
		t.Logf("theta %.2f: coverage %.3f, bias %+.4f, raw share %.4f", theta, cov, bias, sumRaw/reps)
		if cov < 0.85 || cov > 0.96 {
			t.Errorf("theta %.2f: the 90%% interval held the truth %.1f%% of the time", theta, 100*cov)
		}
		if theta >= 0.1 && math.Abs(bias) > maxBias {
			t.Errorf("theta %.2f: estimate biased by %+.4f", theta, bias)
		}
		if (theta == 0.02 || theta == 0.6) && math.Abs(sumRaw/reps-theta) < maxRawGap {
			t.Errorf("theta %.2f: the raw share %.4f is already right; the test does not exercise the correction", theta, sumRaw/reps)
		}
	}
}

func TestEstimateShareCases(t *testing.T) {
	rates := detect.ShareRates{TPR: 0.9, FPR: 0.05, Positives: 1000, Negatives: 1000}
	cases := []struct {
		name               string
		flagged, basis     int
		pop                int64
		method             string
		wantOK             bool
		wantEst            float64
		maxWidth, minWidth float64
		warn               string
	}{
		{"no followers", 0, 0, 1000, features.SampleAll, false, 0, 0, 0, "not estimated"},
		{"complete list: no sampling error", 460, 2000, 2000, features.SampleAll, true, 0.2118, 0.03, 0, ""},
		{"small base: finite population", 460, 2000, 2200, features.SampleRandom, true, 0.2118, 0.035, 0, ""},
		{"huge base", 460, 2000, 2_000_000, features.SampleRandom, true, 0.2118, 0.07, 0.04, ""},
		{"recent sample is said to be one", 460, 2000, 2_000_000, features.SampleRecent, true, 0.2118, 0.07, 0.04, "most recent"},
		{"below the false positive rate", 40, 2000, 20000, features.SampleRandom, true, 0, 0.03, 0.001, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := detect.EstimateShare(c.flagged, c.basis, c.pop, c.method, rates, detect.SpikeStratum{})
			if s.OK != c.wantOK {
				t.Fatalf("OK = %v", s.OK)
			}
			if c.warn != "" && !strings.Contains(strings.Join(s.Warnings, "\n"), c.warn) {
				t.Errorf("warnings %q lack %q", s.Warnings, c.warn)
			}
			if !s.OK {
				return
			}
			if math.Abs(s.Estimate-c.wantEst) > 1e-3 {
				t.Errorf("estimate %v, want %v", s.Estimate, c.wantEst)
			}
			if w := s.High - s.Low; w > c.maxWidth || w < c.minWidth {
				t.Errorf("interval [%v, %v] width %v, want %v to %v", s.Low, s.High, w, c.minWidth, c.maxWidth)
			}
		})
	}
	// A range of the rates between audiences widens the interval to θ at
	// its ends: the highest rates give the fewest fakes, the lowest the
	// most; the estimate stays at the point rates.
	narrow := detect.EstimateShare(400, 2000, 20000, features.SampleRandom, rates, detect.SpikeStratum{})
	ranged := rates
	ranged.TPRRange = [2]float64{0.5, 0.95}
	ranged.FPRRange = [2]float64{0.01, 0.08}
	wide := detect.EstimateShare(400, 2000, 20000, features.SampleRandom, ranged, detect.SpikeStratum{})
	if wide.Estimate != narrow.Estimate {
		t.Errorf("the range moved the estimate: %v, without it %v", wide.Estimate, narrow.Estimate)
	}
	if atLow := (0.2 - 0.01) / (0.5 - 0.01); wide.High < atLow || wide.High > atLow+0.05 {
		t.Errorf("high end %v, want a little above θ at the lowest rates, %v", wide.High, atLow)
	}
	if atHigh := (0.2 - 0.08) / (0.95 - 0.08); wide.Low > atHigh || wide.Low < atHigh-0.05 {
		t.Errorf("low end %v, want a little below θ at the highest rates, %v", wide.Low, atHigh)
	}
	if wide.Counts() != narrow.Counts() || !wide.Counts() {
		t.Errorf("a range between audiences decided whether 2,000 followers count: %v, without it %v", wide.Counts(), narrow.Counts())
	}
}

// TestSpikeStratum: followers who came in a suspicious spike whose gain
// was mostly bought count as bought even when the follower model does not
// flag them (camouflaged accounts); when it flags them, nothing is added
// twice.
func TestSpikeStratum(t *testing.T) {
	rates := detect.ShareRates{TPR: 0.9, FPR: 0.05, Positives: 1000, Negatives: 1000}
	// 2,000 scored: 1,800 outside the spike with 5% flagged, 200 inside
	// it, of whose gain 80% was bought.
	plain := detect.EstimateShare(90+10, 2000, 20000, features.SampleRandom, rates, detect.SpikeStratum{})
	camouflaged := detect.EstimateShare(90+10, 2000, 20000, features.SampleRandom, rates,
		detect.SpikeStratum{Basis: 200, Flagged: 10, Bought: 0.8})
	// Outside: θ = (0.05-0.05)/0.85 = 0; inside at least 0.8; the model
	// saw (10/200-0.05)/0.85 = 0 of it: add 200/2000 × 0.8.
	if want := plain.Estimate + 0.08; math.Abs(camouflaged.Estimate-want) > 1e-9 {
		t.Errorf("camouflaged spike: estimate %v, want %v (plain %v)", camouflaged.Estimate, want, plain.Estimate)
	}
	if camouflaged.Low <= plain.Low || camouflaged.High <= plain.High {
		t.Errorf("camouflaged spike: interval [%v, %v] not above the plain [%v, %v]", camouflaged.Low, camouflaged.High, plain.Low, plain.High)
	}
	// The model flags the bought ones: 90 outside + 0.8×200×0.9 + 0.2×200×0.05 inside.
	flaggedIn := 144 + 2
	seen := detect.EstimateShare(90+flaggedIn, 2000, 20000, features.SampleRandom, rates,
		detect.SpikeStratum{Basis: 200, Flagged: flaggedIn, Bought: 0.8})
	same := detect.EstimateShare(90+flaggedIn, 2000, 20000, features.SampleRandom, rates, detect.SpikeStratum{})
	if math.Abs(seen.Estimate-same.Estimate) > 0.002 {
		t.Errorf("flagged spike: estimate %v, without the stratum %v; want the same", seen.Estimate, same.Estimate)
	}
	// A stratum that does not fit the counts is ignored.
	odd := detect.EstimateShare(5, 2000, 20000, features.SampleRandom, rates, detect.SpikeStratum{Basis: 200, Flagged: 10, Bought: 0.8})
	if want := detect.EstimateShare(5, 2000, 20000, features.SampleRandom, rates, detect.SpikeStratum{}); odd.Estimate != want.Estimate {
		t.Errorf("stratum with more flagged than the whole sample: estimate %v, want %v", odd.Estimate, want.Estimate)
	}
}
