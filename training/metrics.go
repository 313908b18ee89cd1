package training

import (
	"encoding/json"
	"math"
	"sort"
	"strconv"
)

// Confusion is the confusion table at a threshold: a score at or above the
// threshold counts as fake (positive).
type Confusion struct {
	TP int `json:"tp"` // fake, called fake
	FP int `json:"fp"` // real, called fake
	TN int `json:"tn"` // real, called real
	FN int `json:"fn"` // fake, called real
}

// Confuse counts the confusion table of scores p against labels y at
// threshold. NaN scores count as real.
func Confuse(p []float64, y []bool, threshold float64) Confusion {
	var c Confusion
	for i, s := range p {
		called := s >= threshold
		switch {
		case y[i] && called:
			c.TP++
		case y[i]:
			c.FN++
		case called:
			c.FP++
		default:
			c.TN++
		}
	}
	return c
}

// Precision is TP / (TP + FP), NaN when nothing was called fake.
func (c Confusion) Precision() float64 { return frac(c.TP, c.TP+c.FP) }

// Recall (the true-positive rate) is TP / (TP + FN), NaN without fakes.
func (c Confusion) Recall() float64 { return frac(c.TP, c.TP+c.FN) }

// FPR is FP / (FP + TN), NaN without real accounts.
func (c Confusion) FPR() float64 { return frac(c.FP, c.FP+c.TN) }

// F1 is the harmonic mean of precision and recall: 2TP / (2TP + FP + FN),
// NaN when there are no fakes and none was called fake.
func (c Confusion) F1() float64 { return frac(2*c.TP, 2*c.TP+c.FP+c.FN) }

// MCC is Matthews' correlation coefficient, 0 when a margin is empty (the
// usual convention: such a classifier carries no information).
func (c Confusion) MCC() float64 {
	tp, fp, tn, fn := float64(c.TP), float64(c.FP), float64(c.TN), float64(c.FN)
	den := (tp + fp) * (tp + fn) * (tn + fp) * (tn + fn)
	if den == 0 {
		return 0
	}
	return (tp*tn - fp*fn) / math.Sqrt(den)
}

func frac(num, den int) float64 {
	if den == 0 {
		return math.NaN()
	}
	return float64(num) / float64(den)
}

// Metrics are the measures of a scored, labelled sample. A measure that
// is undefined for the sample (AUC with one class only) is NaN, and NaN
// marshals as null (see MarshalJSON).
type Metrics struct {
	N         int     `json:"n"`
	Positives int     `json:"positives"` // fake accounts
	Negatives int     `json:"negatives"` // real accounts
	ROCAUC    float64 `json:"roc_auc"`
	PRAUC     float64 `json:"pr_auc"` // average precision
	F1        float64 `json:"f1"`
	MCC       float64 `json:"mcc"`
	// PrecisionAt95Recall is the best precision among thresholds that
	// catch at least 95% of the fakes.
	PrecisionAt95Recall float64 `json:"precision_at_95_recall"`
	// ECE is the expected calibration error over 10 equal-width bins.
	ECE       float64   `json:"ece"`
	Threshold float64   `json:"threshold"`
	Precision float64   `json:"precision"`
	Recall    float64   `json:"recall"`
	FPR       float64   `json:"fpr"`
	Confusion Confusion `json:"confusion"`
}

// Evaluate measures scores p (P(fake)) against labels y, with the
// confusion table at threshold. Rows with a NaN score are left out.
func Evaluate(p []float64, y []bool, threshold float64) Metrics {
	p, y = dropNaN(p, y)
	c := Confuse(p, y, threshold)
	return Metrics{
		N:                   len(p),
		Positives:           c.TP + c.FN,
		Negatives:           c.FP + c.TN,
		ROCAUC:              ROCAUC(p, y),
		PRAUC:               AveragePrecision(p, y),
		F1:                  c.F1(),
		MCC:                 c.MCC(),
		PrecisionAt95Recall: PrecisionAtRecall(p, y, 0.95),
		ECE:                 ECE(p, y, 10),
		Threshold:           threshold,
		Precision:           c.Precision(),
		Recall:              c.Recall(),
		FPR:                 c.FPR(),
		Confusion:           c,
	}
}

func dropNaN(p []float64, y []bool) ([]float64, []bool) {
	for _, s := range p {
		if math.IsNaN(s) {
			goto filter
		}
	}
	return p, y
filter:
	var fp []float64
	var fy []bool
	for i, s := range p {
		if !math.IsNaN(s) {
			fp = append(fp, s)
			fy = append(fy, y[i])
		}
	}
	return fp, fy
}

// ROCAUC is the area under the ROC curve: the probability that a random
// fake scores above a random real account, ties counting one half (the
// Mann-Whitney statistic with mid-ranks). NaN without both classes.
func ROCAUC(p []float64, y []bool) float64 {
	idx := order(p)
	var pos, neg float64
	var rankSum float64 // sum of the mid-ranks of the positives
	for i := 0; i < len(idx); {
		j := i + 1 // a NaN equals nothing, not even itself: it is a tie of one
		for j < len(idx) && p[idx[j]] == p[idx[i]] {
			j++
		}
		mid := float64(i+j+1) / 2 // ranks i+1..j
		for _, k := range idx[i:j] {
			if y[k] {
				pos++
				rankSum += mid
			} else {
				neg++
			}
		}
		i = j
	}
	if pos == 0 || neg == 0 {
		return math.NaN()
	}
	return (rankSum - pos*(pos+1)/2) / (pos * neg)
}

// AveragePrecision is the area under the precision-recall curve as the
// sum over thresholds of precision times the gain in recall (tied scores
// form one threshold), as scikit-learn's average_precision_score. NaN
// without fakes.
func AveragePrecision(p []float64, y []bool) float64 {
	idx := order(p)
	pos := 0
	for _, v := range y {
		if v {
			pos++
		}
	}
	if pos == 0 {
		return math.NaN()
	}
	var ap float64
	tp, called := 0, 0
	for i := len(idx); i > 0; { // from the highest score down
		j := i - 1 // a NaN equals nothing, not even itself: it is a tie of one
		for j > 0 && p[idx[j-1]] == p[idx[i-1]] {
			j--
		}
		gained := 0
		for _, k := range idx[j:i] {
			called++
			if y[k] {
				tp++
				gained++
			}
		}
		if gained > 0 {
			ap += float64(tp) / float64(called) * float64(gained) / float64(pos)
		}
		i = j
	}
	return ap
}

// PrecisionAtRecall is the best precision among the thresholds that reach
// at least the given recall. NaN without fakes.
func PrecisionAtRecall(p []float64, y []bool, recall float64) float64 {
	idx := order(p)
	pos := 0
	for _, v := range y {
		if v {
			pos++
		}
	}
	if pos == 0 {
		return math.NaN()
	}
	best := math.NaN()
	tp, called := 0, 0
	for i := len(idx); i > 0; {
		j := i - 1 // a NaN equals nothing, not even itself: it is a tie of one
		for j > 0 && p[idx[j-1]] == p[idx[i-1]] {
			j--
		}
		for _, k := range idx[j:i] {
			called++
			if y[k] {
				tp++
			}
		}
		if float64(tp) >= recall*float64(pos)-1e-9 {
			if prec := float64(tp) / float64(called); math.IsNaN(best) || prec > best {
				best = prec
			}
		}
		i = j
	}
	return best
}

// ECE is the expected calibration error: scores are put in bins of equal
// width over [0, 1]; it is the mean over rows of |mean score - share of
// fakes| of the row's bin. NaN for no rows.
func ECE(p []float64, y []bool, bins int) float64 {
	if len(p) == 0 || bins < 1 {
		return math.NaN()
	}
	sum := make([]float64, bins)
	fakes := make([]float64, bins)
	count := make([]float64, bins)
	for i, s := range p {
		b := int(s * float64(bins))
		b = min(max(b, 0), bins-1)
		sum[b] += s
		count[b]++
		if y[i] {
			fakes[b]++
		}
	}
	var e float64
	for b := range bins {
		if count[b] > 0 {
			e += math.Abs(sum[b] - fakes[b]) // = count * |mean score - share|
		}
	}
	return e / float64(len(p))
}

// order returns the indices of p sorted by score, ascending; ties keep
// index order.
func order(p []float64) []int {
	idx := make([]int, len(p))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return p[idx[a]] < p[idx[b]] })
	return idx
}

// Mean returns the mean of the non-NaN values, NaN when there are none.
func Mean(v []float64) float64 {
	var s float64
	n := 0
	for _, x := range v {
		if !math.IsNaN(x) {
			s += x
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return s / float64(n)
}

// jnum is a float64 that marshals NaN and infinities as null, which JSON
// cannot otherwise carry.
type jnum float64

// MarshalJSON writes the shortest decimal that reads back to the same
// float, or null.
func (n jnum) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}

// MarshalJSON writes the metrics with undefined measures as null.
func (m Metrics) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		N                   int       `json:"n"`
		Positives           int       `json:"positives"`
		Negatives           int       `json:"negatives"`
		ROCAUC              jnum      `json:"roc_auc"`
		PRAUC               jnum      `json:"pr_auc"`
		F1                  jnum      `json:"f1"`
		MCC                 jnum      `json:"mcc"`
		PrecisionAt95Recall jnum      `json:"precision_at_95_recall"`
		ECE                 jnum      `json:"ece"`
		Threshold           jnum      `json:"threshold"`
		Precision           jnum      `json:"precision"`
		Recall              jnum      `json:"recall"`
		FPR                 jnum      `json:"fpr"`
		Confusion           Confusion `json:"confusion"`
	}{m.N, m.Positives, m.Negatives, jnum(m.ROCAUC), jnum(m.PRAUC), jnum(m.F1), jnum(m.MCC),
		jnum(m.PrecisionAt95Recall), jnum(m.ECE), jnum(m.Threshold), jnum(m.Precision), jnum(m.Recall),
		jnum(m.FPR), m.Confusion})
}
