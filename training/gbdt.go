package training

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"bonafide/detect/model"
)

// gbdt is a gradient-boosted tree learner on log loss. Features are cut
// into quantile bins once; missing values get a bin of their own, and each
// split learns which side they go to. By default the trees are oblivious
// (every node of a level splits alike, as in CatBoost), which scores in a
// few independent comparisons per tree; leafwise trees grow best-first
// under a leaf and a depth limit instead. All randomness (row and feature sampling, the
// validation split) comes from the seed, and the fit runs on one goroutine
// in a fixed order, so the same data and seed give the same model at any
// GOMAXPROCS.
type gbdt struct {
	opts     LearnerOptions
	leafwise bool
}

func newGBDT(opts LearnerOptions, leafwise bool) *gbdt {
	return &gbdt{opts: opts.gbdtDefaults(leafwise), leafwise: leafwise}
}

// gbdtDefaults returns o with the gbdt defaults in place of zero fields.
// Oblivious trees are 4 levels deep (16 leaves); leafwise trees may reach
// 6 levels but at most 24 leaves.
func (o LearnerOptions) gbdtDefaults(leafwise bool) LearnerOptions {
	if o.Trees <= 0 {
		o.Trees = 150
	}
	if o.LearningRate <= 0 {
		o.LearningRate = 0.3
	}
	if o.MaxDepth <= 0 {
		o.MaxDepth = 4
		if leafwise {
			o.MaxDepth = 6
		}
	}
	if o.MaxLeaves <= 0 {
		o.MaxLeaves = 24
	}
	if o.MinLeaf <= 0 {
		o.MinLeaf = 10
	}
	if o.Bins <= 0 || o.Bins > 255 {
		o.Bins = 255
	}
	if o.L2 <= 0 {
		o.L2 = 1
	}
	if o.Subsample <= 0 || o.Subsample > 1 {
		o.Subsample = 0.8
	}
	if o.ColSample <= 0 || o.ColSample > 1 {
		o.ColSample = 1
	}
	if o.ValidFraction == 0 || o.ValidFraction >= 1 {
		o.ValidFraction = 0.1
	}
	if o.Patience <= 0 {
		o.Patience = 40
	}
	return o
}

func (g *gbdt) Name() string {
	if g.leafwise {
		return "gbdt-leafwise"
	}
	return "gbdt"
}

// minValidRows is the fewest rows per class that early stopping needs;
// below it the whole dataset trains and all rounds run.
const minValidRows = 10

// refitBelow is the number of rows under which, after early stopping has
// chosen the number of rounds on the validation split, the model is fitted
// again on every row for that many rounds: on a small set the held-out
// rows are worth having back, on a large one they are not worth the time.
const refitBelow = 20000

// Fit trains gradient-boosted trees on d.
func (g *gbdt) Fit(ctx context.Context, d Dataset, seed uint64) (*model.Ensemble, error) {
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("fit %s: %w", g.Name(), err)
	}
	fake, real := d.Counts()
	if fake == 0 || real == 0 {
		return nil, fmt.Errorf("fit %s: %w: need both classes, have %d fake and %d real", g.Name(), ErrInvalidDataset, fake, real)
	}
	if !g.leafwise && hasConstraints(g.opts.Monotone) {
		return nil, fmt.Errorf("fit %s: monotone constraints need gbdt-leafwise", g.Name())
	}
	rng := rand.New(rand.NewPCG(seed, 0x62_6f_6e_61_66_69_64_65))
	b := booster{g: g, d: d, w: rowWeights(d, !g.opts.NoClassWeights), rng: rng}
	train, valid := stratifiedSplit(d.Y, g.opts.ValidFraction, rng)
	e, err := b.boost(ctx, train, valid, g.opts.Trees, g.opts.Progress)
	if err == nil && len(valid) > 0 && d.Len() < refitBelow {
		e, err = b.boost(ctx, append(train, valid...), nil, max(1, e.NumTrees()), nil)
	}
	if err != nil {
		return nil, fmt.Errorf("fit %s: %w", g.Name(), err)
	}
	return e, nil
}

// booster runs the boosting rounds of one fit.
type booster struct {
	g   *gbdt
	d   Dataset
	w   []float64
	rng *rand.Rand
}

// boost fits up to rounds trees on the rows in train, stopping early when
// the loss on valid has not improved for Patience rounds, and returns the
// ensemble of the best round. With no valid rows it fits all rounds.
func (b *booster) boost(ctx context.Context, train, valid []int, rounds int, progress func(done, total int)) (*model.Ensemble, error) {
	o, d, w, rng := b.g.opts, b.d, b.w, b.rng
	slices.Sort(train)
	bins := newBinner(d, train, o.Bins)
	p := len(d.Names)
	y := make([]float64, d.Len())
	for i, fk := range d.Y {
		if fk {
			y[i] = 1
		}
	}
	var wPos, wNeg float64
	for _, i := range train {
		if d.Y[i] {
			wPos += w[i]
		} else {
			wNeg += w[i]
		}
	}
	if wPos <= 0 || wNeg <= 0 {
		return nil, fmt.Errorf("%w: a class has zero total weight", ErrInvalidDataset)
	}
	base := math.Log(wPos / wNeg)

	raw := make([]float64, d.Len())
	for i := range raw {
		raw[i] = base
	}
	grad := make([]float64, d.Len())
	hess := make([]float64, d.Len())
	gr := grower{
		opts:     o,
		bins:     bins,
		p:        p,
		grad:     grad,
		hess:     hess,
		nbins:    o.Bins + 1,
		monotone: make([]int, p),
	}
	for f, name := range b.d.Names {
		gr.monotone[f] = o.Monotone[name]
	}
	var (
		trees     []gtree
		bestLoss  = math.Inf(1)
		bestTrees = 0
	)
	sampleRows := max(1, int(math.Round(o.Subsample*float64(len(train)))))
	sampleCols := max(1, int(math.Ceil(o.ColSample*float64(p))))
	rows := make([]int, 0, len(train))
	colPerm := make([]int, p)
	for f := range colPerm {
		colPerm[f] = f
	}
	for round := range rounds {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for _, i := range train {
			pr := sigmoid(raw[i])
			grad[i] = w[i] * (pr - y[i])
			hess[i] = max(w[i]*pr*(1-pr), 1e-16)
		}
		rows = selectSorted(rows[:0], train, sampleRows, rng)
		cols := colPerm
		if sampleCols < p {
			partialShuffle(colPerm, sampleCols, rng)
			cols = slices.Clone(colPerm[:sampleCols])
			slices.Sort(cols)
		}
		var t gtree
		if b.g.leafwise {
			t = gr.grow(rows, cols)
		} else {
			t = gr.growOblivious(rows, cols)
		}
		trees = append(trees, t)
		for _, i := range train {
			raw[i] += t.predict(bins.row(i))
		}
		if len(valid) > 0 {
			var loss, sw float64
			for _, i := range valid {
				raw[i] += t.predict(bins.row(i))
				loss += w[i] * logLoss(raw[i], d.Y[i])
				sw += w[i]
			}
			loss /= sw
			if loss < bestLoss {
				bestLoss, bestTrees = loss, len(trees)
			} else if len(trees)-bestTrees >= o.Patience {
				if progress != nil {
					progress(rounds, rounds)
				}
				break
			}
		} else {
			bestTrees = len(trees)
		}
		if progress != nil {
			progress(round+1, rounds)
		}
	}
	out := make([]model.Tree, bestTrees)
	for k, t := range trees[:bestTrees] {
		out[k] = t.export(bins.edges)
	}
	return model.NewEnsemble(p, model.Logistic, base, out)
}

// rowWeights returns each row's weight, scaled when balance is set so that
// fake and real rows weigh the same in total and the mean weight is 1.
func rowWeights(d Dataset, balance bool) []float64 {
	w := make([]float64, d.Len())
	var sum [2]float64
	for i := range w {
		w[i] = 1
		if d.Weight != nil {
			w[i] = d.Weight[i]
		}
		sum[b2i(d.Y[i])] += w[i]
	}
	if !balance || sum[0] == 0 || sum[1] == 0 {
		return w
	}
	n := float64(len(w))
	scale := [2]float64{n / 2 / sum[0], n / 2 / sum[1]}
	for i := range w {
		w[i] *= scale[b2i(d.Y[i])]
	}
	return w
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// stratifiedSplit draws frac of each class's rows for validation. It
// returns both index lists in ascending order. When frac is negative or a
// class has too few rows, every row trains and valid is empty.
func stratifiedSplit(y []bool, frac float64, rng *rand.Rand) (train, valid []int) {
	var byClass [2][]int
	for i, v := range y {
		byClass[b2i(v)] = append(byClass[b2i(v)], i)
	}
	if frac <= 0 {
		return append(byClass[0], byClass[1]...), nil
	}
	take := [2]int{}
	for c := range byClass {
		take[c] = int(math.Round(frac * float64(len(byClass[c]))))
		if take[c] < 1 || len(byClass[c])-take[c] < minValidRows {
			all := make([]int, len(y))
			for i := range all {
				all[i] = i
			}
			return all, nil
		}
	}
	for c, idx := range byClass {
		partialShuffle(idx, take[c], rng)
		valid = append(valid, idx[:take[c]]...)
		train = append(train, idx[take[c]:]...)
	}
	slices.Sort(train)
	slices.Sort(valid)
	return train, valid
}

// selectSorted appends to dst k elements of src drawn uniformly without
// replacement, in src order (Knuth's selection sampling).
func selectSorted(dst, src []int, k int, rng *rand.Rand) []int {
	if k >= len(src) {
		return append(dst, src...)
	}
	need := k
	for i, v := range src {
		if rng.IntN(len(src)-i) < need {
			dst = append(dst, v)
			need--
			if need == 0 {
				break
			}
		}
	}
	return dst
}

// partialShuffle moves k uniformly drawn elements of s to its front.
func partialShuffle(s []int, k int, rng *rand.Rand) {
	for i := range k {
		j := i + rng.IntN(len(s)-i)
		s[i], s[j] = s[j], s[i]
	}
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// logLoss is the log loss of raw score s for label y, computed stably.
func logLoss(s float64, y bool) float64 {
	if y {
		s = -s
	}
	// log(1 + exp(s))
	if s > 0 {
		return s + math.Log1p(math.Exp(-s))
	}
	return math.Log1p(math.Exp(s))
}

// binner holds the binned training matrix. Bin 0 is for missing values;
// bin b >= 1 holds the values v with edges[f][b-2] < v <= edges[f][b-1].
type binner struct {
	p     int
	edges [][]float64
	data  []uint8 // row-major, p per row
}

func (b *binner) row(i int) []uint8 { return b.data[i*b.p : (i+1)*b.p] }

// newBinner cuts each feature at quantiles of the rows in train and bins
// every row of d.
func newBinner(d Dataset, train []int, maxBins int) *binner {
	p := len(d.Names)
	b := &binner{p: p, edges: make([][]float64, p), data: make([]uint8, d.Len()*p)}
	vals := make([]float64, 0, len(train))
	for f := range p {
		vals = vals[:0]
		for _, i := range train {
			if v := d.X[i][f]; !math.IsNaN(v) {
				vals = append(vals, v)
			}
		}
		slices.Sort(vals)
		b.edges[f] = quantileEdges(vals, maxBins)
	}
	for i, row := range d.X {
		out := b.data[i*p : (i+1)*p]
		for f, v := range row {
			out[f] = binOf(b.edges[f], v)
		}
	}
	return b
}

func binOf(edges []float64, v float64) uint8 {
	if math.IsNaN(v) {
		return 0
	}
	j, _ := slices.BinarySearch(edges, v)
	return uint8(j + 1)
}

// quantileEdges returns at most maxBins-1 cut points for the sorted values,
// each halfway between two neighbouring distinct values, so that the bins
// hold about equal numbers of values.
func quantileEdges(sorted []float64, maxBins int) []float64 {
	n := len(sorted)
	if n == 0 {
		return nil
	}
	var edges []float64
	fits := distinctAtMost(sorted, maxBins)
	target := float64(n) / float64(maxBins)
	next := target
	for i := 0; i < n; {
		j := i
		for j < n && sorted[j] == sorted[i] {
			j++
		}
		if j == n {
			break
		}
		// Distinct value sorted[i] ends at j; cut after it when the bin
		// has reached its share, or when every distinct value fits a bin.
		if fits || float64(j) >= next {
			a, c := sorted[i], sorted[j]
			m := a/2 + c/2
			if m < a || m >= c {
				m = a
			}
			edges = append(edges, m)
			for next <= float64(j) {
				next += target
			}
			if len(edges) == maxBins-1 {
				break
			}
		}
		i = j
	}
	return edges
}

func distinctAtMost(sorted []float64, k int) bool {
	n := 0
	for i := range sorted {
		if i == 0 || sorted[i] != sorted[i-1] {
			n++
			if n > k {
				return false
			}
		}
	}
	return true
}

// gnode is a node of a tree under construction, splitting on bins.
type gnode struct {
	leaf        bool
	value       float64
	feature     int
	bin         uint8 // rows with bin <= this (and > 0) go left
	missLeft    bool
	left, right int
}

type gtree struct{ nodes []gnode }

func (t gtree) predict(row []uint8) float64 {
	i := 0
	for {
		n := &t.nodes[i]
		if n.leaf {
			return n.value
		}
		b := row[n.feature]
		switch {
		case b == 0 && n.missLeft, b != 0 && b <= n.bin:
			i = n.left
		default:
			i = n.right
		}
	}
}

// export converts the tree to the bundle form in depth-first order, so that
// children follow their parent.
func (t gtree) export(edges [][]float64) model.Tree {
	var out []model.Node
	var walk func(i int) int
	walk = func(i int) int {
		n := t.nodes[i]
		at := len(out)
		if n.leaf {
			out = append(out, model.Node{Leaf: true, Value: n.value})
			return at
		}
		// A split above the last edge sends every present value left: it
		// only separates the missing ones, and its threshold is +Inf.
		thr := math.Inf(1)
		if e := edges[n.feature]; int(n.bin)-1 < len(e) {
			thr = e[n.bin-1]
		}
		out = append(out, model.Node{
			Feature:     n.feature,
			Threshold:   thr,
			MissingLeft: n.missLeft,
		})
		l := walk(n.left)
		r := walk(n.right)
		out[at].Left, out[at].Right = l, r
		return at
	}
	walk(0)
	return model.Tree{Nodes: out}
}

// histBin sums the gradients, hessians and rows of one bin.
type histBin struct {
	g, h float64
	n    int
}

// grower grows one tree at a time.
type grower struct {
	opts       LearnerOptions
	bins       *binner
	p          int
	nbins      int
	grad, hess []float64
	free       [][]histBin
	scratch    []int
	monotone   []int // per feature: +1, -1 or 0 (see LearnerOptions.Monotone)
}

// candidate is a leaf that may be split.
type candidate struct {
	node       int
	rows       []int
	depth      int
	hist       []histBin
	g, h       float64
	split      split
	splittable bool
	// lo and hi bound the leaf value (before shrinkage) so that the tree
	// keeps its monotone constraints.
	lo, hi float64
}

type split struct {
	gain     float64
	feature  int
	bin      uint8
	missLeft bool
}

func (gr *grower) newHist() []histBin {
	if n := len(gr.free); n > 0 {
		h := gr.free[n-1]
		gr.free = gr.free[:n-1]
		clear(h)
		return h
	}
	return make([]histBin, gr.p*gr.nbins)
}

func (gr *grower) buildHist(rows, cols []int) []histBin {
	h := gr.newHist()
	p, nb := gr.p, gr.nbins
	data := gr.bins.data
	for _, i := range rows {
		row := data[i*p : (i+1)*p]
		g, hs := gr.grad[i], gr.hess[i]
		for _, f := range cols {
			e := &h[f*nb+int(row[f])]
			e.g += g
			e.h += hs
			e.n++
		}
	}
	return h
}

// grow builds one tree on rows using the features in cols.
func (gr *grower) grow(rows, cols []int) gtree {
	o := gr.opts
	t := gtree{nodes: []gnode{{leaf: true}}}
	root := &candidate{node: 0, rows: rows, hist: gr.buildHist(rows, cols), lo: math.Inf(-1), hi: math.Inf(1)}
	for _, i := range rows {
		root.g += gr.grad[i]
		root.h += gr.hess[i]
	}
	gr.findSplit(root, cols)
	leaves := []*candidate{root}
	for len(leaves) < o.MaxLeaves {
		best := -1
		for k, c := range leaves {
			if c.splittable && (best < 0 || c.split.gain > leaves[best].split.gain) {
				best = k
			}
		}
		if best < 0 {
			break
		}
		c := leaves[best]
		leaves = slices.Delete(leaves, best, best+1)
		l, r := gr.apply(c, &t)
		gr.childHists(l, r, c.hist, cols)
		for _, ch := range []*candidate{l, r} {
			gr.findSplit(ch, cols)
			leaves = append(leaves, ch)
		}
	}
	for _, c := range leaves {
		t.nodes[c.node].value = min(max(-c.g/(c.h+o.L2), c.lo), c.hi) * o.LearningRate
		if c.hist != nil {
			gr.free = append(gr.free, c.hist)
		}
	}
	return t
}

// apply splits candidate c, turning its node into a split with two leaves.
func (gr *grower) apply(c *candidate, t *gtree) (l, r *candidate) {
	s := c.split
	f := s.feature
	// Partition c.rows in place, both sides kept in row order.
	nl := 0
	right := gr.scratch[:0]
	for _, i := range c.rows {
		b := gr.bins.data[i*gr.p+f]
		if (b == 0 && s.missLeft) || (b != 0 && b <= s.bin) {
			c.rows[nl] = i
			nl++
		} else {
			right = append(right, i)
		}
	}
	copy(c.rows[nl:], right)
	gr.scratch = right
	left := c.rows[:nl:nl]
	right = c.rows[nl:]
	li, ri := len(t.nodes), len(t.nodes)+1
	t.nodes = append(t.nodes, gnode{leaf: true}, gnode{leaf: true})
	t.nodes[c.node] = gnode{feature: f, bin: s.bin, missLeft: s.missLeft, left: li, right: ri}
	l = &candidate{node: li, rows: left, depth: c.depth + 1}
	r = &candidate{node: ri, rows: right, depth: c.depth + 1}
	for _, i := range left {
		l.g += gr.grad[i]
		l.h += gr.hess[i]
	}
	r.g, r.h = c.g-l.g, c.h-l.h
	l.lo, l.hi, r.lo, r.hi = c.lo, c.hi, c.lo, c.hi
	if m := gr.monotone[f]; m != 0 {
		// The left child holds the smaller values: with an increasing
		// constraint everything below must stay under the midpoint of
		// the two children, and everything to the right above it.
		lam := gr.opts.L2
		wl := min(max(-l.g/(l.h+lam), c.lo), c.hi)
		wr := min(max(-r.g/(r.h+lam), c.lo), c.hi)
		mid := (wl + wr) / 2
		if m > 0 {
			l.hi, r.lo = mid, mid
		} else {
			l.lo, r.hi = mid, mid
		}
	}
	return l, r
}

// findSplit sets c.split to the best split of c, if any gains.
func (gr *grower) findSplit(c *candidate, cols []int) {
	o := gr.opts
	c.splittable = false
	if c.depth >= o.MaxDepth || len(c.rows) < 2*o.MinLeaf {
		return
	}
	lambda := o.L2
	score := func(g, h float64) float64 { return g * g / (h + lambda) }
	parent := score(c.g, c.h)
	best := split{gain: 1e-12}
	nb := gr.nbins
	n := len(c.rows)
	for _, f := range cols {
		hist := c.hist[f*nb : (f+1)*nb]
		miss := hist[0]
		gl, hl, nl := 0.0, 0.0, 0
		gTot, hTot := c.g-miss.g, c.h-miss.h
		nTot := n - miss.n
		for b := 1; b < nb-1; b++ {
			e := hist[b]
			gl += e.g
			hl += e.h
			nl += e.n
			if e.n == 0 {
				continue
			}
			if nl >= nTot {
				break
			}
			gr_, hr := gTot-gl, hTot-hl
			nr := nTot - nl
			// Missing values to the right.
			if nl >= o.MinLeaf && nr+miss.n >= o.MinLeaf {
				gain := score(gl, hl) + score(gr_+miss.g, hr+miss.h) - parent
				if gain > best.gain && gr.keepsOrder(c, f, gl, hl, gr_+miss.g, hr+miss.h) {
					best = split{gain: gain, feature: f, bin: uint8(b), missLeft: false}
				}
			}
			// Missing values to the left, when there are any.
			if miss.n > 0 && nl+miss.n >= o.MinLeaf && nr >= o.MinLeaf {
				gain := score(gl+miss.g, hl+miss.h) + score(gr_, hr) - parent
				if gain > best.gain && gr.keepsOrder(c, f, gl+miss.g, hl+miss.h, gr_, hr) {
					best = split{gain: gain, feature: f, bin: uint8(b), missLeft: true}
				}
			}
		}
		// Present values left, missing ones right: the split the loop
		// above never reaches (it stops once every present row is left),
		// and the only one a feature with one value here has. Its bin
		// lies past the last edge, so its threshold is +Inf.
		if miss.n >= o.MinLeaf && nTot >= o.MinLeaf {
			gain := score(gTot, hTot) + score(miss.g, miss.h) - parent
			if gain > best.gain && gr.keepsOrder(c, f, gTot, hTot, miss.g, miss.h) {
				best = split{gain: gain, feature: f, bin: uint8(nb - 1), missLeft: false}
			}
		}
	}
	if best.gain <= 1e-12 {
		return
	}
	if hist := c.hist[best.feature*nb : (best.feature+1)*nb]; hist[0].n == 0 {
		// No training row of this node lacks the feature.
		nl := 0
		for b := 1; b <= int(best.bin); b++ {
			nl += hist[b].n
		}
		best.missLeft = unseenMissingLeft(nl, n-nl)
	}
	c.split = best
	c.splittable = true
}

// keepsOrder reports whether splitting c on feature f into sides with
// these gradient and hessian sums keeps f's monotone constraint: the
// right side (larger values) must not get a smaller leaf value than the
// left for an increasing feature, nor a larger one for a decreasing one.
func (gr *grower) keepsOrder(c *candidate, f int, gl, hl, grt, hr float64) bool {
	m := gr.monotone[f]
	if m == 0 {
		return true
	}
	lam := gr.opts.L2
	wl := min(max(-gl/(hl+lam), c.lo), c.hi)
	wr := min(max(-grt/(hr+lam), c.lo), c.hi)
	return float64(m)*(wr-wl) >= 0
}

// level is one node of an oblivious tree's current level.
type level struct {
	rows []int
	hist []histBin
	g, h float64
}

// growOblivious builds one oblivious tree on rows using the features in
// cols: every node of a level splits on the same feature, threshold and
// missing-value direction, chosen to maximise the gain summed over the
// level's nodes. Such a tree scores as a few independent comparisons.
func (gr *grower) growOblivious(rows, cols []int) gtree {
	o := gr.opts
	nb := gr.nbins
	lambda := o.L2
	score := func(g, h float64) float64 { return g * g / (h + lambda) }
	root := level{rows: rows, hist: gr.buildHist(rows, cols)}
	for _, i := range rows {
		root.g += gr.grad[i]
		root.h += gr.hess[i]
	}
	nodes := []level{root}
	var splits []split
	// gains[2*b+m] sums, over the level's nodes, the gain of sending bins
	// 1..b left, with missing values left when m is 1.
	gains := make([]float64, 2*nb)
	for len(splits) < o.MaxDepth {
		best := split{gain: 1e-12}
		for _, f := range cols {
			clear(gains)
			for _, nd := range nodes {
				hist := nd.hist[f*nb : (f+1)*nb]
				miss := hist[0]
				parent := score(nd.g, nd.h)
				gl, hl := 0.0, 0.0
				gTot, hTot := nd.g-miss.g, nd.h-miss.h
				for b := 1; b < nb-1; b++ {
					gl += hist[b].g
					hl += hist[b].h
					gr_, hr := gTot-gl, hTot-hl
					gains[2*b] += score(gl, hl) + score(gr_+miss.g, hr+miss.h) - parent
					gains[2*b+1] += score(gl+miss.g, hl+miss.h) + score(gr_, hr) - parent
				}
			}
			for b := 1; b < nb-1; b++ {
				for m := range 2 {
					if gains[2*b+m] > best.gain {
						best = split{gain: gains[2*b+m], feature: f, bin: uint8(b), missLeft: m == 1}
					}
				}
			}
		}
		if best.gain <= 1e-12 {
			break
		}
		best, ok := gr.splitsLevel(nodes, best)
		if !ok {
			break
		}
		splits = append(splits, best)
		nodes = gr.splitLevel(nodes, best, cols)
	}
	inner := len(nodes) - 1
	t := gtree{nodes: make([]gnode, inner+len(nodes))}
	for h := range inner {
		s := splits[bitsLen(h+1)-1]
		t.nodes[h] = gnode{feature: s.feature, bin: s.bin, missLeft: s.missLeft, left: 2*h + 1, right: 2*h + 2}
	}
	for k, nd := range nodes {
		t.nodes[inner+k] = gnode{leaf: true, value: -nd.g / (nd.h + lambda) * o.LearningRate}
		gr.free = append(gr.free, nd.hist)
	}
	return t
}

// bitsLen returns the number of bits needed to write n.
func bitsLen(n int) int {
	k := 0
	for ; n > 0; n >>= 1 {
		k++
	}
	return k
}

// splitsLevel reports whether s sends at least MinLeaf rows to each side
// summed over the level. When no node of the level has a missing value
// for the feature, it returns s with missing values sent to the side that
// took more rows (see unseenMissingLeft).
func (gr *grower) splitsLevel(nodes []level, s split) (split, bool) {
	nb := gr.nbins
	var nl, nr, nm int
	for _, nd := range nodes {
		hist := nd.hist[s.feature*nb : (s.feature+1)*nb]
		nm += hist[0].n
		for b := 1; b < nb; b++ {
			if b <= int(s.bin) {
				nl += hist[b].n
			} else {
				nr += hist[b].n
			}
		}
	}
	if nm == 0 {
		s.missLeft = unseenMissingLeft(nl, nr)
	}
	return s, min(nl, nr) >= gr.opts.MinLeaf || nm > 0 && min(nl, nr)+nm >= gr.opts.MinLeaf
}

// childHists gives the children l and r of a split their histograms: it
// builds the smaller child's from its rows and derives the larger one's
// by subtracting it from the parent's, whose slice the larger child takes
// over.
func (gr *grower) childHists(l, r *candidate, parent []histBin, cols []int) {
	small, large := l, r
	if len(r.rows) < len(l.rows) {
		small, large = r, l
	}
	small.hist = gr.buildHist(small.rows, cols)
	large.hist = parent
	for _, f := range cols {
		for b := f * gr.nbins; b < (f+1)*gr.nbins; b++ {
			large.hist[b].g -= small.hist[b].g
			large.hist[b].h -= small.hist[b].h
			large.hist[b].n -= small.hist[b].n
		}
	}
}

// splitLevel splits every node of the level by s and returns the next
// level in heap order, with histograms.
func (gr *grower) splitLevel(nodes []level, s split, cols []int) []level {
	next := make([]level, 0, 2*len(nodes))
	for _, nd := range nodes {
		c := &candidate{rows: nd.rows, g: nd.g, h: nd.h, split: s}
		var t gtree
		t.nodes = []gnode{{}}
		l, r := gr.apply(c, &t)
		gr.childHists(l, r, nd.hist, cols)
		next = append(next,
			level{rows: l.rows, hist: l.hist, g: l.g, h: l.h},
			level{rows: r.rows, hist: r.hist, g: r.g, h: r.h})
	}
	return next
}

// unseenMissingLeft says where a split sends missing values when no
// training row of the node lacked the feature, given the rows that went
// left and right: to the larger side, where an account of unknown value is
// more likely to belong. Measured on leave-one-dataset-out with Purba left
// out (Purba lacks features the other sets have), this gives ROC-AUC 0.750
// against 0.731 for always left and 0.731 for always right.
func unseenMissingLeft(nl, nr int) bool {
	return nl > nr
}

// hasConstraints reports whether m constrains any feature.
func hasConstraints(m map[string]int) bool {
	for _, v := range m {
		if v != 0 {
			return true
		}
	}
	return false
}
