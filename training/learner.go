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
//     weights and early stopping on a seeded stratified validation split.
//     Oblivious trees (one split per level) score fastest.
//   - "gbdt-leafwise": the same boosting with trees grown best-first, as in
//     LightGBM; a little more accurate per tree, slower to score.
//   - "golearn-id3": a bagged forest of golearn ID3 trees on discretised
//     features, giving vote shares. golearn's trees are not reproducible:
//     the same data and seed can give a different forest.
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
