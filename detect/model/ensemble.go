// Package model is the bundle format: the trained models that detect scores
// with, their feature schema, their training metrics and their model card,
// in one versioned file whose content is checked by a digest.
//
// A bundle is written by training and read by detect. This package scores
// tree ensembles itself; it never imports a learning library, and it does
// not train, calibrate or choose thresholds.
package model

import (
	"errors"
	"fmt"
	"math"
)

// Link says how an Ensemble turns the sum of its leaf values into a
// probability.
type Link uint8

const (
	// Logistic applies the logistic function to Base plus the leaf values:
	// the link of gradient-boosted trees trained on log loss.
	Logistic Link = 1
	// Identity clamps Base plus the leaf values to [0, 1]: the link of a
	// forest whose leaves hold vote shares already divided by the number of
	// trees.
	Identity Link = 2
)

// String returns the link's name.
func (l Link) String() string {
	switch l {
	case Logistic:
		return "logistic"
	case Identity:
		return "identity"
	}
	return fmt.Sprintf("link(%d)", uint8(l))
}

// Node is one node of a Tree in the form that training builds. A leaf has
// Leaf set and contributes Value. A split sends a vector x to Left when
// x[Feature] <= Threshold, to Right when it is greater, and a missing value
// (NaN, or a Feature beyond the end of x) to Left when MissingLeft is set
// and to Right otherwise. Left and Right index the tree's Nodes and must be
// greater than the node's own index, so every tree is finite.
type Node struct {
	Leaf        bool
	Value       float64
	Feature     int
	Threshold   float64
	MissingLeft bool
	Left, Right int
}

// Tree is one decision tree; Nodes[0] is its root.
type Tree struct {
	Nodes []Node
}

// node is the compact scoring form of a Node. Leaves have feature -1 and
// keep their value in thr. Children are absolute indices into
// Ensemble.nodes.
type node struct {
	thr         float64
	feature     int32
	left, right int32
	missLeft    bool
}

// Ensemble is a sum of decision trees that scores a feature vector with a
// probability. It is immutable once built and safe for concurrent use.
type Ensemble struct {
	numFeatures int
	link        Link
	base        float64
	roots       []int32
	nodes       []node
}

// ErrInvalidEnsemble is returned when trees do not form a valid ensemble.
// Errors may be wrapped with more detail; test with errors.Is.
var ErrInvalidEnsemble = errors.New("model: invalid ensemble")

// maxFeatures bounds the length of the vectors an ensemble reads.
const maxFeatures = 1 << 16

// maxNodes bounds the total number of nodes of one ensemble, so that node
// indices fit the compact form.
const maxNodes = 1 << 30

// NewEnsemble checks trees and builds an Ensemble that reads vectors of
// numFeatures values. Predict returns link(base + the sum of the leaf values
// that x reaches).
func NewEnsemble(numFeatures int, link Link, base float64, trees []Tree) (*Ensemble, error) {
	if numFeatures < 0 || numFeatures > maxFeatures {
		return nil, fmt.Errorf("%w: %d features", ErrInvalidEnsemble, numFeatures)
	}
	if link != Logistic && link != Identity {
		return nil, fmt.Errorf("%w: unknown %v", ErrInvalidEnsemble, link)
	}
	if math.IsNaN(base) || math.IsInf(base, 0) {
		return nil, fmt.Errorf("%w: base %v", ErrInvalidEnsemble, base)
	}
	total := 0
	for i, t := range trees {
		if len(t.Nodes) == 0 {
			return nil, fmt.Errorf("%w: tree %d is empty", ErrInvalidEnsemble, i)
		}
		total += len(t.Nodes)
		if total > maxNodes {
			return nil, fmt.Errorf("%w: more than %d nodes", ErrInvalidEnsemble, maxNodes)
		}
	}
	e := &Ensemble{
		numFeatures: numFeatures,
		link:        link,
		base:        base,
		roots:       make([]int32, 0, len(trees)),
		nodes:       make([]node, 0, total),
	}
	for ti, t := range trees {
		off := len(e.nodes)
		e.roots = append(e.roots, int32(off))
		for ni, n := range t.Nodes {
			if err := checkNode(n, ni, len(t.Nodes), numFeatures); err != nil {
				return nil, fmt.Errorf("%w: tree %d node %d: %v", ErrInvalidEnsemble, ti, ni, err)
			}
			if n.Leaf {
				e.nodes = append(e.nodes, node{thr: n.Value, feature: -1})
				continue
			}
			e.nodes = append(e.nodes, node{
				thr:      n.Threshold,
				feature:  int32(n.Feature),
				left:     int32(off + n.Left),
				right:    int32(off + n.Right),
				missLeft: n.MissingLeft,
			})
		}
	}
	return e, nil
}

func checkNode(n Node, i, count, numFeatures int) error {
	if n.Leaf {
		if math.IsNaN(n.Value) || math.IsInf(n.Value, 0) {
			return fmt.Errorf("leaf value %v", n.Value)
		}
		return nil
	}
	if n.Feature < 0 || n.Feature >= numFeatures {
		return fmt.Errorf("feature %d out of [0, %d)", n.Feature, numFeatures)
	}
	if math.IsNaN(n.Threshold) {
		return errors.New("threshold is NaN")
	}
	if n.Left <= i || n.Left >= count || n.Right <= i || n.Right >= count {
		return fmt.Errorf("children %d, %d out of (%d, %d)", n.Left, n.Right, i, count)
	}
	return nil
}

// NumFeatures returns the length of the vectors the ensemble reads.
func (e *Ensemble) NumFeatures() int { return e.numFeatures }

// NumTrees returns the number of trees.
func (e *Ensemble) NumTrees() int { return len(e.roots) }

// NumNodes returns the number of nodes of all trees together.
func (e *Ensemble) NumNodes() int { return len(e.nodes) }

// Link returns how the ensemble turns leaf sums into probabilities.
func (e *Ensemble) Link() Link { return e.link }

// Base returns the constant added to the leaf values.
func (e *Ensemble) Base() float64 { return e.base }

// Trees returns a copy of the trees in the form NewEnsemble takes.
func (e *Ensemble) Trees() []Tree {
	trees := make([]Tree, len(e.roots))
	for i, r := range e.roots {
		end := len(e.nodes)
		if i+1 < len(e.roots) {
			end = int(e.roots[i+1])
		}
		nodes := make([]Node, 0, end-int(r))
		for _, n := range e.nodes[r:end] {
			if n.feature < 0 {
				nodes = append(nodes, Node{Leaf: true, Value: n.thr})
				continue
			}
			nodes = append(nodes, Node{
				Feature:     int(n.feature),
				Threshold:   n.thr,
				MissingLeft: n.missLeft,
				Left:        int(n.left - r),
				Right:       int(n.right - r),
			})
		}
		trees[i] = Tree{Nodes: nodes}
	}
	return trees
}

// Predict returns the probability in [0, 1] that x describes a fake
// account. x holds the features in schema order, NaN where a value is
// unknown; a feature beyond the end of x counts as unknown too.
func (e *Ensemble) Predict(x []float64) float64 {
	return e.finish(e.Raw(x))
}

// Raw returns the base plus the leaf values that x reaches, before the link.
func (e *Ensemble) Raw(x []float64) float64 {
	s := e.base
	nodes := e.nodes
	for _, r := range e.roots {
		i := r
		for {
			n := &nodes[i]
			if n.feature < 0 {
				s += n.thr
				break
			}
			v := math.NaN()
			if int(n.feature) < len(x) {
				v = x[n.feature]
			}
			switch {
			case v <= n.thr:
				i = n.left
			case v > n.thr || !n.missLeft:
				i = n.right
			default:
				i = n.left
			}
		}
	}
	return s
}

func (e *Ensemble) finish(s float64) float64 {
	if e.link == Logistic {
		return 1 / (1 + math.Exp(-s))
	}
	switch {
	case s < 0 || math.IsNaN(s):
		return 0
	case s > 1:
		return 1
	}
	return s
}
