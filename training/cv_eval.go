package training

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"

	"bonafide/detect/model"
)

// Evaluation modes.
const (
	// ModeCV is within-set stratified k-fold cross-validation, one set at
	// a time.
	ModeCV = "cv"
	// ModeLODO is leave-one-dataset-out: train on every other set, test on
	// the one left out.
	ModeLODO = "lodo"
	// ModeBundle scores each set with a trained bundle.
	ModeBundle = "bundle"
)

// EvalOptions say how a learner is evaluated. The zero value of each field
// means its default.
type EvalOptions struct {
	Folds     int     // 0 means DefaultFolds
	Seed      uint64  // seed of the folds and the learner
	Threshold float64 // 0 means DefaultThreshold
	// Progress, if non-nil, is told each fit done and the fits planned.
	Progress func(done, total int)
	// MaskAbsent, in leave-one-dataset-out, treats the features that the
	// left-out set lacks entirely as missing in the training rows too
	// (which columns a source has is known before any label is). Measured
	// on the three Instagram sets it lowers the AUC on every left-out set
	// (the trees route the missing values well enough on their own), so it
	// is off by default.
	MaskAbsent bool
}

func (o EvalOptions) withDefaults() EvalOptions {
	if o.Folds == 0 {
		o.Folds = DefaultFolds
	}
	if o.Threshold == 0 {
		o.Threshold = DefaultThreshold
	}
	if o.Progress == nil {
		o.Progress = func(int, int) {}
	}
	return o
}

// EvalRow is one line of an evaluation: a learner (or bundle) measured on
// one set in one mode.
type EvalRow struct {
	Learner string  `json:"learner"`
	Mode    string  `json:"mode"`
	Set     string  `json:"set"`
	Metrics Metrics `json:"metrics"`
	// MeanFoldAUC is the mean ROC-AUC over the folds (within-set
	// cross-validation only; Metrics.ROCAUC pools the out-of-fold scores).
	MeanFoldAUC jnum `json:"mean_fold_roc_auc"`
}

// Fits returns how many fits EvalLearner makes for these modes.
func Fits(d Dataset, modes []string, folds int) int {
	names, _ := groupIndex(d)
	n := 0
	for _, m := range modes {
		switch m {
		case ModeCV:
			n += len(names) * folds
		case ModeLODO:
			n += len(names)
		}
	}
	return n
}

// EvalLearner measures a learner on d in each mode: within each set by
// stratified k-fold cross-validation (ModeCV), and on each set when
// trained on all the others (ModeLODO). Sets with a single class are
// skipped as test sets (their AUC is undefined) but still train in LODO.
func EvalLearner(ctx context.Context, l Learner, d Dataset, modes []string, opts EvalOptions) ([]EvalRow, error) {
	opts = opts.withDefaults()
	names, idx := groupIndex(d)
	total, done := Fits(d, modes, opts.Folds), 0
	tick := func(int, int) {
		done++
		opts.Progress(done, total)
	}
	var rows []EvalRow
	for _, mode := range modes {
		switch mode {
		case ModeCV:
			for _, g := range names {
				sub := d.Subset(idx[g])
				if !bothClasses(sub.Y) {
					done += opts.Folds
					continue
				}
				folds := StratifiedKFold(sub.Y, nil, opts.Folds, opts.Seed)
				res, err := CrossValidate(ctx, l, sub, folds, opts.Seed, opts.Threshold, tick)
				if err != nil {
					return nil, fmt.Errorf("evaluate %s on %s: %w", l.Name(), g, err)
				}
				rows = append(rows, EvalRow{Learner: l.Name(), Mode: ModeCV, Set: g,
					Metrics: Evaluate(res.Scores, sub.Y, opts.Threshold), MeanFoldAUC: jnum(res.MeanAUC())})
			}
		case ModeLODO:
			if len(names) < 2 {
				return nil, fmt.Errorf("evaluate %s: leave-one-dataset-out needs two sets or more", l.Name())
			}
			for _, f := range LeaveOneGroupOut(d.Group) {
				if !bothClasses(d.Subset(f.Test).Y) {
					done++
					continue
				}
				train := d
				if opts.MaskAbsent {
					train = maskAbsent(d, f.Test)
				}
				res, err := CrossValidate(ctx, l, train, []Fold{f}, opts.Seed, opts.Threshold, tick)
				if err != nil {
					return nil, fmt.Errorf("evaluate %s: %w", l.Name(), err)
				}
				p, y := pick(res.Scores, d.Y, f.Test)
				rows = append(rows, EvalRow{Learner: l.Name(), Mode: ModeLODO, Set: f.Name,
					Metrics: Evaluate(p, y, opts.Threshold), MeanFoldAUC: jnum(math.NaN())})
			}
		default:
			return nil, fmt.Errorf("evaluate: unknown mode %q (want %s or %s)", mode, ModeCV, ModeLODO)
		}
	}
	return rows, nil
}

// EvalBundle scores every set of d with a bundle's follower model, at the
// bundle's threshold.
func EvalBundle(b *model.Bundle, d Dataset) []EvalRow {
	names, idx := groupIndex(d)
	var rows []EvalRow
	for _, g := range names {
		p := make([]float64, len(idx[g]))
		y := make([]bool, len(idx[g]))
		for k, i := range idx[g] {
			p[k], y[k] = b.Follower.Predict(d.X[i]), d.Y[i]
		}
		rows = append(rows, EvalRow{Learner: b.Name, Mode: ModeBundle, Set: g,
			Metrics: Evaluate(p, y, b.Threshold), MeanFoldAUC: jnum(math.NaN())})
	}
	return rows
}

func bothClasses(y []bool) bool {
	return slices.Contains(y, true) && slices.Contains(y, false)
}

func pick(p []float64, y []bool, idx []int) ([]float64, []bool) {
	pp := make([]float64, len(idx))
	yy := make([]bool, len(idx))
	for k, i := range idx {
		pp[k], yy[k] = p[i], y[i]
	}
	return pp, yy
}

// maskAbsent returns d with the features that no row of test has set
// missing in every row (d itself when test has every feature somewhere).
func maskAbsent(d Dataset, test []int) Dataset {
	var keep []string
	for j, name := range d.Names {
		for _, i := range test {
			if !math.IsNaN(d.X[i][j]) {
				keep = append(keep, name)
				break
			}
		}
	}
	if len(keep) == len(d.Names) {
		return d
	}
	out, _ := KeepFeatures(d, keep) // the names come from d
	return out
}

// KeepFeatures returns a copy of d in which every feature not named in
// keep is missing (NaN), to compare learners on a shared subset of
// features. The vector keeps its width, so bundles still read it.
func KeepFeatures(d Dataset, keep []string) (Dataset, error) {
	mask := make([]bool, len(d.Names))
	for _, k := range keep {
		i := slices.Index(d.Names, k)
		if i < 0 {
			return Dataset{}, fmt.Errorf("keep features: no feature %q", k)
		}
		mask[i] = true
	}
	out := d
	out.X = make([][]float64, len(d.X))
	for r, x := range d.X {
		row := make([]float64, len(x))
		for j, v := range x {
			if mask[j] {
				row[j] = v
			} else {
				row[j] = math.NaN()
			}
		}
		out.X[r] = row
	}
	return out, nil
}

// ExportFolds writes d as CSV for an outside tool to fit on the same rows
// and folds: columns set, cv_fold (the within-set stratified fold of the
// row, 0-based, as EvalLearner draws it with the same folds and seed),
// fake (0/1), then the features ("" when missing).
func ExportFolds(w io.Writer, d Dataset, folds int, seed uint64) error {
	if folds == 0 {
		folds = DefaultFolds
	}
	names, idx := groupIndex(d)
	foldOf := make([]int, d.Len())
	for _, g := range names {
		sub := d.Subset(idx[g])
		for f, fold := range StratifiedKFold(sub.Y, nil, folds, seed) {
			for _, k := range fold.Test {
				foldOf[idx[g][k]] = f
			}
		}
	}
	cw := csv.NewWriter(w)
	header := append([]string{"set", "cv_fold", "fake"}, d.Names...)
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("export folds: %w", err)
	}
	rec := make([]string, len(header))
	for i, x := range d.X {
		rec[0] = d.Group[i]
		rec[1] = strconv.Itoa(foldOf[i])
		rec[2] = "0"
		if d.Y[i] {
			rec[2] = "1"
		}
		for j, v := range x {
			rec[3+j] = ""
			if !math.IsNaN(v) {
				rec[3+j] = strconv.FormatFloat(v, 'g', -1, 64)
			}
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("export folds: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("export folds: %w", err)
	}
	return nil
}
