package training_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"bonafide/training"
)

func near(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) < 1e-9
}

// The expected values below are worked out by hand in the comments.
func TestRankMetrics(t *testing.T) {
	tests := []struct {
		name              string
		p                 []float64
		y                 []bool
		auc, ap, precAt95 float64
	}{
		// Pairs (fake, real): (.35,.1) (.35,.4) (.8,.1) (.8,.4): 3 of 4 won.
		// AP: at .8 precision 1 gains recall .5; at .35 precision 2/3 gains .5.
		// 95% recall needs both fakes: threshold .35, precision 2/3.
		{"distinct", []float64{0.1, 0.4, 0.35, 0.8}, []bool{false, false, true, true}, 0.75, 0.5 + 1.0/3, 2.0 / 3},
		// Pairs: (.6,.2)=1 (.6,.6)=1/2 (.9,.2)=1 (.9,.6)=1: 3.5/4.
		// AP: .9 -> 1 * .5; .6 (one fake, one real tied) -> 2/3 * .5.
		{"tie across classes", []float64{0.2, 0.6, 0.6, 0.9}, []bool{false, false, true, true}, 0.875, 0.5 + 1.0/3, 2.0 / 3},
		// All tied: every pair counts one half; one threshold at precision 1/2.
		{"all tied", []float64{0.5, 0.5, 0.5, 0.5}, []bool{true, false, true, false}, 0.5, 0.5, 0.5},
		// Perfect ranking.
		{"perfect", []float64{0.9, 0.1, 0.8, 0.2}, []bool{true, false, true, false}, 1, 1, 1},
		// Reversed: every fake below every real. AP: .8 -> 0, .2 -> 1/3*.5, .1 -> 2/4*.5.
		{"reversed", []float64{0.1, 0.9, 0.2, 0.8}, []bool{true, false, true, false}, 0, 1.0/6 + 0.25, 0.5},
		{"one class", []float64{0.1, 0.9}, []bool{true, true}, math.NaN(), 1, 1},
		{"no fakes", []float64{0.1, 0.9}, []bool{false, false}, math.NaN(), math.NaN(), math.NaN()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := training.ROCAUC(tt.p, tt.y); !near(got, tt.auc) {
				t.Errorf("ROCAUC = %v, want %v", got, tt.auc)
			}
			if got := training.AveragePrecision(tt.p, tt.y); !near(got, tt.ap) {
				t.Errorf("AveragePrecision = %v, want %v", got, tt.ap)
			}
			if got := training.PrecisionAtRecall(tt.p, tt.y, 0.95); !near(got, tt.precAt95) {
				t.Errorf("PrecisionAtRecall(.95) = %v, want %v", got, tt.precAt95)
			}
		})
	}
}

func TestConfusion(t *testing.T) {
	p := []float64{0.1, 0.4, 0.35, 0.8, 0.5}
	y := []bool{false, false, true, true, false}
	c := training.Confuse(p, y, 0.5) // .8 fake called; .5 real called (>= threshold); .35 fake missed
	if want := (training.Confusion{TP: 1, FP: 1, TN: 2, FN: 1}); c != want {
		t.Fatalf("Confuse = %+v, want %+v", c, want)
	}
	tests := []struct {
		name      string
		got, want float64
	}{
		{"precision", c.Precision(), 0.5},
		{"recall", c.Recall(), 0.5},
		{"fpr", c.FPR(), 1.0 / 3},
		{"f1", c.F1(), 2.0 / 4},                            // 2TP / (2TP + FP + FN)
		{"mcc", c.MCC(), (1*2 - 1*1) / math.Sqrt(2*2*3*3)}, // (TP TN - FP FN) / sqrt((TP+FP)(TP+FN)(TN+FP)(TN+FN))
		{"mcc empty margin", training.Confusion{TP: 3}.MCC(), 0},
		{"precision nothing called", training.Confusion{TN: 2, FN: 1}.Precision(), math.NaN()},
	}
	for _, tt := range tests {
		if !near(tt.got, tt.want) {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

func TestECE(t *testing.T) {
	tests := []struct {
		name string
		p    []float64
		y    []bool
		want float64
	}{
		// Bin [.1,.2): mean .1, half fake: off by .4 for 2 rows; bin [.9,1]: mean .9, all fake: .1 for 2 rows.
		{"two bins", []float64{0.1, 0.1, 0.9, 0.9}, []bool{false, true, true, true}, (2*0.4 + 2*0.1) / 4},
		{"calibrated", []float64{0.5, 0.5}, []bool{true, false}, 0},
		{"score 1 in last bin", []float64{1, 1}, []bool{true, true}, 0},
		{"empty", nil, nil, math.NaN()},
	}
	for _, tt := range tests {
		if got := training.ECE(tt.p, tt.y, 10); !near(got, tt.want) {
			t.Errorf("%s: ECE = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestEvaluateJSON(t *testing.T) {
	m := training.Evaluate([]float64{0.2, math.NaN(), 0.7}, []bool{true, false, true}, 0.5)
	if m.N != 2 || m.Positives != 2 || m.Negatives != 0 {
		t.Fatalf("Evaluate counted %+v, want the NaN score left out", m)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"roc_auc":null`, `"pr_auc":1`, `"f1":0.6666666666666666`, `"mcc":0`, `"confusion":{"tp":1,"fp":0,"tn":0,"fn":1}`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON %s lacks %s", b, want)
		}
	}
}

// A NaN score once made the tie loops spin for ever.
func TestMetricsFinishWithNaNScores(t *testing.T) {
	p := []float64{0.9, math.NaN(), 0.1, math.NaN(), 0.5}
	y := []bool{true, false, false, true, true}
	done := make(chan struct{})
	go func() {
		training.ROCAUC(p, y)
		training.AveragePrecision(p, y)
		training.PrecisionAtRecall(p, y, 0.95)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("metrics did not finish on NaN scores")
	}
}
