package training

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/sjwhitworth/golearn/base"
	"github.com/sjwhitworth/golearn/trees"

	"bonafide/detect/model"
)

// golearnForest is a bagged forest of golearn ID3 trees, each trained
// through golearn's own API (base.DenseInstances and
// trees.ID3DecisionTree) and exported into the bundle format. ID3 splits
// categorical attributes, so each feature is first cut into a few quantile
// bins, with one more category for missing values. Each exported tree
// votes 1 (fake) or 0 (real), and the ensemble returns the share of trees
// that vote fake.
//
// The bagging is done here rather than by golearn's meta.BaggedModel: in
// the golearn version this module uses, a bootstrap sample made by
// base.SampleWithReplacement loses the pairing of rows and labels (an ID3
// tree fitted on such a sample finds class shares that do not depend on the
// most telling feature), so every bagged tree learns noise. Here the
// bootstrap rows and each tree's features come from the seed; golearn's
// ID3 still breaks ties by map order, so the same data and seed may give a
// slightly different forest.
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
	if opts.ColSample <= 0 || opts.ColSample > 1 {
		opts.ColSample = 0.7
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

// Fit trains the forest on d.
func (g *golearnForest) Fit(ctx context.Context, d Dataset, seed uint64) (_ *model.Ensemble, err error) {
	if hasConstraints(g.opts.Monotone) {
		return nil, fmt.Errorf("fit %s: monotone constraints need gbdt-leafwise", g.Name())
	}
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
	rng := rand.New(rand.NewPCG(seed, 0x67_6f_6c_65_61_72_6e))
	n, p := d.Len(), len(d.Names)
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	bins := newBinner(d, all, g.opts.Bins)
	featureOf := make(map[string]int, p)
	for f, name := range d.Names {
		featureOf[name] = f
	}
	k := max(1, int(math.Ceil(g.opts.ColSample*float64(p))))
	vote := 1 / float64(g.opts.Trees)
	out := make([]model.Tree, 0, g.opts.Trees)
	rows := make([]int, n)
	feats := make([]int, p)
	for len(out) < g.opts.Trees {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("fit golearn-id3: %w", err)
		}
		for i := range rows {
			rows[i] = rng.IntN(n)
		}
		for f := range feats {
			feats[f] = f
		}
		partialShuffle(feats, k, rng)
		chosen := slices.Clone(feats[:k])
		slices.Sort(chosen)
		inst, err := golearnInstances(d, bins, rows, chosen)
		if err != nil {
			return nil, fmt.Errorf("fit golearn-id3: %w", err)
		}
		id3 := trees.NewID3DecisionTree(0)
		if err := id3.Fit(inst); err != nil {
			return nil, fmt.Errorf("fit golearn-id3: tree %d: %w", len(out), err)
		}
		if id3.Root == nil {
			return nil, fmt.Errorf("fit golearn-id3: tree %d: golearn returned no tree", len(out))
		}
		var t []model.Node
		if _, err := exportID3(id3.Root, featureOf, bins.edges, vote, &t); err != nil {
			return nil, fmt.Errorf("fit golearn-id3: export tree %d: %w", len(out), err)
		}
		out = append(out, model.Tree{Nodes: t})
		if g.opts.Progress != nil {
			g.opts.Progress(len(out), g.opts.Trees)
		}
	}
	e, err := model.NewEnsemble(p, model.Identity, 0, out)
	if err != nil {
		return nil, fmt.Errorf("fit golearn-id3: %w", err)
	}
	return e, nil
}

// golearnInstances puts the given rows of d, binned, into golearn's dense
// instances: one categorical attribute per chosen feature, whose categories
// are the bin numbers and missingCategory, and a categorical class
// attribute.
func golearnInstances(d Dataset, bins *binner, rows, feats []int) (*base.DenseInstances, error) {
	inst := base.NewDenseInstances()
	attrs := make([]*base.CategoricalAttribute, len(feats))
	specs := make([]base.AttributeSpec, len(feats))
	for k, f := range feats {
		a := base.NewCategoricalAttribute()
		a.SetName(d.Names[f])
		a.GetSysValFromString(missingCategory)
		for b := 1; b <= len(bins.edges[f])+1; b++ {
			a.GetSysValFromString(strconv.Itoa(b))
		}
		attrs[k] = a
		specs[k] = inst.AddAttribute(a)
	}
	class := base.NewCategoricalAttribute()
	class.SetName("class")
	class.GetSysValFromString(realClass)
	class.GetSysValFromString(fakeClass)
	classSpec := inst.AddAttribute(class)
	if err := inst.AddClassAttribute(class); err != nil {
		return nil, fmt.Errorf("golearn class attribute: %w", err)
	}
	if err := inst.Extend(len(rows)); err != nil {
		return nil, fmt.Errorf("golearn instances: %w", err)
	}
	for at, i := range rows {
		row := bins.row(i)
		for k, f := range feats {
			inst.Set(specs[k], at, attrs[k].GetSysValFromString(category(row[f])))
		}
		label := realClass
		if d.Y[i] {
			label = fakeClass
		}
		inst.Set(classSpec, at, class.GetSysValFromString(label))
	}
	return inst, nil
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
