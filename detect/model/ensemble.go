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
	"slices"
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
	// The same trees in faster layouts, when they fit: as oblivious trees
	// (every node of a level has the same split), else padded to complete
	// trees of one depth; nil when they do not fit.
	obl  *oblivious
	full *complete
	// blind is the feature that Predict also scores x without, or -1
	// (see WithBlind); blindTrees are the trees that split on it, the
	// only ones whose sum the second reading changes, otherTrees the rest
	// (with the base).
	blind                  int
	blindTrees, otherTrees *Ensemble
}

// oblivious holds trees whose nodes split alike on each level, all padded
// to one depth: tree t's splits are feature[t*depth:(t+1)*depth] and
// thr[...], one per level from the root, and its 2^depth leaves are indexed
// by the bits of the decisions (the root's decision is the highest bit;
// 1 = right). A split's feature indexes the doubled vector that sum builds:
// feature f with missing values sent left reads slot f, where a missing
// value is -Inf; sent right it reads slot obliviousSlots/2 + f, where a
// missing value is +Inf. So every decision is one comparison.
type oblivious struct {
	depth   int
	feature []uint8
	thr     []float64
	leaves  []float64
}

// obliviousSlots is the size of the doubled vector: ensembles of more than
// half as many features score another way.
const obliviousSlots = 128

// complete holds every tree as a complete binary tree of one depth: inner
// nodes in heap order (the children of i are 2i+1 and 2i+2), then leaves.
// A leaf above the full depth is padded with splits that send every value,
// missing ones too, to copies of itself.
type complete struct {
	depth  int
	inner  int // inner nodes per tree: 2^depth - 1
	nodes  []fullNode
	leaves []float64
}

type fullNode struct {
	thr       float64
	feature   int32
	missRight int32 // 1 when a missing value goes right
}

// maxCompleteDepth and maxCompleteNodes bound the padded layout: deeper or
// larger ensembles score by walking their trees.
const (
	maxCompleteDepth = 10
	maxCompleteNodes = 1 << 22
)

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
		blind:       -1,
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
	if e.obl = e.oblivious(); e.obl == nil {
		e.full = e.complete()
	}
	return e, nil
}

// oblivious returns the oblivious layout of e, or nil when a tree is not
// oblivious, too deep, or splits at -Inf, or when e reads too many
// features. A split at +Inf (present values left, missing ones right: the
// learners' split of present against missing) is laid out at the largest
// float, and sum reads a present +Inf as the largest float too, so that it
// still goes left while a missing value (+Inf in its slot) goes right.
func (e *Ensemble) oblivious() *oblivious {
	if e.numFeatures > obliviousSlots/2 || len(e.roots) == 0 {
		return nil
	}
	type level struct {
		feature  int32
		thr      float64
		missLeft bool
	}
	trees := make([][]level, len(e.roots))
	leaves := make([][]float64, len(e.roots))
	depth := 0
	for t, r := range e.roots {
		d := e.depth(r)
		if d > maxCompleteDepth {
			return nil
		}
		depth = max(depth, d)
		// Walk the levels breadth first: all nodes of a level must split
		// alike, and all leaves must sit on the last level.
		nodes := []int32{r}
		for range d {
			first := e.nodes[nodes[0]]
			next := make([]int32, 0, 2*len(nodes))
			for _, i := range nodes {
				n := e.nodes[i]
				if n.feature < 0 || n.feature != first.feature || n.thr != first.thr || n.missLeft != first.missLeft {
					return nil
				}
				next = append(next, n.left, n.right)
			}
			thr := first.thr
			switch {
			case math.IsInf(thr, -1):
				return nil
			case math.IsInf(thr, 1):
				thr = math.MaxFloat64
			}
			trees[t] = append(trees[t], level{first.feature, thr, first.missLeft})
			nodes = next
		}
		for _, i := range nodes {
			if e.nodes[i].feature >= 0 {
				return nil
			}
			leaves[t] = append(leaves[t], e.nodes[i].thr)
		}
	}
	if !e.paddingFits(len(e.roots) << depth) {
		return nil
	}
	o := &oblivious{depth: depth}
	for t, levels := range trees {
		for _, l := range levels {
			slot := uint8(l.feature)
			if !l.missLeft {
				slot += obliviousSlots / 2
			}
			o.feature = append(o.feature, slot)
			o.thr = append(o.thr, l.thr)
		}
		// Pad a shallower tree with splits that always go left: a value
		// is never above +Inf, and slot 0 never holds NaN.
		pad := depth - len(levels)
		for range pad {
			o.feature = append(o.feature, 0)
			o.thr = append(o.thr, math.Inf(1))
		}
		for _, v := range leaves[t] {
			for range 1 << pad {
				o.leaves = append(o.leaves, v)
			}
		}
	}
	return o
}

// slots is the doubled vector that oblivious trees read: 256 slots, so
// that a uint8 slot needs no bounds check; only the first obliviousSlots
// are used.
type slots [256]float64

// fill sets xx from x: slot f and obliviousSlots/2+f hold x[f], or -Inf
// and +Inf when it is missing; a present +Inf is read as the largest
// float (see oblivious).
func (xx *slots) fill(x []float64) {
	const half = obliviousSlots / 2
	for f, v := range x[:min(len(x), half)] {
		xx[f], xx[half+f] = v, v
		switch {
		case v != v:
			xx[f], xx[half+f] = math.Inf(-1), math.Inf(1)
		case v > math.MaxFloat64:
			xx[f], xx[half+f] = math.MaxFloat64, math.MaxFloat64
		}
	}
}

// forget marks feature f of xx missing.
func (xx *slots) forget(f int) {
	xx[f], xx[obliviousSlots/2+f] = math.Inf(-1), math.Inf(1)
}

// sum adds the leaf values that x reaches. x must hold every feature.
func (o *oblivious) sum(x []float64) float64 {
	var xx slots
	xx.fill(x)
	return o.sumSlots(&xx)
}

// sumSlots adds the leaf values that the vector in xx reaches. The
// comparisons of one tree do not depend on each other, so the processor
// runs them side by side.
func (o *oblivious) sumSlots(xx *slots) float64 {
	if o.depth == 4 {
		return o.sum4(xx)
	}
	var s float64
	d := o.depth
	feature, thr, leaves := o.feature, o.thr, o.leaves
	for len(feature) >= d && len(thr) >= d && len(leaves) >= 1<<d {
		idx := 0
		for j, f := range feature[:d] {
			idx = idx<<1 | above(xx[f], thr[j])
		}
		s += leaves[idx&(1<<d-1)]
		feature, thr, leaves = feature[d:], thr[d:], leaves[1<<d:]
	}
	return s
}

// sum4 is sum for trees of depth 4, the learner's default, unrolled.
func (o *oblivious) sum4(xx *slots) float64 {
	var s float64
	feature, thr, leaves := o.feature, o.thr, o.leaves
	for len(feature) >= 4 && len(thr) >= 4 && len(leaves) >= 16 {
		idx := above(xx[feature[0]], thr[0])<<3 |
			above(xx[feature[1]], thr[1])<<2 |
			above(xx[feature[2]], thr[2])<<1 |
			above(xx[feature[3]], thr[3])
		s += leaves[idx&15]
		feature, thr, leaves = feature[4:], thr[4:], leaves[16:]
	}
	return s
}

// above returns 1 when v > thr, else 0, without a branch.
func above(v, thr float64) int {
	if v > thr {
		return 1
	}
	return 0
}

// complete returns the padded layout of e, or nil when e is too deep or
// has no features to pad with.
func (e *Ensemble) complete() *complete {
	if e.numFeatures == 0 || len(e.roots) == 0 {
		return nil
	}
	depth := 0
	for _, r := range e.roots {
		d := e.depth(r)
		if d > maxCompleteDepth {
			return nil
		}
		depth = max(depth, d)
	}
	inner := 1<<depth - 1
	if !e.paddingFits(len(e.roots) * (inner + 1)) {
		return nil
	}
	c := &complete{
		depth:  depth,
		inner:  inner,
		nodes:  make([]fullNode, len(e.roots)*inner),
		leaves: make([]float64, len(e.roots)*(inner+1)),
	}
	for t, r := range e.roots {
		c.place(e.nodes, r, c.nodes[t*inner:(t+1)*inner], c.leaves[t*(inner+1):(t+1)*(inner+1)], 0)
	}
	return c
}

// place writes node i of nodes at heap position h of one tree.
func (c *complete) place(nodes []node, i int32, inner []fullNode, leaves []float64, h int) {
	if h >= c.inner {
		leaves[h-c.inner] = nodes[i].thr
		return
	}
	n := nodes[i]
	if n.feature < 0 {
		inner[h] = fullNode{thr: math.Inf(1)}
		c.place(nodes, i, inner, leaves, 2*h+1)
		c.place(nodes, i, inner, leaves, 2*h+2)
		return
	}
	inner[h] = fullNode{thr: n.thr, feature: n.feature}
	if !n.missLeft {
		inner[h].missRight = 1
	}
	c.place(nodes, n.left, inner, leaves, 2*h+1)
	c.place(nodes, n.right, inner, leaves, 2*h+2)
}

// paddingFits reports whether a padded layout of n leaves is worth
// building: bounded in size, and not much larger than the trees themselves
// (a few deep trees among many stumps would pad every stump).
func (e *Ensemble) paddingFits(n int) bool {
	return n <= maxCompleteNodes && n <= 4*len(e.nodes)+1024
}

// depth returns the depth of the subtree at node i; a leaf has depth 0.
func (e *Ensemble) depth(i int32) int {
	n := e.nodes[i]
	if n.feature < 0 {
		return 0
	}
	return 1 + max(e.depth(n.left), e.depth(n.right))
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

// WithBlind returns a copy of e whose Predict, when x has a value for
// feature, averages two probabilities: of x as given and of x with that
// feature unknown. A feature that only some of the training sets carry
// (the account's age, which only the Twitter sets have) sends every row
// that has it down what the trees learned from those sets alone; the blind
// reading lets what the other sets taught weigh in as well.
func (e *Ensemble) WithBlind(feature int) (*Ensemble, error) {
	if feature < 0 || feature >= e.numFeatures {
		return nil, fmt.Errorf("%w: blind feature %d of %d", ErrInvalidEnsemble, feature, e.numFeatures)
	}
	var uses, others []Tree
	for _, t := range e.Trees() {
		if slices.ContainsFunc(t.Nodes, func(n Node) bool { return !n.Leaf && n.Feature == feature }) {
			uses = append(uses, t)
		} else {
			others = append(others, t)
		}
	}
	sub, err := NewEnsemble(e.numFeatures, e.link, 0, uses)
	if err != nil {
		return nil, err
	}
	rest, err := NewEnsemble(e.numFeatures, e.link, e.base, others)
	if err != nil {
		return nil, err
	}
	c := *e
	c.blind, c.blindTrees, c.otherTrees = feature, sub, rest
	return &c, nil
}

// Blind returns the feature that Predict also scores without (see
// WithBlind), or -1.
func (e *Ensemble) Blind() int { return e.blind }

// Predict returns the probability in [0, 1] that x describes a fake
// account. x holds the features in schema order, NaN where a value is
// unknown; a feature beyond the end of x counts as unknown too. With a
// blind feature (WithBlind) that x has, it is the mean of the two
// readings.
func (e *Ensemble) Predict(x []float64) float64 {
	b := e.blind
	if b < 0 || b >= len(x) || x[b] != x[b] {
		return e.finish(e.Raw(x))
	}
	// Read x twice; only the trees that split on b change their leaf, so
	// the others are summed once.
	sub, rest := e.blindTrees, e.otherTrees
	if sub.obl != nil && (rest.obl != nil || len(rest.roots) == 0) && len(x) >= e.numFeatures {
		var xx slots
		xx.fill(x)
		other := rest.base
		if rest.obl != nil {
			other += rest.obl.sumSlots(&xx)
		}
		with := sub.obl.sumSlots(&xx)
		xx.forget(b)
		return (e.finish(other+with) + e.finish(other+sub.obl.sumSlots(&xx))) / 2
	}
	var buf [64]float64
	y := append(buf[:0], x...)
	y[b] = math.NaN()
	other := rest.Raw(x)
	return (e.finish(other+sub.Raw(x)) + e.finish(other+sub.Raw(y))) / 2
}

// Raw returns the base plus the leaf values that x reaches, before the link.
func (e *Ensemble) Raw(x []float64) float64 {
	if len(x) >= e.numFeatures {
		switch {
		case e.obl != nil:
			return e.base + e.obl.sum(x)
		case e.full != nil:
			return e.base + e.full.sum(x)
		}
	}
	return e.walk(x)
}

// sum adds the leaf values that x reaches without branching on x: every
// tree takes the same number of steps, so the trees' steps overlap in the
// processor. x must hold every feature.
func (c *complete) sum(x []float64) float64 {
	var s float64
	inner, depth := c.inner, c.depth
	nodes, leaves := c.nodes, c.leaves
	for len(leaves) > inner {
		tree := nodes[:inner]
		h := 0
		for range depth {
			n := &tree[h]
			v := x[n.feature]
			r := 0
			if v > n.thr {
				r = 1
			}
			if v != v {
				r = int(n.missRight)
			}
			h = 2*h + 1 + r
		}
		s += leaves[h-inner]
		nodes, leaves = nodes[inner:], leaves[inner+1:]
	}
	return s
}

// walk adds the leaf values that x reaches by walking each tree.
func (e *Ensemble) walk(x []float64) float64 {
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
