package training_test

import (
	"context"
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"bonafide/detect/model"
	"bonafide/features"
	"bonafide/training"
)

// stump is a test learner: one split of one feature at the weighted mean of
// its known values; each leaf holds the share of fakes that reach it, and
// missing values go to the side with more rows.
type stump struct{ feature int }

func (s stump) Name() string { return "stump" }

func (s stump) Fit(_ context.Context, d training.Dataset, _ uint64) (*model.Ensemble, error) {
	var sum, n float64
	for _, x := range d.X {
		if v := x[s.feature]; !math.IsNaN(v) {
			sum += v
			n++
		}
	}
	thr := sum / math.Max(n, 1)
	var fakes, rows [2]float64
	var missLeft float64
	for i, x := range d.X {
		side := 1
		v := x[s.feature]
		if math.IsNaN(v) {
			missLeft++
			continue
		}
		if v <= thr {
			side = 0
		}
		rows[side]++
		if d.Y[i] {
			fakes[side]++
		}
	}
	leaf := func(k int) float64 { return fakes[k] / math.Max(rows[k], 1) }
	tree := model.Tree{Nodes: []model.Node{
		{Feature: s.feature, Threshold: thr, MissingLeft: rows[0] >= rows[1], Left: 1, Right: 2},
		{Leaf: true, Value: leaf(0)},
		{Leaf: true, Value: leaf(1)},
	}}
	return model.NewEnsemble(len(d.Names), model.Identity, 0, []model.Tree{tree})
}

func TestStratifiedKFold(t *testing.T) {
	y := make([]bool, 103)
	groups := make([]string, len(y))
	for i := range y {
		y[i] = i%3 == 0
		groups[i] = []string{"a", "b"}[i%2]
	}
	folds := training.StratifiedKFold(y, groups, 5, 7)
	if len(folds) != 5 {
		t.Fatalf("%d folds, want 5", len(folds))
	}
	seen := make([]int, len(y))
	for _, f := range folds {
		if len(f.Train)+len(f.Test) != len(y) {
			t.Errorf("%s: %d train + %d test, want %d", f.Name, len(f.Train), len(f.Test), len(y))
		}
		if !slices.IsSorted(f.Test) || !slices.IsSorted(f.Train) {
			t.Errorf("%s: indices not sorted", f.Name)
		}
		if n := len(f.Test); n < 20 || n > 21 {
			t.Errorf("%s: %d test rows, want 20 or 21", f.Name, n)
		}
		fakes := 0
		for _, i := range f.Test {
			seen[i]++
			if y[i] {
				fakes++
			}
		}
		if fakes < 6 || fakes > 8 { // 35 fakes over 5 folds
			t.Errorf("%s: %d fakes in test, want 7 +- 1", f.Name, fakes)
		}
	}
	for i, n := range seen {
		if n != 1 {
			t.Fatalf("row %d in %d test folds, want 1", i, n)
		}
	}
	if again := training.StratifiedKFold(y, groups, 5, 7); !reflect.DeepEqual(again, folds) {
		t.Error("same seed gave different folds")
	}
	if other := training.StratifiedKFold(y, groups, 5, 8); reflect.DeepEqual(other, folds) {
		t.Error("another seed gave the same folds")
	}
}

func TestLeaveOneGroupOut(t *testing.T) {
	folds := training.LeaveOneGroupOut([]string{"b", "a", "b", "c"})
	want := []training.Fold{
		{Name: "a", Train: []int{0, 2, 3}, Test: []int{1}},
		{Name: "b", Train: []int{1, 3}, Test: []int{0, 2}},
		{Name: "c", Train: []int{0, 1, 2}, Test: []int{3}},
	}
	if !reflect.DeepEqual(folds, want) {
		t.Errorf("folds = %+v, want %+v", folds, want)
	}
}

// synthExamples makes a dataset where fakes have few followers.
func synthExamples(n int) []training.Example {
	var ex []training.Example
	for i := range n {
		p := features.Unknown()
		fake := i%2 == 0
		p.LogFollowers = float64(i%7) + 5
		if fake {
			p.LogFollowers = float64(i%5) + 1
		}
		if i%11 == 0 {
			p.LogFollowers = math.NaN()
		}
		p.LogPosts = math.Log1p(float64(i))
		ex = append(ex, training.Example{Set: []string{"s1", "s2"}[i%3%2], Profile: p, Fake: fake})
	}
	return ex
}

func TestCrossValidate(t *testing.T) {
	d := training.DatasetOf(synthExamples(200))
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	folds := training.StratifiedKFold(d.Y, d.Group, 4, 1)
	res, err := training.CrossValidate(context.Background(), stump{feature: 1}, d, folds, 1, 0.5, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range res.Scores {
		if math.IsNaN(s) {
			t.Fatalf("row %d has no out-of-fold score", i)
		}
	}
	if auc := res.MeanAUC(); auc < 0.85 {
		t.Errorf("mean AUC %v, want > 0.85 on nearly separable data", auc)
	}
}

func TestTrain(t *testing.T) {
	dir := t.TempDir()
	var lines []string
	for i, e := range synthExamples(300) {
		fake := "false"
		if e.Fake {
			fake = "true"
		}
		followers := ""
		if !math.IsNaN(e.Profile.LogFollowers) {
			followers = `,"followers":` + strings.TrimSuffix(strings.TrimSuffix(
				jsonNum(math.Round(math.Expm1(e.Profile.LogFollowers))), "\n"), " ")
		}
		lines = append(lines, `{"id":"`+string(rune('a'+i%26))+jsonNum(float64(i))+`","fake":`+fake+`,"posts":`+jsonNum(float64(i))+followers+`}`)
	}
	path := dir + "/mine.jsonl"
	write(t, path, []byte(strings.Join(lines, "\n")))
	log := zerolog.New(zerolog.NewTestWriter(t))
	opts := training.TrainOptions{Sets: []string{path}, Seed: 3, Folds: 3, Name: "test"}
	r1, err := training.Train(context.Background(), stump{feature: 1}, opts, log)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := training.Train(context.Background(), stump{feature: 1}, opts, log)
	if err != nil {
		t.Fatal(err)
	}
	b1, err := r1.Bundle.Encode()
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := r2.Bundle.Encode()
	if string(b1) != string(b2) {
		t.Error("two trainings with the same seed gave different bundles")
	}
	got, err := model.Decode(b1, features.ProfileSchema())
	if err != nil {
		t.Fatal(err)
	}
	if want := slices.Index(features.ProfileNames(), training.BlindFeature); want < 0 || got.Follower.Blind() != want {
		t.Errorf("the follower model's blind feature is %d, want %s (%d)", got.Follower.Blind(), training.BlindFeature, want)
	}
	if got.FollowerRates.TPR < 0.8 || got.FollowerRates.FPR > 0.3 || got.FollowerRates.Positives != 150 {
		t.Errorf("rates = %+v, want TPR > .8, FPR < .3 over 150 fakes", got.FollowerRates)
	}
	if r1.Metrics.Folds != 3 || len(r1.Metrics.PerSet) != 1 || r1.Metrics.PerSet[0].Set != "mine" {
		t.Errorf("metrics = %+v", r1.Metrics)
	}
	var m map[string]any
	if err := json.Unmarshal(got.Metrics, &m); err != nil {
		t.Fatal(err)
	}
	cv := m["cv"].(map[string]any)
	for _, k := range []string{"roc_auc", "pr_auc", "f1", "mcc"} {
		if _, ok := cv[k].(float64); !ok {
			t.Errorf("metrics cv.%s = %v, want a number", k, cv[k])
		}
	}
	if !strings.Contains(got.Card, "`"+training.BlindFeature+"` is read twice") || r1.Metrics.Blind != training.BlindFeature {
		t.Errorf("card and metrics do not name the blind feature %s (metrics: %q)", training.BlindFeature, r1.Metrics.Blind)
	}
	if !strings.Contains(got.Card, "## Training data") || !strings.Contains(got.Card, "mine") {
		t.Errorf("card lacks its training data:\n%s", got.Card)
	}
}

func jsonNum(x float64) string {
	b, _ := json.Marshal(x)
	return string(b)
}

// seen is a test learner that records, per fit, how many training rows
// have feature j known, and otherwise fits a stump on it.
type seen struct {
	j     int
	known *[]int
}

func (s seen) Name() string { return "seen" }

func (s seen) Fit(ctx context.Context, d training.Dataset, seed uint64) (*model.Ensemble, error) {
	n := 0
	for _, x := range d.X {
		if !math.IsNaN(x[s.j]) {
			n++
		}
	}
	*s.known = append(*s.known, n)
	return stump{feature: s.j}.Fit(ctx, d, seed)
}

func TestEvalLearnerLODOMasksAbsentFeatures(t *testing.T) {
	ex := synthExamples(120)
	for i := range ex { // set s2 never knows its followers
		if ex[i].Set == "s2" {
			ex[i].Profile.LogFollowers = math.NaN()
		}
	}
	d := training.DatasetOf(ex)
	for _, tt := range []struct {
		mask bool
		want []int // rows with log_followers known when training for s1, then for s2
	}{{true, []int{0, 0}}, {false, []int{0, known(d, "s1")}}} {
		var got []int
		rows, err := training.EvalLearner(context.Background(), seen{j: 1, known: &got}, d, []string{training.ModeLODO},
			training.EvalOptions{MaskAbsent: tt.mask})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || rows[0].Set != "s1" || rows[1].Set != "s2" {
			t.Fatalf("rows = %+v, want lodo on s1 then s2", rows)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("MaskAbsent %v: known log_followers in training = %v, want %v", tt.mask, got, tt.want)
		}
	}
}

func known(d training.Dataset, set string) int {
	n := 0
	for i, x := range d.X {
		if d.Group[i] == set && !math.IsNaN(x[1]) {
			n++
		}
	}
	return n
}

func TestExportFolds(t *testing.T) {
	d := training.DatasetOf(synthExamples(60))
	var b strings.Builder
	if err := training.ExportFolds(&b, d, 3, 5); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != d.Len()+1 {
		t.Fatalf("%d lines, want a header and %d rows", len(lines), d.Len())
	}
	header := strings.Split(lines[0], ",")
	if got := strings.Join(header[:4], ","); got != "set,cv_fold,fake,log_posts" || len(header) != 3+len(d.Names) {
		t.Errorf("header %q", lines[0])
	}
	// The exported folds are the ones EvalLearner draws within each set.
	names := map[string][]int{}
	for i, g := range d.Group {
		names[g] = append(names[g], i)
	}
	for g, idx := range names {
		sub := d.Subset(idx)
		for f, fold := range training.StratifiedKFold(sub.Y, nil, 3, 5) {
			for _, k := range fold.Test {
				cols := strings.Split(lines[idx[k]+1], ",")
				if cols[0] != g || cols[1] != jsonNum(float64(f)) {
					t.Fatalf("row %d exported as %v, want set %s fold %d", idx[k], cols[:3], g, f)
				}
			}
		}
	}
	// Missing values are empty cells.
	for i, x := range d.X {
		cols := strings.Split(lines[i+1], ",")
		if math.IsNaN(x[1]) != (cols[4] == "") {
			t.Fatalf("row %d log_followers %v exported as %q", i, x[1], cols[4])
		}
	}
}

// TestCrossValidateReadsWithoutTheBlindFeature checks BlindScores: every
// row has one; a row without an age reads the same as in Scores (the
// blind reading of an account without the feature is the account); and
// rows whose age decides the label read otherwise without it.
func TestCrossValidateReadsWithoutTheBlindFeature(t *testing.T) {
	ex := synthExamples(400)
	for i := range ex {
		if i%2 == 0 {
			ex[i].Profile.AgeDays = 3000 // old accounts, whatever they are
			if ex[i].Fake {
				ex[i].Profile.AgeDays = 5 // young fakes
			}
		}
	}
	d := training.DatasetOf(ex)
	l, err := training.NewLearner("gbdt", training.LearnerOptions{Trees: 30})
	if err != nil {
		t.Fatal(err)
	}
	folds := training.StratifiedKFold(d.Y, d.Group, 4, 1)
	res, err := training.CrossValidate(context.Background(), l, d, folds, 1, 0.5, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.BlindScores) != d.Len() {
		t.Fatalf("%d blind scores for %d rows", len(res.BlindScores), d.Len())
	}
	differ := 0
	for i, p := range res.BlindScores {
		switch {
		case math.IsNaN(p):
			t.Fatalf("row %d has no blind score", i)
		case math.IsNaN(ex[i].Profile.AgeDays) && p != res.Scores[i]:
			t.Errorf("row %d has no age but reads %v blind, %v as it is", i, p, res.Scores[i])
		case p != res.Scores[i]:
			differ++
		}
	}
	if differ == 0 {
		t.Error("no row with an age reads otherwise without it")
	}
}
