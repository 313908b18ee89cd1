// Package training builds the models that detect scores with: it imports
// labelled data sets, fits learners, measures them and writes bundles with
// their model cards. It is the only package that imports a learning
// library; what it trains is exported into detect/model's own format.
package training

import (
	"context"
	"errors"
	"fmt"
	"math"

	"bonafide/detect/model"
)

// Dataset is a labelled table of follower feature vectors.
type Dataset struct {
	// Names are the column names, in vector order (features.ProfileNames()).
	Names []string
	// X holds one row per account, len(Names) values each; NaN = missing.
	X [][]float64
	// Y is the label of each row: true = fake.
	Y []bool
	// Group names the set each row came from, for leave-one-dataset-out.
	// It may be nil when all rows come from one set.
	Group []string
	// Weight is an optional weight per row; nil means 1 for every row.
	Weight []float64
}

// ErrInvalidDataset is returned for a dataset whose parts disagree.
// Errors may be wrapped with more detail; test with errors.Is.
var ErrInvalidDataset = errors.New("training: invalid dataset")

// Len returns the number of rows.
func (d Dataset) Len() int { return len(d.X) }

// Counts returns the number of fake and of real rows.
func (d Dataset) Counts() (fake, real int) {
	for _, y := range d.Y {
		if y {
			fake++
		} else {
			real++
		}
	}
	return fake, real
}

// Validate checks that every row has len(Names) values, that Y, Group and
// Weight (when present) have one entry per row, that no value is infinite
// and that weights are finite and non-negative.
func (d Dataset) Validate() error {
	n := len(d.X)
	if len(d.Y) != n {
		return fmt.Errorf("%w: %d rows but %d labels", ErrInvalidDataset, n, len(d.Y))
	}
	if d.Group != nil && len(d.Group) != n {
		return fmt.Errorf("%w: %d rows but %d groups", ErrInvalidDataset, n, len(d.Group))
	}
	if d.Weight != nil && len(d.Weight) != n {
		return fmt.Errorf("%w: %d rows but %d weights", ErrInvalidDataset, n, len(d.Weight))
	}
	for i, row := range d.X {
		if len(row) != len(d.Names) {
			return fmt.Errorf("%w: row %d has %d values, want %d", ErrInvalidDataset, i, len(row), len(d.Names))
		}
		for j, v := range row {
			if math.IsInf(v, 0) {
				return fmt.Errorf("%w: row %d %s is %v", ErrInvalidDataset, i, d.Names[j], v)
			}
		}
		if d.Weight != nil {
			if w := d.Weight[i]; !(w >= 0) || math.IsInf(w, 0) {
				return fmt.Errorf("%w: row %d weight %v", ErrInvalidDataset, i, w)
			}
		}
	}
	return nil
}

// Subset returns the rows at idx, in idx order. The rows share their
// backing arrays with d.
func (d Dataset) Subset(idx []int) Dataset {
	s := Dataset{Names: d.Names, X: make([][]float64, len(idx)), Y: make([]bool, len(idx))}
	if d.Group != nil {
		s.Group = make([]string, len(idx))
	}
	if d.Weight != nil {
		s.Weight = make([]float64, len(idx))
	}
	for k, i := range idx {
		s.X[k] = d.X[i]
		s.Y[k] = d.Y[i]
		if d.Group != nil {
			s.Group[k] = d.Group[i]
		}
		if d.Weight != nil {
			s.Weight[k] = d.Weight[i]
		}
	}
	return s
}

// A Learner fits a follower model to a dataset. The same dataset and seed
// give the same ensemble, bit for bit, whatever GOMAXPROCS is, unless the
// learner's documentation says otherwise.
type Learner interface {
	// Name returns the learner's name as NewLearner takes it.
	Name() string
	// Fit trains on d and returns the model in the bundle's format.
	Fit(ctx context.Context, d Dataset, seed uint64) (*model.Ensemble, error)
}

// LearnerOptions tune a learner. The zero value of every field means the
// learner's default; a learner ignores the fields that do not apply to it.
type LearnerOptions struct {
	// Trees is the number of trees of a forest, or the most boosting rounds.
	Trees int
	// LearningRate is the shrinkage of each boosting round.
	LearningRate float64
	// MaxDepth limits the depth of each tree (a root alone has depth 0).
	MaxDepth int
	// MaxLeaves limits the leaves of each leafwise boosted tree.
	MaxLeaves int
	// MinLeaf is the fewest training rows a leaf may hold.
	MinLeaf int
	// Bins is the most value bins per feature, missing values apart (at
	// most 255).
	Bins int
	// L2 is the L2 penalty on leaf values.
	L2 float64
	// Subsample is the share of rows drawn for each tree, in (0, 1].
	Subsample float64
	// ColSample is the share of features drawn for each tree, in (0, 1].
	ColSample float64
	// ValidFraction is the share of rows held out, stratified by label, for
	// early stopping; negative disables early stopping.
	ValidFraction float64
	// Patience is the number of rounds without a better validation loss
	// after which boosting stops.
	Patience int
	// NoClassWeights keeps rows at their own weight instead of weighting
	// the classes to equal total weight.
	NoClassWeights bool
	// Monotone constrains the model's output, by feature name: +1 means
	// it never decreases as the feature grows, -1 never increases, 0 or
	// absent is free. Missing values are not constrained. Only the leafwise
	// gbdt honours it; the other learners refuse a non-empty Monotone.
	Monotone map[string]int
	// Progress, if non-nil, is called after each tree with the trees done
	// and the most trees planned. It runs on the fitting goroutine and must
	// not block.
	Progress func(done, total int)
}
