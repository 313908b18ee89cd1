package training

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/sjwhitworth/golearn/base"
	"github.com/sjwhitworth/golearn/meta"
	"github.com/sjwhitworth/golearn/trees"

	"bonafide/detect/model"
)

// golearnForest is a bagged forest of golearn ID3 trees, trained through
// golearn's own API (meta.BaggedModel of trees.ID3DecisionTree) and
// exported into the bundle format. ID3 splits categorical attributes, so
// each feature is first cut into a few quantile bins, with one more
// category for missing values. Each exported tree votes 1 (fake) or 0
// (real), and the ensemble returns the share of trees that vote fake.
//
// golearn draws its bootstrap samples and feature subsets from the global
// random source, and trains its trees concurrently, so the seed does not
// make this learner reproducible.
type golearnForest struct {
	opts LearnerOptions
}

func newGolearnForest(opts LearnerOptions) *golearnForest {
	if opts.Trees <= 0 {
		opts.Trees = 100
	}
	if opts.Bins <= 0 || opts.Bins > 255 {
		opts.Bins = 10
	}
	return &golearnForest{opts: opts}
}

func (g *golearnForest) Name() string { return "golearn-id3" }

// Category names in the golearn instances.
const (
	missingCategory = "NA"
	fakeClass       = "fake"
	realClass       = "real"
)

// golearnBatch is the number of trees golearn fits at once; golearn starts
// one goroutine per tree.
const golearnBatch = 10

// Fit trains the forest on d. The seed is unused: see golearnForest.
func (g *golearnForest) Fit(ctx context.Context, d Dataset, seed uint64) (_ *model.Ensemble, err error) {
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("fit golearn-id3: %w", err)
	}
	fake, real := d.Counts()
	if fake == 0 || real == 0 {
		return nil, fmt.Errorf("fit golearn-id3: %w: need both classes, have %d fake and %d real", ErrInvalidDataset, fake, real)
	}
	// golearn reports some failures by panicking; turn them into errors.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("fit golearn-id3: golearn panicked: %v", r)
		}
	}()
	all := make([]int, d.Len())
	for i := range all {
		all[i] = i
	}
	bins := newBinner(d, all, g.opts.Bins)
	inst, attrs, err := golearnInstances(d, bins)
	if err != nil {
		return nil, fmt.Errorf("fit golearn-id3: %w", err)
	}
	featureOf := make(map[string]int, len(attrs))
	for f, a := range attrs {
		featureOf[a.GetName()] = f
	}
	randomFeatures := int(math.Ceil(math.Sqrt(float64(len(d.Names)))))
	if g.opts.ColSample > 0 && g.opts.ColSample <= 1 {
		randomFeatures = max(1, int(math.Ceil(g.opts.ColSample*float64(len(d.Names)))))
	}
	vote := 1 / float64(g.opts.Trees)
	out := make([]model.Tree, 0, g.opts.Trees)
	for len(out) < g.opts.Trees {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("fit golearn-id3: %w", err)
		}
		bag := &meta.BaggedModel{RandomFeatures: randomFeatures}
		for range min(golearnBatch, g.opts.Trees-len(out)) {
			bag.AddModel(trees.NewID3DecisionTree(0))
		}
		bag.Fit(inst)
		for _, m := range bag.Models {
			id3, ok := m.(*trees.ID3DecisionTree)
			if !ok || id3.Root == nil {
				return nil, errors.New("fit golearn-id3: golearn returned no tree")
			}
			var t []model.Node
			if _, err := exportID3(id3.Root, featureOf, bins.edges, vote, &t); err != nil {
				return nil, fmt.Errorf("fit golearn-id3: export tree %d: %w", len(out), err)
			}
			out = append(out, model.Tree{Nodes: t})
		}
		if g.opts.Progress != nil {
			g.opts.Progress(len(out), g.opts.Trees)
		}
	}
	e, err := model.NewEnsemble(len(d.Names), model.Identity, 0, out)
	if err != nil {
		return nil, fmt.Errorf("fit golearn-id3: %w", err)
	}
	return e, nil
}

// golearnInstances puts the binned rows of d into golearn's dense
// instances: one categorical attribute per feature, whose categories are
// the bin numbers and missingCategory, and a categorical class attribute.
func golearnInstances(d Dataset, bins *binner) (*base.DenseInstances, []*base.CategoricalAttribute, error) {
	inst := base.NewDenseInstances()
	attrs := make([]*base.CategoricalAttribute, len(d.Names))
	specs := make([]base.AttributeSpec, len(d.Names))
	for f, name := range d.Names {
		a := base.NewCategoricalAttribute()
		a.SetName(name)
		a.GetSysValFromString(missingCategory)
		for b := 1; b <= len(bins.edges[f])+1; b++ {
			a.GetSysValFromString(strconv.Itoa(b))
		}
		attrs[f] = a
		specs[f] = inst.AddAttribute(a)
	}
	class := base.NewCategoricalAttribute()
	class.SetName("class")
	class.GetSysValFromString(realClass)
	class.GetSysValFromString(fakeClass)
	classSpec := inst.AddAttribute(class)
	if err := inst.AddClassAttribute(class); err != nil {
		return nil, nil, fmt.Errorf("golearn class attribute: %w", err)
	}
	if err := inst.Extend(d.Len()); err != nil {
		return nil, nil, fmt.Errorf("golearn instances: %w", err)
	}
	for i := range d.Len() {
		row := bins.row(i)
		for f, b := range row {
			inst.Set(specs[f], i, attrs[f].GetSysValFromString(category(b)))
		}
		label := realClass
		if d.Y[i] {
			label = fakeClass
		}
		inst.Set(classSpec, i, class.GetSysValFromString(label))
	}
	return inst, attrs, nil
}

func category(bin uint8) string {
	if bin == 0 {
		return missingCategory
	}
	return strconv.Itoa(int(bin))
}

// exportID3 appends the bundle form of the ID3 subtree n to out and
// returns its index. A multiway split on a binned feature becomes a first
// split that sends missing values to the missing category's child, then a
// chain of threshold splits, one per bin. A category the node never saw in
// training leads to a leaf with the node's majority class.
func exportID3(n *trees.DecisionTreeNode, featureOf map[string]int, edges [][]float64, vote float64, out *[]model.Node) (int, error) {
	leaf := func(class string) int {
		v := 0.0
		if class == fakeClass {
			v = vote
		}
		*out = append(*out, model.Node{Leaf: true, Value: v})
		return len(*out) - 1
	}
	if n.Children == nil || n.SplitRule == nil || n.SplitRule.SplitAttr == nil {
		return leaf(n.Class), nil
	}
	f, ok := featureOf[n.SplitRule.SplitAttr.GetName()]
	if !ok {
		return 0, fmt.Errorf("split on unknown attribute %q", n.SplitRule.SplitAttr.GetName())
	}
	child := func(cat string) (int, error) {
		if c, ok := n.Children[cat]; ok {
			return exportID3(c, featureOf, edges, vote, out)
		}
		return leaf(n.Class), nil
	}
	top := len(*out)
	*out = append(*out, model.Node{Feature: f, Threshold: math.Inf(1)})
	// Bins 1..k: bin b holds the values up to edges[f][b-1], the last bin
	// the rest.
	k := len(edges[f]) + 1
	var chain func(b int) (int, error)
	chain = func(b int) (int, error) {
		if b == k {
			return child(strconv.Itoa(b))
		}
		at := len(*out)
		*out = append(*out, model.Node{Feature: f, Threshold: edges[f][b-1]})
		l, err := child(strconv.Itoa(b))
		if err != nil {
			return 0, err
		}
		r, err := chain(b + 1)
		if err != nil {
			return 0, err
		}
		(*out)[at].Left, (*out)[at].Right = l, r
		return at, nil
	}
	l, err := chain(1)
	if err != nil {
		return 0, err
	}
	r, err := child(missingCategory)
	if err != nil {
		return 0, err
	}
	(*out)[top].Left, (*out)[top].Right = l, r
	return top, nil
}
