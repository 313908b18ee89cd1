package training_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"bonafide/detect/model"
	"bonafide/training"
)

// synthetic returns n rows where fakes have fewer posts, a higher
// following/followers ratio, miss their avatar flag more often and where
// one column is noise. About a third are fake.
func synthetic(n int, seed uint64) training.Dataset {
	rng := rand.New(rand.NewPCG(seed, 1))
	d := training.Dataset{Names: []string{"log_posts", "log_ratio", "has_avatar", "noise"}}
	for range n {
		fake := rng.Float64() < 0.35
		shift := 0.0
		if fake {
			shift = 1.2
		}
		avatar := 1.0
		if rng.Float64() < 0.2+0.4*shift {
			avatar = 0
		}
		row := []float64{
			3 - shift + rng.NormFloat64(),
			shift + rng.NormFloat64(),
			avatar,
			rng.NormFloat64(),
		}
		if rng.Float64() < 0.15 {
			row[1] = math.NaN()
		}
		d.X = append(d.X, row)
		d.Y = append(d.Y, fake)
	}
	return d
}

// auc returns the area under the ROC curve of scores p for labels y,
// counting ties as half.
func auc(p []float64, y []bool) float64 {
	idx := make([]int, len(p))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		switch {
		case p[a] < p[b]:
			return -1
		case p[a] > p[b]:
			return 1
		}
		return 0
	})
	var rankSum, pos float64
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && p[idx[j]] == p[idx[i]] {
			j++
		}
		mid := float64(i+j+1) / 2
		for _, k := range idx[i:j] {
			if y[k] {
				rankSum += mid
				pos++
			}
		}
		i = j
	}
	neg := float64(len(p)) - pos
	return (rankSum - pos*(pos+1)/2) / (pos * neg)
}

func heldOutAUC(t *testing.T, l training.Learner, train, test training.Dataset) float64 {
	t.Helper()
	e, err := l.Fit(context.Background(), train, 7)
	if err != nil {
		t.Fatal(err)
	}
	p := make([]float64, test.Len())
	for i, x := range test.X {
		p[i] = e.Predict(x)
		if !(p[i] >= 0 && p[i] <= 1) {
			t.Fatalf("Predict = %v", p[i])
		}
	}
	return auc(p, test.Y)
}

func TestLearnersLearn(t *testing.T) {
	train, test := synthetic(1500, 1), synthetic(1000, 2)
	// The classes overlap, so no learner reaches an AUC of 1.
	tests := []struct {
		name string
		opts training.LearnerOptions
		min  float64
	}{
		{"gbdt", training.LearnerOptions{}, 0.9},
		{"gbdt-leafwise", training.LearnerOptions{}, 0.88},
		{"golearn-id3", training.LearnerOptions{Trees: 30}, 0.85},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := training.NewLearner(tt.name, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if l.Name() != tt.name {
				t.Errorf("Name() = %q", l.Name())
			}
			if got := heldOutAUC(t, l, train, test); got < tt.min {
				t.Errorf("held-out AUC %.3f, want >= %.2f", got, tt.min)
			}
		})
	}
}

func TestLearnersListed(t *testing.T) {
	names := training.Learners()
	if len(names) == 0 || names[0] != training.DefaultLearner {
		t.Fatalf("Learners() = %v, want the default %q first", names, training.DefaultLearner)
	}
	for _, name := range append(names, "") {
		if _, err := training.NewLearner(name, training.LearnerOptions{}); err != nil {
			t.Errorf("NewLearner(%q): %v", name, err)
		}
	}
	if _, err := training.NewLearner("svm", training.LearnerOptions{}); !errors.Is(err, training.ErrUnknownLearner) {
		t.Errorf("NewLearner(svm): err = %v, want ErrUnknownLearner", err)
	}
}

func encode(t *testing.T, e *model.Ensemble) []byte {
	t.Helper()
	b := model.Bundle{Name: "t", Schema: "s", Follower: e}
	data, err := b.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestGBDTDeterministic(t *testing.T) {
	for _, name := range []string{"gbdt", "gbdt-leafwise"} {
		t.Run(name, func(t *testing.T) { testDeterministic(t, name) })
	}
}

func testDeterministic(t *testing.T, name string) {
	d := synthetic(3000, 3)
	l, err := training.NewLearner(name, training.LearnerOptions{Trees: 60, Subsample: 0.7, ColSample: 0.75})
	if err != nil {
		t.Fatal(err)
	}
	fit := func(procs int, seed uint64) []byte {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		e, err := l.Fit(context.Background(), d, seed)
		if err != nil {
			t.Fatal(err)
		}
		return encode(t, e)
	}
	one := fit(1, 42)
	two := fit(2, 42)
	if !bytes.Equal(one, two) {
		t.Error("same data and seed give different bundles at GOMAXPROCS 1 and 2")
	}
	if again := fit(2, 42); !bytes.Equal(two, again) {
		t.Error("same data and seed give different bundles on a second fit")
	}
	if other := fit(2, 43); bytes.Equal(one, other) {
		t.Error("seeds 42 and 43 give the same bundle: the seed is not used")
	}
}

// TestGBDTMissingDirection checks that the direction of missing values is
// learned: when only missingness tells the classes apart, a missing value
// scores like the class that lacks the feature, whichever class that is.
func TestGBDTMissingDirection(t *testing.T) {
	tests := []struct {
		name        string
		fakeMissing bool
	}{
		{"fakes lack the feature", true},
		{"reals lack the feature", false},
	}
	for _, learner := range []string{"gbdt", "gbdt-leafwise"} {
		for _, tt := range tests {
			t.Run(learner+"/"+tt.name, func(t *testing.T) {
				rng := rand.New(rand.NewPCG(5, 5))
				d := training.Dataset{Names: []string{"age", "noise"}}
				for i := range 2000 {
					fake := i%2 == 0
					age := rng.Float64() * 1000
					if fake == tt.fakeMissing && rng.Float64() < 0.9 {
						age = math.NaN()
					}
					d.X = append(d.X, []float64{age, rng.NormFloat64()})
					d.Y = append(d.Y, fake)
				}
				e := fitDefault(t, learner, d)
				missing := e.Predict([]float64{math.NaN(), 0})
				present := e.Predict([]float64{500, 0})
				if tt.fakeMissing && !(missing > 0.8 && present < 0.3) {
					t.Errorf("P(fake | missing) = %.3f, P(fake | present) = %.3f; want high, low", missing, present)
				}
				if !tt.fakeMissing && !(missing < 0.2 && present > 0.4) {
					t.Errorf("P(fake | missing) = %.3f, P(fake | present) = %.3f; want low, higher", missing, present)
				}
			})
		}
	}
}

func TestGBDTEarlyStopping(t *testing.T) {
	d := synthetic(1500, 4)
	fit := func(opts training.LearnerOptions) int {
		l, err := training.NewLearner("gbdt", opts)
		if err != nil {
			t.Fatal(err)
		}
		e, err := l.Fit(context.Background(), d, 1)
		if err != nil {
			t.Fatal(err)
		}
		return e.NumTrees()
	}
	// Noisy data and a high learning rate overfit fast: the validation
	// loss stops improving long before 300 rounds.
	opts := training.LearnerOptions{Trees: 300, LearningRate: 0.5, Patience: 10}
	if got := fit(opts); got >= 300 || got < 1 {
		t.Errorf("with early stopping: %d trees, want between 1 and 299", got)
	}
	opts.ValidFraction = -1
	if got := fit(opts); got != 300 {
		t.Errorf("without early stopping: %d trees, want 300", got)
	}
}

func TestFitRefuses(t *testing.T) {
	oneClass := synthetic(100, 1)
	for i := range oneClass.Y {
		oneClass.Y[i] = false
	}
	ragged := synthetic(100, 1)
	ragged.X[3] = ragged.X[3][:2]
	tests := []struct {
		name string
		d    training.Dataset
	}{
		{"one class", oneClass},
		{"ragged rows", ragged},
		{"empty", training.Dataset{Names: []string{"a"}}},
	}
	for _, name := range training.Learners() {
		l, err := training.NewLearner(name, training.LearnerOptions{Trees: 2})
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range tests {
			t.Run(name+"/"+tt.name, func(t *testing.T) {
				if _, err := l.Fit(context.Background(), tt.d, 1); !errors.Is(err, training.ErrInvalidDataset) {
					t.Errorf("err = %v, want ErrInvalidDataset", err)
				}
			})
		}
	}
}

func TestFitStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, name := range training.Learners() {
		l, err := training.NewLearner(name, training.LearnerOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := l.Fit(ctx, synthetic(200, 1), 1); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: err = %v, want context.Canceled", name, err)
		}
	}
}

func TestProgress(t *testing.T) {
	var calls, last, total int
	opts := training.LearnerOptions{Trees: 20, ValidFraction: -1, Progress: func(done, n int) {
		calls++
		last, total = done, n
	}}
	l, err := training.NewLearner("gbdt", opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Fit(context.Background(), synthetic(300, 1), 1); err != nil {
		t.Fatal(err)
	}
	if calls != 20 || last != 20 || total != 20 {
		t.Errorf("progress called %d times, last %d/%d; want 20 times, 20/20", calls, last, total)
	}
}

// TestGBDTUnseenMissing checks where a value goes that was never missing in
// training: to the side of the split that took more rows.
func TestGBDTUnseenMissing(t *testing.T) {
	tests := []struct {
		name        string
		cut         float64
		fakeAbove   bool
		fakeIsLarge bool
	}{
		{"larger side right and fake", 0.25, true, true},
		{"larger side left and fake", 0.75, false, true},
		{"larger side right and real", 0.25, false, false},
		{"larger side left and real", 0.75, true, false},
	}
	for _, learner := range []string{"gbdt", "gbdt-leafwise"} {
		for _, tt := range tests {
			t.Run(learner+"/"+tt.name, func(t *testing.T) {
				rng := rand.New(rand.NewPCG(3, 3))
				d := training.Dataset{Names: []string{"x"}}
				for range 2000 {
					x := rng.Float64()
					d.X = append(d.X, []float64{x})
					d.Y = append(d.Y, (x > tt.cut) == tt.fakeAbove)
				}
				e := fitDefault(t, learner, d)
				p := e.Predict([]float64{math.NaN()})
				if tt.fakeIsLarge && p < 0.8 || !tt.fakeIsLarge && p > 0.2 {
					t.Errorf("P(fake | missing) = %.3f, want the larger side's class", p)
				}
			})
		}
	}
}

// TestGBDTMissingOnlySplit covers a feature with few distinct values whose
// only use is to separate the missing ones: its best split lies above the
// last bin edge, which must export as a +Inf threshold (it once panicked
// with an index out of range).
func TestGBDTMissingOnlySplit(t *testing.T) {
	for _, learner := range []string{"gbdt", "gbdt-leafwise"} {
		for _, distinct := range []int{1, 2, 3} {
			t.Run(fmt.Sprintf("%s/%d values", learner, distinct), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(9, uint64(distinct)))
				d := training.Dataset{Names: []string{"flag", "noise"}}
				for i := range 1000 {
					fake := i%2 == 0
					v := float64(rng.IntN(distinct))
					if fake {
						v = math.NaN()
					}
					d.X = append(d.X, []float64{v, rng.NormFloat64()})
					d.Y = append(d.Y, fake)
				}
				e := fitDefault(t, learner, d)
				for v := range distinct {
					if p := e.Predict([]float64{float64(v), 0}); p > 0.2 {
						t.Errorf("P(fake | flag=%d) = %.3f, want low", v, p)
					}
				}
				if p := e.Predict([]float64{math.NaN(), 0}); p < 0.8 {
					t.Errorf("P(fake | flag missing) = %.3f, want high", p)
				}
			})
		}
	}
}

// TestGBDTMonotone checks that a leafwise gbdt keeps a monotone constraint
// even where the data bend the other way, that the same data without the
// constraint do bend, and that learners that cannot keep one refuse it.
func TestGBDTMonotone(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	d := training.Dataset{Names: []string{"x", "noise"}}
	for range 3000 {
		x := rng.Float64() * 10
		// P(fake) rises with x up to 6, then falls.
		p := x / 10
		if x > 6 {
			p = 0.9 - (x-6)/5
		}
		d.X = append(d.X, []float64{x, rng.NormFloat64()})
		d.Y = append(d.Y, rng.Float64() < p)
	}
	fit := func(name string, mono map[string]int) (*model.Ensemble, error) {
		l, err := training.NewLearner(name, training.LearnerOptions{Monotone: mono})
		if err != nil {
			t.Fatal(err)
		}
		return l.Fit(context.Background(), d, 1)
	}
	drops := func(e *model.Ensemble) float64 {
		var worst float64
		prev := e.Predict([]float64{0, 0})
		for x := 0.1; x <= 10; x += 0.1 {
			p := e.Predict([]float64{x, 0})
			worst = max(worst, prev-p)
			prev = p
		}
		return worst
	}
	free, err := fit("gbdt-leafwise", nil)
	if err != nil {
		t.Fatal(err)
	}
	if drops(free) < 0.1 {
		t.Fatalf("unconstrained model does not follow the bend (largest drop %.3f); the test shows nothing", drops(free))
	}
	mono, err := fit("gbdt-leafwise", map[string]int{"x": +1})
	if err != nil {
		t.Fatal(err)
	}
	if w := drops(mono); w > 1e-12 {
		t.Errorf("constrained model drops by %.3g as x grows", w)
	}
	if lo, hi := mono.Predict([]float64{1, 0}), mono.Predict([]float64{5, 0}); hi-lo < 0.2 {
		t.Errorf("constrained model learned nothing: P(1) = %.3f, P(5) = %.3f", lo, hi)
	}
	for _, name := range []string{"gbdt", "golearn-id3"} {
		if _, err := fit(name, map[string]int{"x": -1}); err == nil {
			t.Errorf("%s accepted a monotone constraint it cannot keep", name)
		}
	}
}

// fitDefault fits the learner called name, with its default options and
// seed 1, on d.
func fitDefault(t *testing.T, name string, d training.Dataset) *model.Ensemble {
	t.Helper()
	l, err := training.NewLearner(name, training.LearnerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	e, err := l.Fit(context.Background(), d, 1)
	if err != nil {
		t.Fatal(err)
	}
	return e
}
