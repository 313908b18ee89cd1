package training

import (
	"errors"
	"fmt"
	"strings"
)

// DefaultLearner is the learner that train uses when none is named.
const DefaultLearner = "gbdt"

// ErrUnknownLearner is returned by NewLearner for a name it does not know.
// Errors may be wrapped with more detail; test with errors.Is.
var ErrUnknownLearner = errors.New("training: unknown learner")

// Learners returns the names NewLearner accepts, the default first.
func Learners() []string {
	return []string{"gbdt", "gbdt-leafwise", "golearn-id3"}
}

// NewLearner returns the learner called name ("" means DefaultLearner):
//
//   - "gbdt": deterministic gradient-boosted oblivious trees with
//     histogram splits, a learned direction for missing values, class
//     weights and early stopping on a seeded stratified validation split
//     (then, under 20,000 rows, a refit on every row for the chosen number
//     of rounds). Oblivious trees (one split per level) score fastest.
//     Defaults: at most 150 trees of depth 4, learning rate 0.3, 255 bins,
//     L2 1, row subsample 0.8, 10% validation, patience 40.
//   - "gbdt-leafwise": the same boosting with trees grown best-first, as in
//     LightGBM; a little more accurate per tree, slower to score.
//   - "golearn-id3": a bagged forest of 100 golearn ID3 trees on features
//     cut into 10 quantile bins, giving vote shares. golearn's trees are
//     not reproducible (the same data and seed can give a different
//     forest), slow to fit and deep once exported; it is here to compare.
func NewLearner(name string, opts LearnerOptions) (Learner, error) {
	switch name {
	case "", "gbdt":
		return newGBDT(opts, false), nil
	case "gbdt-leafwise":
		return newGBDT(opts, true), nil
	case "golearn-id3":
		return newGolearnForest(opts), nil
	}
	return nil, fmt.Errorf("%w %q (have %s)", ErrUnknownLearner, name, strings.Join(Learners(), ", "))
}
