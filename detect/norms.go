package detect

import (
	"encoding/json"
	"math"
	"slices"
)

// anyKey stands for any platform or any tier in a norm cell's key.
const anyKey = "*"

// NormLevels are the probabilities at which Norms store each
// distribution's quantiles: 0, 0.05, ..., 1.
func NormLevels() []float64 {
	out := make([]float64, 21)
	for i := range out {
		out[i] = float64(i) / 20
	}
	return out
}

// Norms are reference distributions of the signals (and of the fake
// share, as "fake_followers") per platform and follower tier, measured on
// a reference corpus of authentic creators. A cell is keyed
// "platform/tier"; "*/tier", "platform/*" and "*/*" pool the platforms,
// the tiers or both, and serve where a cell had too few creators.
type Norms struct {
	// Levels are the probabilities of the stored quantiles, ascending.
	Levels []float64 `json:"levels"`
	// Cells maps a cell key to the quantiles of each signal, by name.
	Cells map[string]map[string]Quantiles `json:"cells"`
}

// Quantiles are one distribution's values at Norms.Levels.
type Quantiles struct {
	levels []float64
	Values []float64
}

// MarshalJSON writes the values only; the levels belong to the Norms.
func (q Quantiles) MarshalJSON() ([]byte, error) { return json.Marshal(q.Values) }

// UnmarshalJSON reads the values.
func (q *Quantiles) UnmarshalJSON(b []byte) error { return json.Unmarshal(b, &q.Values) }

// Lookup returns the quantiles of signal for creators on platform in tier,
// and the key of the cell they come from: the platform and tier's own when
// it has the signal, else all platforms of the tier, else all tiers of the
// platform, else everyone. It returns nil when no cell has the signal.
func (n *Norms) Lookup(platform, tier, signal string) (*Quantiles, string) {
	if n == nil {
		return nil, ""
	}
	for _, key := range []string{platform + "/" + tier, anyKey + "/" + tier, platform + "/" + anyKey, anyKey + "/" + anyKey} {
		if q, ok := n.Cells[key][signal]; ok && len(q.Values) == len(n.Levels) && len(q.Values) > 1 {
			q.levels = n.Levels
			return &q, key
		}
	}
	return nil, ""
}

// Median returns the distribution's median.
func (q *Quantiles) Median() float64 { return q.At(0.5) }

// At returns the quantile at probability p, interpolating linearly
// between the stored levels.
func (q *Quantiles) At(p float64) float64 {
	l, v := q.levels, q.Values
	i, found := slices.BinarySearch(l, p)
	if found {
		return v[i]
	}
	if i == 0 {
		return v[0]
	}
	if i >= len(l) {
		return v[len(v)-1]
	}
	f := (p - l[i-1]) / (l[i] - l[i-1])
	return v[i-1] + f*(v[i]-v[i-1])
}

// Percentile returns where x falls in the distribution, 0 to 100. Where
// many creators share x's value (a run of equal quantiles, such as a
// share of 0), it returns the middle of their range.
func (q *Quantiles) Percentile(x float64) float64 {
	l, v := q.levels, q.Values
	if math.IsNaN(x) {
		return math.NaN()
	}
	lo := -1 // first index with v >= x
	hi := -1 // last index with v <= x
	for i := range v {
		if lo < 0 && v[i] >= x {
			lo = i
		}
		if v[i] <= x {
			hi = i
		}
	}
	switch {
	case hi < 0:
		return 0
	case lo < 0:
		return 100
	case lo <= hi:
		return 100 * (l[lo] + l[hi]) / 2
	}
	// v[hi] < x < v[lo], lo = hi+1.
	f := (x - v[hi]) / (v[lo] - v[hi])
	return 100 * (l[hi] + f*(l[lo]-l[hi]))
}

// BuildNorms measures the norms from reference creators: values[i] holds
// creator i's signals by name (and its fake share as "fake_followers"),
// platform[i] and tier[i] its cell. A cell keeps a signal measured on at
// least minCount creators; the cell of everyone ("*/*") keeps any signal
// measured on at least two, so that some norm is always there. The result
// does not depend on the creators' order.
func BuildNorms(values []map[string]float64, platform, tier []string, minCount int) Norms {
	n := Norms{Levels: NormLevels(), Cells: map[string]map[string]Quantiles{}}
	pooled := map[string]map[string][]float64{}
	add := func(key, signal string, v float64) {
		if pooled[key] == nil {
			pooled[key] = map[string][]float64{}
		}
		pooled[key][signal] = append(pooled[key][signal], v)
	}
	for i, vals := range values {
		for signal, v := range vals {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			for _, key := range []string{platform[i] + "/" + tier[i], anyKey + "/" + tier[i], platform[i] + "/" + anyKey, anyKey + "/" + anyKey} {
				add(key, signal, v)
			}
		}
	}
	for key, bySignal := range pooled {
		for signal, vs := range bySignal {
			if len(vs) < minCount && (key != anyKey+"/"+anyKey || len(vs) < 2) {
				continue
			}
			slices.Sort(vs)
			q := Quantiles{Values: make([]float64, len(n.Levels))}
			for j, p := range n.Levels {
				q.Values[j] = round(quantileSorted(vs, p), 6)
			}
			if n.Cells[key] == nil {
				n.Cells[key] = map[string]Quantiles{}
			}
			n.Cells[key][signal] = q
		}
	}
	return n
}

// quantileSorted is the type-7 (linear) sample quantile of sorted xs.
func quantileSorted(xs []float64, p float64) float64 {
	h := p * float64(len(xs)-1)
	i := int(math.Floor(h))
	if i+1 >= len(xs) {
		return xs[len(xs)-1]
	}
	return xs[i] + (h-float64(i))*(xs[i+1]-xs[i])
}
