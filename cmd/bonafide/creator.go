package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"bonafide/detect"
	"bonafide/detect/model"
	"bonafide/fixtures"
	"bonafide/training"
)

const trainCreatorUsage = `Usage: bonafide train-creator [flags]

Adds the creator model to a bundle: simulates labelled creators (fixtures,
variant train), scores their followers with the bundle's follower model,
measures the fake-share correction and the norms, fits and calibrates the
creator model, and writes the bundle with it (any creator model the input
had is replaced). With --eval N it then vets N simulated creators of the
holdout variant (scenario parameters training never saw) and, with the
labelled sets found, composites of real labelled followers, and prints the
figures the model is judged by. Same input bundle, flags and seed, same
bytes.

Flags:
`

// runTrainCreator is the train-creator subcommand.
func runTrainCreator(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, log zerolog.Logger) error {
	fs := flag.NewFlagSet("train-creator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		opts     training.CreatorOptions
		in       = fs.String("model", "", "bundle whose follower model scores the followers (default: the embedded model)")
		out      = fs.String("out", "bonafide.bundle", "bundle to write; its creator metrics and Markdown card go beside it (NAME.creator.json, NAME.card.md)")
		evalN    = fs.Int("eval", 0, "vet this many simulated holdout creators after training and print the bars (0 = none)")
		evalSeed = fs.Uint64("eval-seed", 1001, "seed of the evaluation creators")
		data     = fs.String("data", "", "folder of the labelled sets for the composite evaluation (default $BONAFIDE_DATASETS or "+defaultDataDir+")")
	)
	fs.IntVar(&opts.N, "n", training.DefaultCreators, "simulated training creators")
	fs.Uint64Var(&opts.Seed, "seed", 1, "seed of the simulation, the folds and the learner")
	fs.IntVar(&opts.Folds, "folds", training.DefaultFolds, "cross-validation folds of the calibration")
	fs.IntVar(&opts.MaxFollowers, "max-followers", training.DefaultCreatorMaxFollowers, "followers listed per simulated creator")
	fs.IntVar(&opts.NormCreators, "norm-creators", training.DefaultNormCreators, "extra authentic creators simulated for the norms (negative: none)")
	fs.Usage = func() { fmt.Fprint(stderr, trainCreatorUsage); fs.PrintDefaults() }
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("train-creator: unexpected argument %q", fs.Arg(0))}
	}
	b, err := loadBundle(*in)
	if err != nil {
		return err
	}
	bar := newProgress(stderr)
	defer bar.done()
	opts.Progress = bar.set
	start := time.Now()
	nb, m, err := training.TrainCreator(ctx, b, opts, log)
	if err != nil {
		return err
	}
	bar.done()
	data2, err := nb.Encode()
	if err != nil {
		return fmt.Errorf("train-creator: %w", err)
	}
	metrics, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("train-creator: encode metrics: %w", err)
	}
	if err := os.WriteFile(*out, data2, 0o644); err != nil {
		return fmt.Errorf("train-creator: %w", err)
	}
	if err := os.WriteFile(strings.TrimSuffix(*out, ".bundle")+".creator.json", append(metrics, '\n'), 0o644); err != nil {
		return fmt.Errorf("train-creator: %w", err)
	}
	// The bundle's card now has the creator section: the Markdown card
	// beside it says the same.
	if err := os.WriteFile(strings.TrimSuffix(*out, ".bundle")+".card.md", []byte(nb.Card), 0o644); err != nil {
		return fmt.Errorf("train-creator: %w", err)
	}
	log.Info().Str("bundle", *out).Str("digest", nb.Digest()).Dur("took", time.Since(start)).Msg("trained creator model")
	fmt.Fprintf(stdout, "wrote %s (digest %s)\n", *out, nb.Digest())
	fmt.Fprintf(stdout, "creator model: %d creators (%d inauthentic), %d trees; %d-fold out-of-fold ROC-AUC %.4f, review %.1f%%, accuracy outside review %.4f\n",
		m.Creators, m.Inauthentic, m.Trees, m.Folds, m.CV.ROCAUC, 100*m.Verdicts.Review, m.Verdicts.Accuracy)
	fmt.Fprintf(stdout, "fake-share correction: TPR %.4f FPR %.4f (between audiences TPR %.4f-%.4f, FPR %.4f-%.4f)\n", m.Rates.TPR, m.Rates.FPR, m.Rates.TPRRange[0], m.Rates.TPRRange[1], m.Rates.FPRRange[0], m.Rates.FPRRange[1])
	if *evalN <= 0 {
		return nil
	}
	return evalCreators(ctx, nb, training.CreatorEvalOptions{N: *evalN, Seed: *evalSeed}, *data, false, bar, stdout, log)
}

const evalCreatorsUsage = `Usage: bonafide eval-creators [flags]

Vets simulated creators (variant holdout by default: scenario parameters
training never saw) with a bundle and, with the labelled sets found,
composites of real labelled followers at known fake shares, and prints the
figures the creator model is judged by (ROC-AUC, verdicts, fake-share error
and interval coverage, spikes), per scenario. Nothing is trained.

Flags:
`

// runEvalCreators is the eval-creators subcommand.
func runEvalCreators(ctx context.Context, args []string, stdout, stderr io.Writer, log zerolog.Logger) error {
	fs := flag.NewFlagSet("eval-creators", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		in      = fs.String("model", "", "bundle to evaluate (default: the embedded model)")
		n       = fs.Int("n", 480, "simulated creators to vet")
		seed    = fs.Uint64("seed", 1001, "seed of the simulated creators")
		variant = fs.String("variant", fixtures.VariantHoldout, "simulator variant: "+fixtures.VariantHoldout+" or "+fixtures.VariantTrain)
		data    = fs.String("data", "", "folder of the labelled sets for the composites (default $BONAFIDE_DATASETS or "+defaultDataDir+"); \"-\" skips them")
		asJSON  = fs.Bool("json", false, "print the figures as JSON")
	)
	fs.Usage = func() { fmt.Fprint(stderr, evalCreatorsUsage); fs.PrintDefaults() }
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("eval-creators: unexpected argument %q", fs.Arg(0))}
	}
	if *variant != fixtures.VariantHoldout && *variant != fixtures.VariantTrain {
		return usageError{fmt.Errorf("eval-creators: --variant %q: want %s or %s", *variant, fixtures.VariantHoldout, fixtures.VariantTrain)}
	}
	b, err := loadBundle(*in)
	if err != nil {
		return err
	}
	bar := newProgress(stderr)
	defer bar.done()
	return evalCreators(ctx, b, training.CreatorEvalOptions{N: *n, Seed: *seed, Variant: *variant}, *data, *asJSON, bar, stdout, log)
}

// evalCreators vets simulated creators with b, then composites of real
// labelled followers when the sets are found, and prints both.
func evalCreators(ctx context.Context, b *model.Bundle, opts training.CreatorEvalOptions, data string, asJSON bool, bar *progress, stdout io.Writer, log zerolog.Logger) error {
	eng, err := detect.New(b, detect.Options{}, log)
	if err != nil {
		return err
	}
	opts.Progress = func(done, total int) { bar.set("eval", done, total) }
	ev, err := training.EvaluateCreators(ctx, eng, opts)
	if err != nil {
		return err
	}
	bar.done()
	out := struct {
		Creators   training.CreatorEval    `json:"creators"`
		Composites *training.CompositeEval `json:"composites,omitempty"`
	}{Creators: ev}
	if data != "-" {
		ex, _, err := training.Import(ctx, dataDir(data), training.DefaultSets())
		if err != nil {
			log.Warn().Err(err).Msg("composites skipped")
		} else {
			ce, err := training.EvaluateComposites(ctx, b, eng.Rates(), ex, training.CompositeOptions{Seed: opts.Seed})
			if err != nil {
				return err
			}
			out.Composites = &ce
		}
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	printCreatorEval(stdout, ev)
	if out.Composites != nil {
		printCompositeEval(stdout, *out.Composites)
	}
	return nil
}

// printCreatorEval prints the bars of the creator model.
func printCreatorEval(w io.Writer, ev training.CreatorEval) {
	fmt.Fprintf(w, "%s creators: %d (vet %.1f ms each)\n", ev.Variant, ev.Creators, float64(ev.VetTime.Microseconds())/1000/float64(max(ev.Creators, 1)))
	fmt.Fprintf(w, "  ROC-AUC                          %.4f  (bar >= 0.97)\n", ev.ROCAUC)
	fmt.Fprintf(w, "  accuracy outside review          %.4f  (bar >= 0.90)\n", ev.Verdicts.Accuracy)
	fmt.Fprintf(w, "  in review                        %.4f  (bar <= 0.15)\n", ev.Verdicts.Review)
	fmt.Fprintf(w, "  fake share MAE                   %.4f  (bar <= 0.04)\n", ev.ShareMAE)
	fmt.Fprintf(w, "  90%% interval coverage            %.4f  (bar 0.85-0.95)\n", ev.ShareCoverage)
	fmt.Fprintf(w, "  organic spikes called suspicious %.4f  (%d of %d; bar <= 0.05)\n", ev.OrganicSuspiciousRate(), ev.OrganicSuspicious, ev.OrganicSpikes)
	fmt.Fprintf(w, "  bought bursts found              %.4f  (%d of %d; bar >= 0.95)\n", ev.BurstRecall(), ev.BurstsFound, ev.BoughtBursts)
	fmt.Fprintf(w, "  %-28s %4s %6s %5s %6s %7s %7s %7s\n", "scenario", "n", "score", "right", "review", "share", "est", "mae")
	for _, s := range ev.PerScenario {
		fmt.Fprintf(w, "  %-28s %4d %6.1f %5d %6d %7.3f %7.3f %7.3f\n", s.Scenario, s.N, s.MeanScore, s.Right, s.Review, s.MeanShare, s.MeanEstimate, s.ShareMAE)
	}
}

// printCompositeEval prints the fake-share error on composites.
func printCompositeEval(w io.Writer, ce training.CompositeEval) {
	fmt.Fprintf(w, "composites of real labelled followers: %d bases, shares 0-60%%\n", ce.N)
	fmt.Fprintf(w, "  fake share MAE                   %.4f  (bar <= 0.05)\n", ce.MAE)
	fmt.Fprintf(w, "  90%% interval coverage            %.4f\n", ce.Coverage)
	for _, s := range ce.PerSet {
		fmt.Fprintf(w, "  %-14s n %3d  MAE %.4f  coverage %.4f\n", s.Set, s.N, s.MAE, s.Coverage)
	}
}
