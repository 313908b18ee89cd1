package detect_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"bonafide/detect"
)

// checkAppendJSON compares r.AppendJSON with json.Marshal byte for byte,
// appending to a non-empty buffer so that the prefix is kept too.
func checkAppendJSON(t *testing.T, name string, r *detect.Report) {
	t.Helper()
	want, err := json.Marshal(r)
	if err != nil {
		t.Fatalf("%s: json.Marshal: %v", name, err)
	}
	got, err := r.AppendJSON([]byte("prefix"))
	if err != nil {
		t.Fatalf("%s: AppendJSON: %v", name, err)
	}
	if !bytes.Equal(got[len("prefix"):], want) || string(got[:len("prefix")]) != "prefix" {
		t.Fatalf("%s: AppendJSON differs from json.Marshal\n got %s\nwant %s", name, got, want)
	}
}

func TestAppendJSONIsJSONMarshalOnTheSamples(t *testing.T) {
	e := newEngine(t)
	for _, s := range loadSamples(t) {
		r, err := e.Vet(context.Background(), s.doc)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		checkAppendJSON(t, s.name, &r)
	}
}

// awkward strings: escapes, HTML characters, control bytes, invalid UTF-8,
// the line and paragraph separators, multi-byte runes.
var awkward = []string{
	"", "plain", `quote " and \ backslash`, "<script>&amp;</script>", "\b\f\n\r\t\x00\x01\x1f\x7f",
	"\xff\xfe invalid", "a\u2028b\u2029c", "héllo wörld 🎉", "\xe2\x80", "tab\tend", "ends in \xc3",
}

func randString(rng *rand.Rand) string {
	if rng.IntN(3) == 0 {
		return awkward[rng.IntN(len(awkward))]
	}
	b := make([]byte, rng.IntN(12))
	for i := range b {
		b[i] = byte(rng.IntN(256))
	}
	return string(b)
}

// randFloat draws finite floats of every magnitude json formats
// differently: zero, negative zero, tiny (exponent form), huge (1e21 and
// over), integers, rounded report values.
func randFloat(rng *rand.Rand) float64 {
	switch rng.IntN(9) {
	case 0:
		return 0
	case 1:
		return math.Copysign(0, -1)
	case 2:
		return (rng.Float64() - 0.5) * 1e-6 * math.Pow(10, -float64(rng.IntN(300)))
	case 3:
		return (rng.Float64() - 0.5) * 1e21 * math.Pow(10, float64(rng.IntN(280)))
	case 4:
		return float64(rng.Int64N(1<<53)) - 1<<52
	case 5:
		return math.Round(rng.NormFloat64()*10000) / 100
	case 6:
		return math.Float64frombits(rng.Uint64()&^(0x7ff<<52) | uint64(rng.IntN(0x7ff))<<52)
	case 7:
		return 1e-6 * (1 + float64(rng.IntN(3)-1)*1e-16)
	}
	return rng.NormFloat64()
}

func randReport(rng *rand.Rand) detect.Report {
	ptr := func() *float64 {
		if rng.IntN(3) == 0 {
			return nil
		}
		v := randFloat(rng)
		return &v
	}
	r := detect.Report{
		Format: randString(rng), CreatorID: randString(rng), Platform: randString(rng), Handle: randString(rng),
		ObservedAt: randString(rng), Model: randString(rng), InputSHA256: randString(rng),
		Authenticity: randFloat(rng), Verdict: randString(rng), Baseline: randFloat(rng), Tier: randString(rng),
		Detail: &detect.Detail{Typical: map[string]float64{"x": 1}},
	}
	if rng.IntN(4) > 0 {
		basis, method := rng.IntN(1<<20)-1<<19, randString(rng)
		r.FakeFollowers = detect.FakeShare{Estimate: ptr(), Low: ptr(), High: ptr(), Basis: &basis, Method: &method}
	}
	if rng.IntN(5) > 0 {
		r.Signals = map[string]detect.Signal{}
		for range rng.IntN(20) {
			r.Signals[randString(rng)] = detect.Signal{Value: randFloat(rng), Typical: ptr(), Percentile: ptr(), Flag: rng.IntN(2) == 0}
		}
	}
	if rng.IntN(5) > 0 {
		r.GrowthSpikes = []detect.Spike{}
		for range rng.IntN(4) {
			sp := detect.Spike{Start: randString(rng), End: randString(rng), Gained: rng.Int64() - 1<<62, Expected: rng.Int64N(1000), Kind: randString(rng),
				Unchecked: rng.IntN(3) == 0}
			if rng.IntN(2) == 0 {
				by := randString(rng)
				sp.ExplainedBy = &by
			}
			r.GrowthSpikes = append(r.GrowthSpikes, sp)
		}
	}
	if rng.IntN(5) > 0 {
		r.Reasons = []detect.Reason{}
		for range rng.IntN(6) {
			r.Reasons = append(r.Reasons, detect.Reason{Signal: randString(rng), Impact: randFloat(rng), Text: randString(rng)})
		}
	}
	if rng.IntN(5) > 0 {
		r.Warnings = []string{}
		for range rng.IntN(4) {
			r.Warnings = append(r.Warnings, randString(rng))
		}
	}
	return r
}

func TestAppendJSONIsJSONMarshalOnRandomReports(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	checkAppendJSON(t, "zero report", &detect.Report{})
	for i := range 3000 {
		r := randReport(rng)
		checkAppendJSON(t, fmt.Sprintf("random report %d", i), &r)
	}
}

func TestAppendJSONRefusesNaNAndInf(t *testing.T) {
	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		cases := map[string]detect.Report{
			"authenticity": {Authenticity: v},
			"signal":       {Signals: map[string]detect.Signal{"s": {Value: v}}},
			"typical":      {Signals: map[string]detect.Signal{"s": {Typical: &v}}},
			"estimate":     {FakeFollowers: detect.FakeShare{Estimate: &v}},
			"impact":       {Reasons: []detect.Reason{{Impact: v}}},
			"baseline":     {Baseline: v},
		}
		for name, r := range cases {
			if _, err := json.Marshal(r); err == nil {
				t.Fatalf("%s %v: json.Marshal accepted it", name, v)
			}
			if b, err := r.AppendJSON([]byte("x")); err == nil || string(b) != "x" {
				t.Errorf("%s %v: AppendJSON = %q, %v; want the buffer unchanged and an error", name, v, b, err)
			}
		}
	}
}

// FuzzAppendJSON checks the string and float encoding against
// encoding/json on arbitrary bytes and bit patterns.
func FuzzAppendJSON(f *testing.F) {
	for i, s := range awkward {
		f.Add(s, uint64(i)*0x9e3779b97f4a7c15)
	}
	f.Add("x", math.Float64bits(1e21))
	f.Add("y", math.Float64bits(1e-7))
	f.Fuzz(func(t *testing.T, s string, bits uint64) {
		v := math.Float64frombits(bits)
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return
		}
		r := detect.Report{CreatorID: s, Authenticity: v, Signals: map[string]detect.Signal{s: {Value: v, Typical: &v}},
			Warnings: []string{s, s + s}, Reasons: []detect.Reason{{Signal: s, Impact: -v, Text: s}}}
		checkAppendJSON(t, "fuzz", &r)
	})
}
