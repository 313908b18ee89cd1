package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/rs/zerolog"

	"bonafide/detect/model"
	"bonafide/features"
	"bonafide/training"
)

// runEval measures learners or a bundle on labelled sets: within-set
// cross-validation and leave-one-dataset-out, side by side with --compare.
func runEval(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, log zerolog.Logger) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		opts    training.EvalOptions
		learn   training.LearnerOptions
		data    = fs.String("data", "", "folder of the labelled sets (default $BONAFIDE_DATASETS or "+defaultDataDir+")")
		sets    = fs.String("sets", "instafake,kaggle,purba", "sets to evaluate on: known names ("+strings.Join(training.SourceNames(), ", ")+") or labelled JSON Lines files")
		learner = fs.String("learner", training.DefaultLearner, "learner to evaluate")
		compare = fs.String("compare", "", "comma-separated learners to put side by side (overrides --learner)")
		bundle  = fs.String("bundle", "", "evaluate this bundle on every set instead of a learner")
		modes   = fs.String("mode", "cv,lodo", "cv (within-set cross-validation), lodo (leave-one-dataset-out), or both")
		keep    = fs.String("features", "", "comma-separated features to keep (the others are treated as missing); default all")
		asJSON  = fs.Bool("json", false, "print the results as JSON")
		balance = fs.Bool("balance-sets", false, "weight rows so that every set carries the same total weight (as train --balance-sets)")
		export  = fs.String("export-folds", "", "write the feature matrix with its within-set folds to this CSV file for an outside comparison, and exit")
	)
	fs.Uint64Var(&opts.Seed, "seed", 1, "seed of the folds and the learners")
	fs.IntVar(&opts.Folds, "folds", training.DefaultFolds, "cross-validation folds")
	fs.Float64Var(&opts.Threshold, "threshold", training.DefaultThreshold, "P(fake) from which an account counts as fake")
	fs.BoolVar(&opts.MaskAbsent, "lodo-mask-absent", false, "in lodo, treat the features the left-out set lacks entirely as missing in training too")
	learnerFlags(fs, &learn)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("eval: unexpected argument %q", fs.Arg(0))}
	}
	ex, stats, err := training.Import(ctx, dataDir(*data), splitList(*sets))
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	for _, st := range stats {
		log.Info().Str("set", st.Set).Int("read", st.Read).Int("duplicates", st.Duplicates).
			Int("overlap", st.Overlap).Int("fake", st.Fake).Int("real", st.Real).Msg("imported")
	}
	d := training.DatasetOf(ex)
	if k := splitList(*keep); len(k) > 0 {
		if d, err = training.KeepFeatures(d, k); err != nil {
			return fmt.Errorf("eval: %w", err)
		}
	}
	if *balance {
		training.BalanceSets(&d)
	}
	if *export != "" {
		f, err := os.Create(*export)
		if err != nil {
			return fmt.Errorf("eval: %w", err)
		}
		if err := training.ExportFolds(f, d, opts.Folds, opts.Seed); err != nil {
			f.Close()
			return fmt.Errorf("eval: %w", err)
		}
		return f.Close()
	}

	var rows []training.EvalRow
	if *bundle != "" {
		raw, err := os.ReadFile(*bundle)
		if err != nil {
			return fmt.Errorf("eval: %w", err)
		}
		b, err := model.Decode(raw, features.ProfileSchema())
		if err != nil {
			return fmt.Errorf("eval: %s: %w", *bundle, err)
		}
		rows = training.EvalBundle(b, d)
	} else {
		names := []string{*learner}
		if *compare != "" {
			names = splitList(*compare)
		}
		modeList := splitList(*modes)
		bar := newProgress(stderr)
		defer bar.done()
		for _, name := range names {
			l, err := training.NewLearner(name, learn)
			if err != nil {
				return fmt.Errorf("eval: %w", err)
			}
			o := opts
			o.Progress = func(done, total int) { bar.set(name, done, total) }
			start := time.Now()
			r, err := training.EvalLearner(ctx, l, d, modeList, o)
			if err != nil {
				return err
			}
			bar.done()
			log.Info().Str("learner", name).Dur("took", time.Since(start)).Msg("evaluated")
			rows = append(rows, r...)
		}
		bar.done()
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Seed  uint64             `json:"seed"`
			Folds int                `json:"folds"`
			Rows  []training.EvalRow `json:"results"`
		}{opts.Seed, opts.Folds, rows})
	}
	return printEval(stdout, rows)
}

// printEval prints one line per mode and set, the learners side by side.
func printEval(w io.Writer, rows []training.EvalRow) error {
	var learners []string
	type key struct{ mode, set string }
	var keys []key
	byKey := map[key]map[string]training.EvalRow{}
	for _, r := range rows {
		k := key{r.Mode, r.Set}
		if byKey[k] == nil {
			byKey[k] = map[string]training.EvalRow{}
			keys = append(keys, k)
		}
		byKey[k][r.Learner] = r
		if !contains(learners, r.Learner) {
			learners = append(learners, r.Learner)
		}
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ROC-AUC: mean over the folds for cv, on the left-out set for lodo; the rest on out-of-fold scores at the threshold.")
	fmt.Fprint(tw, "mode\tset\trows")
	for _, l := range learners {
		fmt.Fprintf(tw, "\t%s ROC-AUC\tPR-AUC\tF1\tMCC\tP@95R\tECE", l)
	}
	fmt.Fprintln(tw)
	for _, k := range keys {
		n := 0
		for _, r := range byKey[k] {
			n = r.Metrics.N
		}
		fmt.Fprintf(tw, "%s\t%s\t%d", k.mode, k.set, n)
		for _, l := range learners {
			r, ok := byKey[k][l]
			if !ok {
				fmt.Fprint(tw, "\t-\t-\t-\t-\t-\t-")
				continue
			}
			m := r.Metrics
			auc := m.ROCAUC
			if r.Mode == training.ModeCV {
				auc = float64(r.MeanFoldAUC)
			}
			fmt.Fprintf(tw, "\t%s\t%s\t%s\t%s\t%s\t%s", f4(auc), f4(m.PRAUC), f4(m.F1), f4(m.MCC), f4(m.PrecisionAt95Recall), f4(m.ECE))
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func f4(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	return fmt.Sprintf("%.4f", x)
}
