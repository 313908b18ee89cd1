package detect_test

import (
	"math"
	"testing"

	"bonafide/detect"
)

func TestNormsLookupAndPercentile(t *testing.T) {
	var values []map[string]float64
	var platforms, tiers []string
	// 40 instagram micro creators with rate 0.01..0.40, 40 tiktok nano
	// creators with rate 1..40, and 5 youtube nano creators (too few for a
	// cell of their own).
	for i := 1; i <= 40; i++ {
		values = append(values, map[string]float64{"engagement_rate": float64(i) / 100, "pod_score": 0})
		platforms, tiers = append(platforms, "instagram"), append(tiers, "micro-s")
		values = append(values, map[string]float64{"engagement_rate": float64(i)})
		platforms, tiers = append(platforms, "tiktok"), append(tiers, "nano")
	}
	for i := 0; i < 5; i++ {
		values = append(values, map[string]float64{"engagement_rate": 100})
		platforms, tiers = append(platforms, "youtube"), append(tiers, "nano")
	}
	n := detect.BuildNorms(values, platforms, tiers, 20)

	cases := []struct {
		platform, tier, signal string
		x                      float64
		wantCell               string
		wantMedian, wantPct    float64
	}{
		{"instagram", "micro-s", "engagement_rate", 0.205, "instagram/micro-s", 0.205, 50},
		{"instagram", "micro-s", "engagement_rate", 0.001, "instagram/micro-s", 0.205, 0},
		{"instagram", "micro-s", "engagement_rate", 5, "instagram/micro-s", 0.205, 100},
		{"tiktok", "nano", "engagement_rate", 20.5, "tiktok/nano", 20.5, 50},
		// Too few YouTube creators: all nano creators (tiktok 1..40 and
		// youtube 100 x5) stand in.
		{"youtube", "nano", "engagement_rate", 23, "*/nano", 23, 50},
		// A signal where every creator has the same value: the middle.
		{"instagram", "micro-s", "pod_score", 0, "instagram/micro-s", 0, 50},
		// An unknown tier on a known platform.
		{"instagram", "mega", "engagement_rate", 0.205, "instagram/*", 0.205, 50},
	}
	for _, c := range cases {
		q, cell := n.Lookup(c.platform, c.tier, c.signal)
		if q == nil {
			t.Errorf("%s/%s %s: no norm", c.platform, c.tier, c.signal)
			continue
		}
		if cell != c.wantCell {
			t.Errorf("%s/%s %s: cell %q, want %q", c.platform, c.tier, c.signal, cell, c.wantCell)
		}
		if got := q.Median(); math.Abs(got-c.wantMedian) > 1e-6 {
			t.Errorf("%s/%s %s: median %v, want %v", c.platform, c.tier, c.signal, got, c.wantMedian)
		}
		if got := q.Percentile(c.x); math.Abs(got-c.wantPct) > 2.5 {
			t.Errorf("%s/%s %s: percentile of %v = %v, want %v", c.platform, c.tier, c.signal, c.x, got, c.wantPct)
		}
	}
	if q, _ := n.Lookup("instagram", "micro-s", "no_such_signal"); q != nil {
		t.Errorf("found a norm for a signal nobody measured")
	}
}

func TestPercentileIsMonotone(t *testing.T) {
	var values []map[string]float64
	var platforms, tiers []string
	for i := 0; i < 200; i++ {
		v := math.Floor(float64(i*i%97) / 10) // many ties
		values = append(values, map[string]float64{"s": v})
		platforms, tiers = append(platforms, "x"), append(tiers, "mid")
	}
	n := detect.BuildNorms(values, platforms, tiers, 20)
	q, _ := n.Lookup("x", "mid", "s")
	prev := -1.0
	for x := -1.0; x <= 11; x += 0.05 {
		p := q.Percentile(x)
		if p < prev-1e-9 || p < 0 || p > 100 {
			t.Fatalf("percentile(%v) = %v after %v", x, p, prev)
		}
		prev = p
	}
}
