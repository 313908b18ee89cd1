package training

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/rs/zerolog"

	"bonafide/detect"
	"bonafide/detect/model"
	"bonafide/features"
	"bonafide/fixtures"
)

// Defaults of CreatorOptions.
const (
	DefaultCreators            = 1200
	DefaultCreatorMaxFollowers = fixtures.DefaultMaxFollowers
	DefaultNormCreators        = 900
	// normMinCount is the fewest reference creators a norm cell needs.
	normMinCount = 20
)

// CreatorOptions say how TrainCreator builds the creator model. The zero
// value of each field means its default.
type CreatorOptions struct {
	// N is the number of simulated training creators (fixtures, variant
	// train, every scenario in turn); 0 means DefaultCreators.
	N int
	// Seed seeds the simulation, the folds and the learner.
	Seed uint64
	// Folds are the cross-validation folds of the calibration; 0 means
	// DefaultFolds.
	Folds int
	// MaxFollowers caps each simulated creator's follower list; 0 means
	// DefaultCreatorMaxFollowers.
	MaxFollowers int
	// NormCreators is the number of extra authentic creators (organic,
	// viral and giveaway in turn) simulated for the norms, beside the
	// authentic training creators; 0 means DefaultNormCreators, negative
	// none.
	NormCreators int
	// Learner tunes the gbdt; zero fields take CreatorLearnerOptions.
	Learner LearnerOptions
	// Progress, if non-nil, is told each stage ("simulate", "cv", "fit")
	// with the steps done and planned.
	Progress func(stage string, done, total int)
}

func (o CreatorOptions) withDefaults() CreatorOptions {
	if o.N == 0 {
		o.N = DefaultCreators
	}
	if o.Folds == 0 {
		o.Folds = DefaultFolds
	}
	if o.MaxFollowers == 0 {
		o.MaxFollowers = DefaultCreatorMaxFollowers
	}
	if o.NormCreators == 0 {
		o.NormCreators = DefaultNormCreators
	}
	d := CreatorLearnerOptions()
	if o.Learner.Trees == 0 {
		o.Learner.Trees = d.Trees
	}
	if o.Learner.LearningRate == 0 {
		o.Learner.LearningRate = d.LearningRate
	}
	if o.Learner.MaxDepth == 0 {
		o.Learner.MaxDepth = d.MaxDepth
	}
	if o.Learner.MaxLeaves == 0 {
		o.Learner.MaxLeaves = d.MaxLeaves
	}
	if o.Learner.MinLeaf == 0 {
		o.Learner.MinLeaf = d.MinLeaf
	}
	if o.Learner.Subsample == 0 {
		o.Learner.Subsample = d.Subsample
	}
	if o.Learner.Monotone == nil {
		o.Learner.Monotone = d.Monotone
	}
	if o.Progress == nil {
		o.Progress = func(string, int, int) {}
	}
	return o
}

// creatorLearner names the learner of the creator model: gradient-boosted
// trees grown leaf by leaf, the trees it was measured with
// (docs/creator-model.md): "gbdt-leafwise" where that learner is known,
// else "gbdt" (leafwise before oblivious trees became its default).
func creatorLearner() string {
	if slices.Contains(Learners(), "gbdt-leafwise") {
		return "gbdt-leafwise"
	}
	return "gbdt"
}

// CreatorLearnerOptions are the gbdt settings of the creator model:
// trees of depth 5 at most (32 leaves, 20 creators a leaf), 150 rounds at
// learning rate 0.1, early stopping. The depth was chosen by the training
// creators' 5-fold cross-validated ROC-AUC among depths 2 to 6 (0.951,
// 0.960, 0.964, 0.966, 0.966); 300 rounds at 0.05 gave the same
// out-of-fold ROC-AUC with twice the trees, and TreeSHAP's cost grows
// with the trees.
//
// The inputs whose direction is not in doubt are constrained
// (CreatorMonotone), so that the model cannot learn a quirk of the
// simulator such as "more distinct comments, less authentic", and each
// reason points the way its text reads.
func CreatorLearnerOptions() LearnerOptions {
	return LearnerOptions{Trees: 150, LearningRate: 0.1, MaxDepth: 5, MaxLeaves: 32, MinLeaf: 20, Subsample: 0.8,
		Monotone: CreatorMonotone()}
}

// CreatorMonotone gives the direction in which each creator-model input
// moves P(inauthentic): +1 the more of it, the likelier bought; -1 the
// less likely. Inputs that are suspicious at both ends (the engagement
// rate and its ratios: too low means bought followers, too high bought
// likes or a pod) or whose meaning depends on volume (entropy, thread
// depth, the commenters' follower share) are left free.
func CreatorMonotone() map[string]int {
	return map[string]int{
		features.GrowthSpikeShare:         +1,
		features.FollowerFingerprint:      +1,
		features.CommentDiversity:         -1,
		features.NearDuplicateShare:       +1,
		features.GenericCommentShare:      +1,
		features.PodScore:                 +1,
		features.ReplyReciprocity:         -1,
		features.QuestionReplyShare:       -1,
		features.SuspiciousCommenterShare: +1,
		features.SelfRepeatShare:          +1,
		detect.FakeShareInput:             +1,
		detect.MeanPFakeInput:             +1,
	}
}

// CreatorMetrics is what TrainCreator measured, as stored in the bundle.
type CreatorMetrics struct {
	Creators     int               `json:"creators"`
	Augmented    int               `json:"augmented_copies"`
	NormCreators int               `json:"norm_creators"`
	Inauthentic  int               `json:"inauthentic"`
	Seed         uint64            `json:"seed"`
	Folds        int               `json:"folds"`
	Trees        int               `json:"trees"`
	Scenarios    map[string]int    `json:"scenarios"`
	CV           Metrics           `json:"cv"` // out-of-fold, calibrated P(inauthentic) at 0.5
	Verdicts     VerdictMetrics    `json:"cv_verdicts"`
	PlattA       float64           `json:"platt_a"`
	PlattB       float64           `json:"platt_b"`
	Rates        detect.ShareRates `json:"share_rates"`
	RateSources  []RateSource      `json:"share_rate_sources"`
}

// VerdictMetrics measure verdicts against labels: the share of creators in
// the review band, and the accuracy of the others.
type VerdictMetrics struct {
	N              int     `json:"n"`
	Review         float64 `json:"review_share"`
	Accuracy       float64 `json:"accuracy_outside_review"`
	FalseAuthentic int     `json:"inauthentic_called_authentic"`
	FalseInauth    int     `json:"authentic_called_inauthentic"`
}

// Verdicts measures authenticity scores (0-100) against labels (true =
// inauthentic) with detect's verdict thresholds.
func Verdicts(auth []float64, inauthentic []bool) VerdictMetrics {
	m := VerdictMetrics{N: len(auth)}
	var review, right, decided int
	for i, a := range auth {
		switch {
		case a >= detect.AuthenticAt:
			decided++
			if inauthentic[i] {
				m.FalseAuthentic++
			} else {
				right++
			}
		case a < detect.InauthenticBelow:
			decided++
			if inauthentic[i] {
				right++
			} else {
				m.FalseInauth++
			}
		default:
			review++
		}
	}
	m.Review = frac(review, len(auth))
	m.Accuracy = frac(right, decided)
	return m
}

// RateSource is one population the follower model's error rates were
// measured on.
type RateSource struct {
	Name      string  `json:"name"`
	TPR       float64 `json:"tpr"`
	FPR       float64 `json:"fpr"`
	Positives int     `json:"positives"`
	Negatives int     `json:"negatives"`
	Weight    float64 `json:"weight"`
}

// simCreator is one simulated creator as training keeps it.
type simCreator struct {
	ev          detect.Evidence
	inauthentic bool
	scenario    string
	platform    string
	tier        string
	population  int64
	trueShare   float64
	// Listed fake and real followers, how many of each the follower model
	// flagged, and the sums of their P(fake).
	fakes, reals             int
	flaggedFake, flaggedReal int
	sumFake, sumReal         float64
	// thinned is set on the augmented copies (see thin).
	thinned bool
	origin  int // index of the creator a copy was made from
}

// ThinFactors are the shares of a buying creator's fake followers kept in
// the augmented copies of it that training adds (see thin).
var thinFactors = []float64{0.2, 0.4, 0.6}

// thin returns a copy of c as if it had bought only the share f of its
// fake followers, the rest being replaced by real ones: the listed fakes
// and those the follower model flagged scale by f (in expectation), as do
// the two signals that measure bought followers directly, the share of
// the base gained in suspicious spikes and the follower fingerprint. The
// comment signals are kept. The copy is still inauthentic: a creator who
// bought fewer followers has still bought them. Without these copies the
// model learns the simulator's batch sizes (a fake share around 25%) and
// calls a creator with 10% bought followers authentic.
func thin(c simCreator, f float64, rates detect.ShareRates) simCreator {
	t := c
	t.thinned = true
	kept := int(math.Round(f * float64(c.fakes)))
	moved := c.fakes - kept
	perReal := float64(c.flaggedReal) / float64(c.reals)
	flagged := int(math.Round(float64(c.flaggedReal) + perReal*float64(moved) + float64(c.flaggedFake)*f))
	t.fakes, t.reals = kept, c.reals+moved
	t.flaggedFake = int(math.Round(float64(c.flaggedFake) * f))
	t.flaggedReal = flagged - t.flaggedFake
	t.sumFake = c.sumFake * f
	t.sumReal = c.sumReal * float64(t.reals) / float64(c.reals)
	t.trueShare = c.trueShare * f
	t.ev.MeanPFake = (t.sumFake + t.sumReal) / float64(c.ev.Share.Basis)
	// The followers who came in suspicious spikes: the bought share of the
	// spikes' gain scales with f, and so (in expectation) do the flagged
	// among them, nearly all bought.
	s := c.ev.Share
	spike := s.Spike
	spike.Bought *= f
	spike.Flagged = min(spike.Basis, int(math.Round(float64(spike.Flagged)*f+perReal*float64(spike.Basis)*(1-f))))
	t.ev.Share = detect.EstimateShare(flagged, s.Basis, c.population, s.Method, rates, spike)
	vals := make(map[string]float64, len(c.ev.Signals.Values))
	for k, v := range c.ev.Signals.Values {
		vals[k] = v
	}
	for _, k := range []string{features.GrowthSpikeShare, features.FollowerFingerprint} {
		if v, ok := vals[k]; ok {
			vals[k] = v * f
		}
	}
	t.ev.Signals.Values = vals
	return t
}

// commentKeep are the shares of the pod's or the bots' comments kept in
// the augmented copies of a creator whose comments they wrote (see
// ThinComments).
var commentKeep = []float64{0.2, 0.4, 0.6}

// ThinComments returns a copy of h in which each comment written by one
// of writers (the pod or the bots) is kept with probability keep, and a
// reply to a dropped comment is dropped with it. Posts keep their comment
// counts. Like the thinned follower copies (thin), these copies teach the
// model that a smaller or less active pod, or fewer bot comments, still
// make an inauthentic creator; without them it learns the simulator's pod
// and bot volumes.
func ThinComments(h features.History, writers []string, keep float64, seed uint64) features.History {
	w := make(map[string]bool, len(writers))
	for _, id := range writers {
		w[id] = true
	}
	r := rand.New(rand.NewPCG(seed, 0x636f6d6d656e7473))
	t := h
	t.Posts = make([]features.Post, len(h.Posts))
	for i, p := range h.Posts {
		dropped := map[string]bool{}
		cs := make([]features.Comment, 0, len(p.Comments))
		for _, c := range p.Comments {
			if w[c.AuthorID] && r.Float64() >= keep || c.ReplyTo.OK && dropped[c.ReplyTo.V] {
				dropped[c.ID] = true
				continue
			}
			cs = append(cs, c)
		}
		p.Comments = cs
		t.Posts[i] = p
	}
	return t
}

// scaleEngagement returns h with every post's likes and views multiplied
// by factors drawn from seed, each between 1/2 and 2 (log-uniform, one
// for likes and one for views): what a creator's audience engages with,
// and how a platform counts views, vary beyond what the simulator's
// training variant gives each platform and tier. Comments stay: the pod
// and bot signals read them.
func scaleEngagement(h features.History, seed uint64) features.History {
	r := rand.New(rand.NewPCG(seed, 0x656e676167656d74))
	likes := math.Exp2(2*r.Float64() - 1)
	views := math.Exp2(2*r.Float64() - 1)
	h.Posts = slices.Clone(h.Posts)
	for i := range h.Posts {
		p := &h.Posts[i]
		if p.Likes.OK {
			p.Likes.V = int64(math.Round(float64(p.Likes.V) * likes))
		}
		if p.Views.OK {
			p.Views.V = int64(math.Round(float64(p.Views.V) * views))
		}
	}
	return h
}

// inputGaps are parts of a creator-history document that real inputs often
// lack and the simulator always gives. Every training creator also enters
// once without one of them (in turn), with its label: the trees then learn
// where an absent signal should send a creator (towards neither verdict)
// instead of a direction no training row ever took. Without these copies
// a creator listed without followers or comments lost 10 to 20 points.
var inputGaps = []struct {
	name  string
	strip func(features.History) features.History
}{
	{"views", func(h features.History) features.History {
		h.Posts = slices.Clone(h.Posts)
		for i := range h.Posts {
			h.Posts[i].Views = features.OptInt{}
		}
		return h
	}},
	{"follower dates", func(h features.History) features.History {
		h.Followers = slices.Clone(h.Followers)
		for i := range h.Followers {
			f := &h.Followers[i]
			f.CreatedAt, f.FollowedAt, f.LastActiveAt = features.OptTime{}, features.OptTime{}, features.OptTime{}
		}
		return h
	}},
	{"comments", func(h features.History) features.History {
		h.Posts = slices.Clone(h.Posts)
		for i := range h.Posts {
			h.Posts[i].Comments = nil
		}
		return h
	}},
	{"followers", func(h features.History) features.History {
		h.Followers = nil
		return h
	}},
	{"follower series", func(h features.History) features.History {
		h.Series = slices.Clone(h.Series[max(0, len(h.Series)-2):])
		return h
	}},
	{"most followers", func(h features.History) features.History { return SampleFollowers(h, 150, 0) }},
	{"most comments", func(h features.History) features.History { return FirstComments(h, 20) }},
}

// SampleFollowers returns h with n of its listed followers, evenly spaced
// through the list from offset (0 <= offset < 1, in steps of the spacing)
// and marked as a random sample of the whole base: the list is in the
// order the followers came, so every kth of it samples them all. h is
// returned as it is when it lists n followers or fewer.
func SampleFollowers(h features.History, n int, offset float64) features.History {
	if len(h.Followers) <= n {
		return h
	}
	fs := make([]features.Follower, 0, n)
	for i := range n {
		fs = append(fs, h.Followers[int((float64(i)+offset)*float64(len(h.Followers))/float64(n))])
	}
	pop := h.Creator.Followers
	if h.Sample.Population.OK {
		pop = h.Sample.Population.V
	}
	h.Followers = fs
	h.Sample = features.Sample{Method: features.SampleRandom, Population: features.SomeInt(pop)}
	return h
}

// FirstComments returns h with the first n comments of each post only, as
// exports that page through comments list them; a reply to a comment not
// kept goes too.
func FirstComments(h features.History, n int) features.History {
	h.Posts = slices.Clone(h.Posts)
	for i := range h.Posts {
		p := &h.Posts[i]
		if len(p.Comments) <= n {
			continue
		}
		kept := map[string]bool{}
		cs := make([]features.Comment, 0, n)
		for _, c := range p.Comments[:n] {
			if c.ReplyTo.OK && !kept[c.ReplyTo.V] {
				continue
			}
			kept[c.ID] = true
			cs = append(cs, c)
		}
		p.Comments = cs
	}
	return h
}

// creatorInputs are the inputs the trained model reads: the signals and
// the fake-share inputs. The follower count and the platform indicators
// of detect.CreatorInputs are left out: on simulated creators they carry
// the simulator's scenario mix per tier and platform, not anything a
// brand should pay for.
func creatorInputs() []string {
	var out []string
	for _, n := range detect.CreatorInputs() {
		if n == detect.LogFollowersInput || strings.HasPrefix(n, "platform_") {
			continue
		}
		out = append(out, n)
	}
	return out
}

// TrainCreator simulates labelled creators, scores them with the bundle's
// follower model, measures the fake-share rates, the norms and the
// creator model, and returns a copy of b whose Creator field holds them
// (any creator model b had is replaced). Same bundle, options and seed
// give the same bytes.
func TrainCreator(ctx context.Context, b *model.Bundle, opts CreatorOptions, log zerolog.Logger) (*model.Bundle, CreatorMetrics, error) {
	opts = opts.withDefaults()
	log = log.With().Str("component", "train-creator").Logger()
	base := *b
	base.Creator = nil
	eng, err := detect.New(&base, detect.Options{}, log)
	if err != nil {
		return nil, CreatorMetrics{}, fmt.Errorf("train creator: %w", err)
	}
	creators, copies, sim, err := simulateThinned(ctx, eng, fixtures.Options{N: opts.N, Seed: opts.Seed,
		Variant: fixtures.VariantTrain, MaxFollowers: opts.MaxFollowers}, commentKeep, true, "simulate", opts.Progress)
	if err != nil {
		return nil, CreatorMetrics{}, fmt.Errorf("train creator: %w", err)
	}
	var reference []simCreator
	if opts.NormCreators > 0 {
		// Another seed than the training creators', so that the norms
		// see other creators.
		reference, _, err = simulate(ctx, eng, fixtures.Options{N: opts.NormCreators, Seed: opts.Seed ^ 0x6e6f726d73,
			Variant: fixtures.VariantTrain, MaxFollowers: opts.MaxFollowers,
			Scenarios: []string{"organic", "viral", "giveaway"}}, "norms", opts.Progress)
		if err != nil {
			return nil, CreatorMetrics{}, fmt.Errorf("train creator: norms: %w", err)
		}
	}
	sources := append(perSetRates(b), sim)
	rates := PoolRates(sources)
	log.Debug().Float64("tpr", rates.TPR).Float64("fpr", rates.FPR).Floats64("tpr_range", rates.TPRRange[:]).Msg("share rates")
	m := CreatorMetrics{Creators: len(creators), Seed: opts.Seed, Scenarios: map[string]int{}, Rates: rates, RateSources: sources}
	values := make([]map[string]float64, 0, len(creators))
	var platforms, tiers []string
	n := len(creators)
	for i := range n {
		c := &creators[i]
		s := c.ev.Share
		c.ev.Share = detect.EstimateShare(s.Flagged, s.Basis, c.population, s.Method, rates, s.Spike)
		c.origin = i
		m.Scenarios[c.scenario]++
		if c.inauthentic {
			m.Inauthentic++
			if c.fakes > 0 && c.reals > 0 && c.trueShare >= 0.05 && c.ev.Share.OK {
				for _, f := range thinFactors {
					creators = append(creators, thin(*c, f, rates))
				}
			}
			continue
		}
		v := make(map[string]float64, len(c.ev.Signals.Values)+1)
		for k, x := range c.ev.Signals.Values {
			v[k] = x
		}
		if c.ev.Share.OK {
			v["fake_followers"] = c.ev.Share.Estimate
		}
		values = append(values, v)
		platforms = append(platforms, c.platform)
		tiers = append(tiers, c.tier)
	}
	if m.Inauthentic == 0 || m.Inauthentic == n {
		return nil, m, errors.New("train creator: need authentic and inauthentic creators")
	}
	for _, c := range copies {
		s := c.ev.Share
		c.ev.Share = detect.EstimateShare(s.Flagged, s.Basis, c.population, s.Method, rates, s.Spike)
		creators = append(creators, c)
	}
	m.Augmented = len(creators) - n
	for _, c := range reference {
		s := c.ev.Share
		est := detect.EstimateShare(s.Flagged, s.Basis, c.population, s.Method, rates, s.Spike)
		v := make(map[string]float64, len(c.ev.Signals.Values)+1)
		for k, x := range c.ev.Signals.Values {
			v[k] = x
		}
		if est.OK {
			v["fake_followers"] = est.Estimate
		}
		values = append(values, v)
		platforms = append(platforms, c.platform)
		tiers = append(tiers, c.tier)
	}
	m.NormCreators = len(values)
	norms := detect.BuildNorms(values, platforms, tiers, normMinCount)

	names := creatorInputs()
	all := detect.CreatorInputs()
	d := Dataset{Names: names}
	for _, c := range creators {
		v := c.ev.Vector(nil)
		x := make([]float64, len(names))
		for j, name := range names {
			x[j] = v[slices.Index(all, name)]
		}
		d.X = append(d.X, x)
		d.Y = append(d.Y, c.inauthentic)
	}

	learner, err := NewLearner(creatorLearner(), opts.Learner)
	if err != nil {
		return nil, m, fmt.Errorf("train creator: %w", err)
	}
	// Folds over the simulated creators; each augmented copy goes with
	// the creator it was made from, so that no fold tests on a copy of a
	// creator it trained on.
	y0, g0 := make([]bool, n), make([]string, n)
	for i := range n {
		y0[i], g0[i] = creators[i].inauthentic, creators[i].scenario
	}
	folds := StratifiedKFold(y0, g0, opts.Folds, opts.Seed)
	m.Folds = len(folds)
	foldOf := make([]int, n)
	for k, f := range folds {
		for _, i := range f.Test {
			foldOf[i] = k
		}
	}
	margins := make([]float64, n)
	for k := range folds {
		if err := ctx.Err(); err != nil {
			return nil, m, err
		}
		var train, test []int
		for i, c := range creators {
			if foldOf[c.origin] == k {
				if !c.thinned {
					test = append(test, i)
				}
			} else {
				train = append(train, i)
			}
		}
		ens, err := learner.Fit(ctx, d.Subset(train), opts.Seed)
		if err != nil {
			return nil, m, fmt.Errorf("train creator: fold %d: %w", k+1, err)
		}
		for _, i := range test {
			margins[i] = ens.Raw(d.X[i])
		}
		opts.Progress("cv", k+1, len(folds))
	}
	m.PlattA, m.PlattB = FitPlatt(margins, y0)
	calibrated := make([]float64, n)
	auth := make([]float64, n)
	for i, x := range margins {
		calibrated[i] = sigmoid(m.PlattA*x + m.PlattB)
		auth[i] = math.Round(10000*(1-calibrated[i])) / 100
	}
	m.CV = Evaluate(calibrated, y0, 0.5)
	m.Verdicts = Verdicts(auth, y0)

	opts.Progress("fit", 0, 1)
	ens, err := learner.Fit(ctx, d, opts.Seed)
	if err != nil {
		return nil, m, fmt.Errorf("train creator: fit: %w", err)
	}
	opts.Progress("fit", 1, 1)
	m.Trees = ens.NumTrees()
	cm := &detect.CreatorModel{
		Inputs: d.Names,
		Base:   ens.Base(),
		Trees:  withCovers(ens.Trees(), d.X, coverWeights(balanced(y0), len(d.X))),
		PlattA: m.PlattA,
		PlattB: m.PlattB,
		Rates:  rates,
		Norms:  norms,
	}
	if cm.Metrics, err = json.Marshal(m); err != nil {
		return nil, m, fmt.Errorf("train creator: encode metrics: %w", err)
	}
	raw, err := cm.Encode()
	if err != nil {
		return nil, m, fmt.Errorf("train creator: %w", err)
	}
	out := base
	out.Creator = raw
	card, _, _ := strings.Cut(b.Card, creatorCardHeading)
	out.Card = card + creatorCard(m)
	return &out, m, nil
}

// simulate generates creators and scores them. It returns them with the
// follower model's error rates on their listed followers.
func simulate(ctx context.Context, eng *detect.Engine, fo fixtures.Options, stage string, progress func(string, int, int)) ([]simCreator, RateSource, error) {
	out, _, src, err := simulateThinned(ctx, eng, fo, nil, false, stage, progress)
	return out, src, err
}

// minAudienceFakes and minAudienceReals are the fewest listed fake and
// real followers of a simulated creator whose follower-model rates enter
// the simulated audiences' mean rates.
const (
	minAudienceFakes = 20
	minAudienceReals = 100
)

// simulateThinned is simulate that also returns, for every creator whose
// comments an engagement pod or comment bots wrote, a copy per factor of
// keep in which only that share of their comments is kept (see
// ThinComments), and with gaps, a copy of every creator that lacks one
// part of the input (inputGaps, in turn). The copies' origin is the index
// of their creator.
func simulateThinned(ctx context.Context, eng *detect.Engine, fo fixtures.Options, keep []float64, gaps bool, stage string, progress func(string, int, int)) ([]simCreator, []simCreator, RateSource, error) {
	seq, err := fixtures.Generate(fo)
	if err != nil {
		return nil, nil, RateSource{}, err
	}
	threshold := eng.Threshold()
	var out, copies []simCreator
	var pos, neg int
	var sumTPR, sumFPR float64
	var audT, audF int
	for h, t := range seq {
		if err := ctx.Err(); err != nil {
			return nil, nil, RateSource{}, err
		}
		ev, err := eng.Evidence(ctx, &h)
		if err != nil {
			return nil, nil, RateSource{}, fmt.Errorf("simulated creator %s: %w", t.ID, err)
		}
		fake := make(map[string]bool, len(t.FakeListed))
		for _, id := range t.FakeListed {
			fake[id] = true
		}
		c := simCreator{inauthentic: t.Label == fixtures.Inauthentic, scenario: t.Scenario,
			platform: h.Platform, tier: detect.Tier(h.Creator.Followers), trueShare: t.FakeShare}
		for i, p := range ev.Probs {
			if fake[h.Followers[i].ID] {
				c.fakes++
				c.sumFake += p
				if p >= threshold {
					c.flaggedFake++
				}
			} else {
				c.reals++
				c.sumReal += p
				if p >= threshold {
					c.flaggedReal++
				}
			}
		}
		pos, neg = pos+c.fakes, neg+c.reals
		if c.fakes >= minAudienceFakes {
			sumTPR += frac(c.flaggedFake, c.fakes)
			audT++
		}
		if c.reals >= minAudienceReals {
			sumFPR += frac(c.flaggedReal, c.reals)
			audF++
		}
		ev.Probs = nil
		pop := h.Creator.Followers
		if h.Sample.Population.OK {
			pop = h.Sample.Population.V
		}
		c.ev, c.population = ev, pop
		c.origin = len(out)
		// addCopy adds c's copy with the document ch, re-extracted.
		addCopy := func(ch features.History, what string) error {
			cev, err := eng.Evidence(ctx, &ch)
			if err != nil {
				return fmt.Errorf("simulated creator %s, %s: %w", t.ID, what, err)
			}
			cev.Probs = nil
			cc := c
			cc.ev, cc.thinned = cev, true
			copies = append(copies, cc)
			return nil
		}
		if writers := slices.Concat(t.PodMembers, t.BotCommenters); len(writers) > 0 {
			for k, f := range keep {
				if err := addCopy(ThinComments(h, writers, f, fo.Seed^uint64(t.Index)<<8^uint64(k)), "thinned comments"); err != nil {
					return nil, nil, RateSource{}, err
				}
			}
		}
		if gaps {
			if err := addCopy(scaleEngagement(h, fo.Seed^uint64(t.Index)<<8^0x656e67), "engagement scaled"); err != nil {
				return nil, nil, RateSource{}, err
			}
			g := inputGaps[t.Index%len(inputGaps)]
			if err := addCopy(g.strip(h), "without "+g.name); err != nil {
				return nil, nil, RateSource{}, err
			}
		}
		out = append(out, c)
		progress(stage, len(out), fo.N)
	}
	// Each audience weighs the same, as each population does in PoolRates:
	// pooled by follower, the large bought batches that the follower model
	// sees best would outweigh the audiences it sees worst.
	src := RateSource{Name: "simulated audiences", TPR: sumTPR / float64(max(audT, 1)), FPR: sumFPR / float64(max(audF, 1)),
		Positives: pos, Negatives: neg}
	return out, copies, src, nil
}

// perSetRates reads the follower model's out-of-fold rates on each
// labelled set from the bundle's training metrics, as vetting reads
// followers (without the blind feature, per_set_blind) where the metrics
// have them; none when the bundle has no per-set metrics, and then the
// bundle's pooled rates.
func perSetRates(b *model.Bundle) []RateSource {
	type setMetrics []struct {
		Set     string `json:"set"`
		Metrics struct {
			Recall    float64 `json:"recall"`
			FPR       float64 `json:"fpr"`
			Positives int     `json:"positives"`
			Negatives int     `json:"negatives"`
		} `json:"metrics"`
	}
	var tm struct {
		PerSet      setMetrics `json:"per_set"`
		PerSetBlind setMetrics `json:"per_set_blind"`
	}
	var out []RateSource
	if len(b.Metrics) > 0 && json.Unmarshal(b.Metrics, &tm) == nil {
		sets := tm.PerSetBlind
		if len(sets) == 0 {
			sets = tm.PerSet
		}
		for _, s := range sets {
			mm := s.Metrics
			if mm.Positives == 0 || mm.Negatives == 0 || math.IsNaN(mm.Recall) || math.IsNaN(mm.FPR) {
				continue
			}
			out = append(out, RateSource{Name: s.Set, TPR: mm.Recall, FPR: mm.FPR, Positives: mm.Positives, Negatives: mm.Negatives})
		}
	}
	if len(out) == 0 {
		r := b.FollowerRates
		out = append(out, RateSource{Name: "labelled sets (pooled)", TPR: r.TPR, FPR: r.FPR, Positives: r.Positives, Negatives: r.Negatives})
	}
	return out
}

// PoolRates pools the error rates measured on several populations of
// accounts (each labelled set, the simulated audiences) into the rates of
// the fake-share correction: every population weighs the same, since a
// creator's audience is none of them in particular. The ranges are the
// lowest and highest rates among the populations: how far the rates move
// from one audience to another. The counts are the smallest of the
// sources', a conservative bound on their own sampling error.
func PoolRates(src []RateSource) detect.ShareRates {
	if len(src) == 0 {
		return detect.ShareRates{}
	}
	var r detect.ShareRates
	r.Positives, r.Negatives = math.MaxInt, math.MaxInt
	r.TPRRange = [2]float64{src[0].TPR, src[0].TPR}
	r.FPRRange = [2]float64{src[0].FPR, src[0].FPR}
	for i := range src {
		s := &src[i]
		s.Weight = 1 / float64(len(src))
		r.TPR += s.Weight * s.TPR
		r.FPR += s.Weight * s.FPR
		r.Positives = min(r.Positives, s.Positives)
		r.Negatives = min(r.Negatives, s.Negatives)
		r.TPRRange = [2]float64{min(r.TPRRange[0], s.TPR), max(r.TPRRange[1], s.TPR)}
		r.FPRRange = [2]float64{min(r.FPRRange[0], s.FPR), max(r.FPRRange[1], s.FPR)}
	}
	return r
}

// balanced weighs rows so that each label carries half the total weight.
func balanced(y []bool) []float64 {
	var pos int
	for _, v := range y {
		if v {
			pos++
		}
	}
	w := make([]float64, len(y))
	for i, v := range y {
		if v {
			w[i] = float64(len(y)) / float64(2*pos)
		} else {
			w[i] = float64(len(y)) / float64(2*(len(y)-pos))
		}
	}
	return w
}

// copyCover is the weight of an augmented copy in the covers: next to
// nothing, so the reference creator stays the simulated creators', but
// every node a copy reaches has a cover. A branch that only the copies
// take (an absent signal, say) would otherwise have none, and TreeSHAP's
// path weights would divide zero by zero.
const copyCover = 1e-6

// coverWeights extends the weights of the n0 simulated creators with
// copyCover for each of the n−n0 copies after them.
func coverWeights(w []float64, n int) []float64 {
	out := make([]float64, n)
	copy(out, w)
	for i := len(w); i < n; i++ {
		out[i] = copyCover
	}
	return out
}

// withCovers converts trees to the creator model's form, adding up the
// weights of the rows of x that reach each node. The covers define the
// reference creator that reasons are measured from (TreeSHAP's expected
// value): with balanced weights, a creator drawn from a population where
// half are inauthentic, so the baseline sits near the middle of the scale
// and a creator's reasons push it up or down from there.
func withCovers(trees []model.Tree, x [][]float64, weight []float64) [][]detect.TreeNode {
	out := make([][]detect.TreeNode, len(trees))
	for t, tree := range trees {
		nodes := make([]detect.TreeNode, len(tree.Nodes))
		for i, n := range tree.Nodes {
			if n.Leaf {
				nodes[i] = detect.TreeNode{Feature: -1, Value: n.Value}
				continue
			}
			// A split of present against missing values has the threshold
			// +Inf, which JSON cannot hold; the largest float sends every
			// present value the same way.
			thr := n.Threshold
			if math.IsInf(thr, 1) {
				thr = math.MaxFloat64
			}
			nodes[i] = detect.TreeNode{Feature: n.Feature, Threshold: thr, Left: n.Left, Right: n.Right, MissingLeft: n.MissingLeft}
		}
		for r, row := range x {
			i := 0
			for {
				nodes[i].Cover += weight[r]
				n := &nodes[i]
				if n.Feature < 0 {
					break
				}
				v := row[n.Feature]
				switch {
				case math.IsNaN(v):
					if n.MissingLeft {
						i = n.Left
					} else {
						i = n.Right
					}
				case v <= n.Threshold:
					i = n.Left
				default:
					i = n.Right
				}
			}
		}
		out[t] = nodes
	}
	return out
}

// FitPlatt fits P(y) = logistic(a·x + b) by maximum likelihood (Newton's
// method) with Platt's smoothed targets, which keep a and b finite when
// the classes separate. The probability is calibrated at the base rate of
// x's rows; for a population whose base rate is π instead of π0, add
// log(π/(1−π)) − log(π0/(1−π0)) to the logit.
func FitPlatt(x []float64, y []bool) (a, b float64) {
	var np, nn float64
	for _, v := range y {
		if v {
			np++
		} else {
			nn++
		}
	}
	hi, lo := (np+1)/(np+2), 1/(nn+2)
	a, b = 1, 0
	for iter := 0; iter < 100; iter++ {
		var ga, gb, haa, hab, hbb float64
		for i, xi := range x {
			if math.IsNaN(xi) {
				continue
			}
			t := lo
			if y[i] {
				t = hi
			}
			p := sigmoid(a*xi + b)
			w := max(p*(1-p), 1e-12)
			ga += (p - t) * xi
			gb += p - t
			haa += w * xi * xi
			hab += w * xi
			hbb += w
		}
		haa += 1e-9
		hbb += 1e-9
		det := haa*hbb - hab*hab
		if det <= 0 {
			break
		}
		da := (hbb*ga - hab*gb) / det
		db := (haa*gb - hab*ga) / det
		a -= da
		b -= db
		if math.Abs(da) < 1e-10 && math.Abs(db) < 1e-10 {
			break
		}
	}
	return a, b
}

// logit is the inverse of sigmoid, with p kept inside (1e-9, 1-1e-9).
func logit(p float64) float64 {
	p = min(max(p, 1e-9), 1-1e-9)
	return math.Log(p / (1 - p))
}

// creatorCardHeading opens the model card's creator section.
const creatorCardHeading = "\n## Creator model\n\n"

// creatorCard is the model card's section on the creator model.
func creatorCard(m CreatorMetrics) string {
	names := make([]string, 0, len(m.Scenarios))
	for s := range m.Scenarios {
		names = append(names, s)
	}
	slices.Sort(names)
	s := creatorCardHeading +
		fmt.Sprintf("Gradient-boosted trees (%d, depth 5) on the creator signals, the fake-share estimate and its interval width, "+
			"and the followers' mean P(fake); trained on %d simulated creators (%d inauthentic; fixtures, variant train, seed %d) "+
			"and %d augmented copies of them (buying creators with fewer bought followers, pod and bot creators with fewer of their comments, "+
			"every creator once with a part of the input missing), calibrated by Platt scaling on %d-fold out-of-fold margins "+
			"(a = %.4f, b = %.4f). Out-of-fold ROC-AUC %.3f; verdicts: %.1f%% in review, accuracy %.3f outside it.\n\n",
			m.Trees, m.Creators, m.Inauthentic, m.Seed, m.Augmented, m.Folds, m.PlattA, m.PlattB, m.CV.ROCAUC, 100*m.Verdicts.Review, m.Verdicts.Accuracy) +
		fmt.Sprintf("Fake-share correction: TPR %.3f, FPR %.3f (between audiences, TPR %.3f-%.3f, FPR %.3f-%.3f), pooled from ",
			m.Rates.TPR, m.Rates.FPR, m.Rates.TPRRange[0], m.Rates.TPRRange[1], m.Rates.FPRRange[0], m.Rates.FPRRange[1])
	for i, r := range m.RateSources {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%s (TPR %.3f, FPR %.3f, weight %.2f)", r.Name, r.TPR, r.FPR, r.Weight)
	}
	s += ".\n\nScenarios: "
	for i, n := range names {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%s %d", n, m.Scenarios[n])
	}
	return s + fmt.Sprintf(". Norms: the signals of %d authentic simulated creators, per platform and follower tier.\n", m.NormCreators)
}
