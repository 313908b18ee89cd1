package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/rs/zerolog"

	"bonafide/training"
)

// The default bundle detect/model/default.bundle (with its card and
// metrics beside it) is built by scripts/build-default-model.sh (also run
// by `go generate ./cmd/bonafide`) with the labelled sets in
// ../shared/datasets: train with gbdt and seed 1, then train-creator. It
// gives the same bytes on every run and at any GOMAXPROCS.
//
//go:generate ../../scripts/build-default-model.sh

// defaultDataDir is where train and eval look for the labelled sets when
// neither --data nor BONAFIDE_DATASETS says.
const defaultDataDir = "../shared/datasets"

// dataDir returns the datasets folder: the flag, else BONAFIDE_DATASETS,
// else defaultDataDir.
func dataDir(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	if env := os.Getenv("BONAFIDE_DATASETS"); env != "" {
		return env
	}
	if dir, err := training.FindDatasets("."); err == nil {
		return dir // beside the module, from anywhere inside it
	}
	return defaultDataDir
}

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// learnerFlags registers the learner options shared by train and eval.
func learnerFlags(fs *flag.FlagSet, o *training.LearnerOptions) {
	fs.IntVar(&o.Trees, "trees", 0, "trees of a forest or most boosting rounds (0 = the learner's default)")
	fs.Float64Var(&o.LearningRate, "learning-rate", 0, "shrinkage of each boosting round (0 = default)")
	fs.IntVar(&o.MaxDepth, "max-depth", 0, "depth limit of each tree (0 = default)")
	fs.IntVar(&o.MinLeaf, "min-leaf", 0, "fewest rows in a leaf (0 = default)")
	fs.IntVar(&o.MaxLeaves, "max-leaves", 0, "leaf limit of each boosted tree (0 = default)")
	fs.Float64Var(&o.L2, "l2", 0, "L2 penalty on leaf values (0 = default)")
	fs.Float64Var(&o.Subsample, "subsample", 0, "share of rows drawn for each tree (0 = default)")
	fs.Float64Var(&o.ColSample, "colsample", 0, "share of features drawn for each tree (0 = default)")
	fs.Float64Var(&o.ValidFraction, "valid-fraction", 0, "share of rows held out for early stopping; negative disables it (0 = default)")
	fs.BoolVar(&o.NoClassWeights, "no-class-weights", false, "do not weight the classes to equal total weight")
}

// runTrain fits a learner on labelled sets and writes a bundle, its model
// card (Markdown and JSON) and its metrics (JSON).
func runTrain(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, log zerolog.Logger) error {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		opts    training.TrainOptions
		learn   training.LearnerOptions
		data    = fs.String("data", "", "folder of the labelled sets (default $BONAFIDE_DATASETS or "+defaultDataDir+")")
		sets    = fs.String("sets", strings.Join(training.DefaultSets(), ","), "sets to train on: known names ("+strings.Join(training.SourceNames(), ", ")+") or labelled JSON Lines files")
		learner = fs.String("learner", training.DefaultLearner, "learner: "+strings.Join(training.Learners(), ", "))
		out     = fs.String("out", "bonafide.bundle", "bundle to write; the card and metrics go beside it (NAME.card.md, NAME.card.json, NAME.metrics.json)")
	)
	fs.Uint64Var(&opts.Seed, "seed", 1, "seed of the folds and the learner")
	fs.IntVar(&opts.Folds, "folds", training.DefaultFolds, "cross-validation folds for the held-out error rates")
	fs.Float64Var(&opts.Threshold, "threshold", training.DefaultThreshold, "P(fake) from which a follower counts as fake")
	fs.StringVar(&opts.Name, "name", "", "bundle name (default bonafide-LEARNER)")
	fs.BoolVar(&opts.BalanceSets, "balance-sets", false, "weight rows so that every set carries the same total weight")
	learnerFlags(fs, &learn)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("train: unexpected argument %q", fs.Arg(0))}
	}
	opts.Root = dataDir(*data)
	opts.Sets = splitList(*sets)
	bar := newProgress(stderr)
	defer bar.done()
	learn.Progress = func(done, total int) { bar.set("fit", done, total) }
	l, err := training.NewLearner(*learner, learn)
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	opts.Progress = bar.set
	start := time.Now()
	res, err := training.Train(ctx, l, opts, log)
	if err != nil {
		return err
	}
	bar.done()
	data2, err := res.Bundle.Encode()
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	card, err := json.MarshalIndent(res.Card, "", "  ")
	if err != nil {
		return fmt.Errorf("train: encode card: %w", err)
	}
	metrics, err := json.MarshalIndent(res.Metrics, "", "  ")
	if err != nil {
		return fmt.Errorf("train: encode metrics: %w", err)
	}
	base := strings.TrimSuffix(*out, filepath.Ext(*out))
	for _, f := range []struct {
		path string
		data []byte
	}{
		{*out, data2},
		{base + ".card.md", []byte(res.Card.Markdown())},
		{base + ".card.json", append(card, '\n')},
		{base + ".metrics.json", append(metrics, '\n')},
	} {
		if err := os.WriteFile(f.path, f.data, 0o644); err != nil {
			return fmt.Errorf("train: %w", err)
		}
	}
	m := res.Metrics
	log.Info().Str("bundle", *out).Str("digest", res.Bundle.Digest()).Str("learner", m.Learner).
		Int("trees", res.Bundle.Follower.NumTrees()).Dur("took", time.Since(start)).Msg("trained")
	fmt.Fprintf(stdout, "wrote %s (digest %s)\n", *out, res.Bundle.Digest())
	fmt.Fprintf(stdout, "%d-fold out-of-fold: ROC-AUC %.4f  PR-AUC %.4f  F1 %.4f  MCC %.4f  TPR %.4f  FPR %.4f\n",
		m.Folds, m.CV.ROCAUC, m.CV.PRAUC, m.CV.F1, m.CV.MCC, m.Rates.TPR, m.Rates.FPR)
	return nil
}

// progress draws a one-line progress bar on a terminal and nothing
// elsewhere (a file or a pipe gets no control characters).
type progress struct {
	w     io.Writer
	on    bool
	last  time.Time
	drawn bool
}

func newProgress(stderr io.Writer) *progress {
	p := &progress{w: stderr}
	if f, ok := stderr.(*os.File); ok {
		p.on = isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
	}
	return p
}

// set shows stage at done of total; it redraws at most ten times a second.
func (p *progress) set(stage string, done, total int) {
	if !p.on || total <= 0 {
		return
	}
	if now := time.Now(); done < total && now.Sub(p.last) < 100*time.Millisecond {
		return
	} else {
		p.last = now
	}
	const width = 30
	filled := min(width, width*done/total)
	fmt.Fprintf(p.w, "\r%-6s [%s%s] %d/%d ", stage, strings.Repeat("=", filled), strings.Repeat(" ", width-filled), done, total)
	p.drawn = true
}

// done ends the bar's line.
func (p *progress) done() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
		p.drawn = false
	}
}
