package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"bonafide/fixtures"
)

// runGen is `bonafide gen`: it simulates labelled creators (see package
// fixtures) and writes them with their truth file into --out.
func runGen(ctx context.Context, args []string, stdout, stderr io.Writer, log zerolog.Logger) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: bonafide gen --n N --seed S [--scenario NAME]... [--platform P] [--tier T] --out DIR [--jsonl]")
		fmt.Fprintln(fs.Output(), "\nSimulates labelled creators: creator-history/v1 documents and truth.jsonl.")
		fmt.Fprintln(fs.Output(), "\nScenarios (mix base ones with +, e.g. viral+bought-burst):")
		for _, s := range fixtures.Scenarios() {
			fmt.Fprintf(fs.Output(), "  %-28s %s\n", s.Name, s.Label)
		}
		fmt.Fprintln(fs.Output(), "\nFlags:")
		fs.PrintDefaults()
	}
	var opts fixtures.Options
	var out string
	var jsonl bool
	fs.IntVar(&opts.N, "n", 1, "number of creators")
	fs.IntVar(&opts.First, "first", 0, "index of the first creator (to split a run into shards)")
	fs.Uint64Var(&opts.Seed, "seed", 0, "seed of the simulated world: same seed and flags, same bytes")
	fs.Func("scenario", "scenario or mix to generate; repeat or separate with commas (default: every scenario in turn)", func(s string) error {
		for _, name := range strings.Split(s, ",") {
			if name = strings.TrimSpace(name); name != "" {
				opts.Scenarios = append(opts.Scenarios, name)
			}
		}
		return nil
	})
	fs.StringVar(&opts.Platform, "platform", "", "instagram, tiktok, youtube or x (default: drawn per creator)")
	fs.StringVar(&opts.Tier, "tier", "", "nano, micro, mid or macro (default: drawn per creator)")
	fs.StringVar(&opts.Variant, "variant", fixtures.VariantTrain, "train, or holdout for shifted parameter ranges to evaluate on")
	fs.IntVar(&opts.MaxFollowers, "max-followers", fixtures.DefaultMaxFollowers, "followers listed per creator; larger bases are sampled")
	fs.BoolVar(&opts.RecentSample, "recent", false, "sample the most recent followers instead of a random sample")
	fs.IntVar(&opts.MaxPosts, "max-posts", fixtures.DefaultMaxPosts, "posts listed per creator")
	fs.IntVar(&opts.MaxComments, "max-comments", fixtures.DefaultMaxComments, "comments listed per post")
	fs.IntVar(&opts.Days, "days", fixtures.DefaultDays, "days of daily follower snapshots")
	fs.StringVar(&out, "out", "", "output folder (required)")
	fs.BoolVar(&jsonl, "jsonl", false, "write one creators.jsonl instead of one .json file per creator")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("gen: unexpected argument %q", fs.Arg(0))}
	}
	if out == "" {
		fs.Usage()
		return errors.New("gen: --out is required")
	}
	start := time.Now()
	n, err := fixtures.Write(ctx, out, opts, jsonl)
	if err != nil {
		return fmt.Errorf("gen: %w", err)
	}
	log.Info().Int("creators", n).Str("out", out).Uint64("seed", opts.Seed).
		Dur("took", time.Since(start)).Msg("generated")
	fmt.Fprintf(stdout, "wrote %d creators and %s to %s\n", n, fixtures.TruthFile, out)
	return nil
}
