package training

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/rs/zerolog"

	"bonafide/detect/model"
	"bonafide/features"
)

// DefaultSets are the sets the default bundle is trained on: every set
// whose fakes are fake or bought followers. The spambot re-crawl (bots,
// not bought followers) and InstaFake's automation task (real people
// using automation) are left out; name them to include them.
func DefaultSets() []string {
	return []string{"instafake", "kaggle", "purba", "cresci-2015", "twitter-2017"}
}

// Defaults of TrainOptions.
const (
	DefaultFolds     = 5
	DefaultThreshold = 0.5
)

// TrainOptions say what Train fits and how it measures it. The zero value
// of each field means its default.
type TrainOptions struct {
	Root      string   // folder holding the labelled sets (see the datasets README)
	Sets      []string // set names or labelled files; nil means DefaultSets()
	Seed      uint64   // seed of the folds and the learner
	Folds     int      // cross-validation folds for the held-out rates; 0 means DefaultFolds
	Threshold float64  // P(fake) from which a follower counts as fake; 0 means DefaultThreshold
	Name      string   // bundle name; "" means "bonafide-" + the learner's name
	// BalanceSets weights rows so that every set carries the same total
	// weight, so that one large set does not drown the others.
	BalanceSets bool
	// Progress, if non-nil, is told each stage ("import", "cv", "fit")
	// with the steps done and planned.
	Progress func(stage string, done, total int)
}

func (o TrainOptions) withDefaults() TrainOptions {
	if o.Sets == nil {
		o.Sets = DefaultSets()
	}
	if o.Folds == 0 {
		o.Folds = DefaultFolds
	}
	if o.Threshold == 0 {
		o.Threshold = DefaultThreshold
	}
	if o.Progress == nil {
		o.Progress = func(string, int, int) {}
	}
	return o
}

// SetInfo describes one training set in the metrics and the model card.
type SetInfo struct {
	Name     string `json:"name"`
	Platform string `json:"platform,omitempty"`
	Licence  string `json:"licence"`
	Citation string `json:"citation,omitempty"`
	Note     string `json:"note,omitempty"`
	Read     int    `json:"rows_read"`
	Dropped  int    `json:"duplicates_dropped"`
	Fake     int    `json:"fake"`
	Real     int    `json:"real"`
}

// SetMetrics are the out-of-fold metrics of the rows of one set.
type SetMetrics struct {
	Set     string  `json:"set"`
	Metrics Metrics `json:"metrics"`
}

// TrainMetrics is what Train measured, as written to the metrics JSON and
// into the bundle. It holds no timings, so that it is reproducible.
type TrainMetrics struct {
	Learner   string       `json:"learner"`
	Seed      uint64       `json:"seed"`
	Folds     int          `json:"folds"`
	Threshold float64      `json:"threshold"`
	Schema    string       `json:"schema"`
	Sets      []SetInfo    `json:"sets"`
	CV        Metrics      `json:"cv"` // pooled out-of-fold metrics
	MeanAUC   jnum         `json:"mean_fold_roc_auc"`
	PerSet    []SetMetrics `json:"per_set"` // out-of-fold metrics of each set's rows
	// PerSetBlind are the same read without the blind feature, as vetting
	// reads followers (detect.Engine); the fake-share correction's rates
	// come from them.
	PerSetBlind []SetMetrics `json:"per_set_blind,omitempty"`
	PerFold     []FoldResult `json:"per_fold"`
	Rates       model.Rates  `json:"follower_rates"`
	// Blind is the feature that the model also reads an account without
	// (BlindFeature), "" when none.
	Blind string `json:"blind_feature,omitempty"`
}

// Result is what Train returns: the bundle, its card and its metrics.
type Result struct {
	Bundle  *model.Bundle
	Card    Card
	Metrics TrainMetrics
}

// DatasetOf turns examples into a Dataset in features.ProfileNames order,
// grouped by set.
func DatasetOf(ex []Example) Dataset {
	d := Dataset{
		Names: features.ProfileNames(),
		X:     make([][]float64, len(ex)),
		Y:     make([]bool, len(ex)),
		Group: make([]string, len(ex)),
	}
	width := len(d.Names)
	flat := make([]float64, 0, width*len(ex))
	for i, e := range ex {
		flat = e.Profile.Vector(flat)
		d.X[i] = flat[i*width : (i+1)*width : (i+1)*width]
		d.Y[i] = e.Fake
		d.Group[i] = e.Set
	}
	return d
}

// BalanceSets sets d.Weight so that every group carries the same total
// weight and the weights average 1.
func BalanceSets(d *Dataset) {
	names, idx := groupIndex(*d)
	d.Weight = make([]float64, d.Len())
	for _, g := range names {
		w := float64(d.Len()) / float64(len(names)*len(idx[g]))
		for _, i := range idx[g] {
			d.Weight[i] = w
		}
	}
}

// Train imports the sets, measures the learner by stratified k-fold
// cross-validation (its out-of-fold error rates at the threshold become the
// bundle's FollowerRates), fits it on every row and returns the bundle
// with its model card and metrics. Same data, options and seed give the
// same bundle, byte for byte.
func Train(ctx context.Context, learner Learner, opts TrainOptions, log zerolog.Logger) (*Result, error) {
	opts = opts.withDefaults()
	if opts.Name == "" {
		opts.Name = "bonafide-" + learner.Name()
	}
	log = log.With().Str("component", "train").Str("learner", learner.Name()).Logger()
	opts.Progress("import", 0, 1)
	ex, stats, err := Import(ctx, opts.Root, opts.Sets)
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	opts.Progress("import", 1, 1)
	d := DatasetOf(ex)
	if opts.BalanceSets {
		BalanceSets(&d)
	}
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	fake, real := d.Counts()
	if fake == 0 || real == 0 {
		return nil, fmt.Errorf("train: need fake and real accounts, have %d fake and %d real", fake, real)
	}
	log.Debug().Int("rows", d.Len()).Int("fake", fake).Int("real", real).Msg("imported")

	start := time.Now()
	folds := StratifiedKFold(d.Y, d.Group, opts.Folds, opts.Seed)
	cv, err := CrossValidate(ctx, learner, d, folds, opts.Seed, opts.Threshold, func(done, total int) {
		opts.Progress("cv", done, total)
	})
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	log.Debug().Dur("took", time.Since(start)).Msg("cross-validated")

	opts.Progress("fit", 0, 1)
	start = time.Now()
	ens, err := fitFollower(ctx, learner, d, opts.Seed)
	if err != nil {
		return nil, fmt.Errorf("train: fit %s: %w", learner.Name(), err)
	}
	opts.Progress("fit", 1, 1)
	log.Debug().Dur("took", time.Since(start)).Int("trees", ens.NumTrees()).Msg("fitted")

	m := TrainMetrics{
		Learner:   learner.Name(),
		Seed:      opts.Seed,
		Folds:     len(folds),
		Threshold: opts.Threshold,
		Schema:    features.ProfileSchema(),
		CV:        Evaluate(cv.Scores, d.Y, opts.Threshold),
		MeanAUC:   jnum(cv.MeanAUC()),
		PerFold:   cv.Folds,
	}
	m.Rates = model.Rates{TPR: m.CV.Recall, FPR: m.CV.FPR, Positives: m.CV.Positives, Negatives: m.CV.Negatives}
	if i := ens.Blind(); i >= 0 {
		m.Blind = d.Names[i]
	}
	for _, st := range stats {
		info := SetInfo{Name: st.Set, Licence: "supplied by the user (see the file's source)",
			Read: st.Read, Dropped: st.Duplicates + st.Overlap, Fake: st.Fake, Real: st.Real}
		if src, ok := SourceByName(st.Set); ok {
			info.Platform, info.Licence, info.Citation, info.Note = src.Platform, src.Licence, src.Citation, src.Note
		}
		m.Sets = append(m.Sets, info)
	}
	names, idx := groupIndex(d)
	for _, g := range names {
		p := make([]float64, len(idx[g]))
		y := make([]bool, len(idx[g]))
		for k, i := range idx[g] {
			p[k], y[k] = cv.Scores[i], d.Y[i]
		}
		m.PerSet = append(m.PerSet, SetMetrics{Set: g, Metrics: Evaluate(p, y, opts.Threshold)})
		if cv.BlindScores != nil {
			for k, i := range idx[g] {
				p[k] = cv.BlindScores[i]
			}
			m.PerSetBlind = append(m.PerSetBlind, SetMetrics{Set: g, Metrics: Evaluate(p, y, opts.Threshold)})
		}
	}
	if math.IsNaN(m.Rates.TPR) || math.IsNaN(m.Rates.FPR) {
		return nil, fmt.Errorf("train: held-out rates undefined (TPR %v, FPR %v)", m.Rates.TPR, m.Rates.FPR)
	}

	metricsJSON, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("train: encode metrics: %w", err)
	}
	card := NewCard(opts.Name, m)
	b := &model.Bundle{
		Name:          opts.Name,
		Schema:        features.ProfileSchema(),
		Features:      features.ProfileNames(),
		Follower:      ens,
		FollowerRates: m.Rates,
		Threshold:     opts.Threshold,
		Metrics:       metricsJSON,
		Card:          card.Markdown(),
	}
	return &Result{Bundle: b, Card: card, Metrics: m}, nil
}
