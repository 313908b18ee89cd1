package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/rs/zerolog"

	"bonafide/detect"
	"bonafide/detect/batch"
)

// command runs one subcommand.
type command func(ctx context.Context, args []string, e env, log zerolog.Logger) error

// commands returns the subcommands by name.
func commands() map[string]command {
	return map[string]command{
		"vet":      runVet,
		"validate": runValidate,
		"gen": func(ctx context.Context, args []string, e env, log zerolog.Logger) error {
			return runGen(ctx, args, e.stdout, e.stderr, log)
		},
		"train": func(ctx context.Context, args []string, e env, log zerolog.Logger) error {
			return runTrain(ctx, args, e.stdin, e.stdout, e.stderr, log)
		},
		"eval": func(ctx context.Context, args []string, e env, log zerolog.Logger) error {
			return runEval(ctx, args, e.stdin, e.stdout, e.stderr, log)
		},
		"batch": func(ctx context.Context, args []string, e env, log zerolog.Logger) error {
			b, err := defaultBundle()
			if err != nil {
				return err
			}
			// Naming the model up front keys the cache at once; a warm run
			// whose every document hits never builds the engine.
			newVetter := func(followerScore batch.FollowerScoreFunc) (batch.Vetter, error) {
				return detect.New(b, detect.Options{FollowerScore: followerScore}, log)
			}
			err = runBatch(ctx, args, e.stdin, e.stdout, e.stderr, log, detect.ModelName(b), newVetter)
			if errors.Is(err, batch.ErrRejected) {
				return fmt.Errorf("%w: %w", errRejected, err)
			}
			return err
		},
		"cache": func(ctx context.Context, args []string, e env, log zerolog.Logger) error {
			return runCache(ctx, args, e.stdout, e.stderr, log)
		},
		"train-creator": func(ctx context.Context, args []string, e env, log zerolog.Logger) error {
			return runTrainCreator(ctx, args, e.stdin, e.stdout, e.stderr, log)
		},
		"eval-creators": func(ctx context.Context, args []string, e env, log zerolog.Logger) error {
			return runEvalCreators(ctx, args, e.stdout, e.stderr, log)
		},
		"followers": func(ctx context.Context, args []string, e env, log zerolog.Logger) error {
			return runFollowers(ctx, args, e.stdin, e.stdout, e.stderr, log)
		},
	}
}

// extraUsage lists the subcommands beyond vet and validate for the usage
// text.
func extraUsage() string {
	return `  batch      the nightly runner: many documents, every core, Badger cache, --resume
  cache      stats, gc or clear the batch cache
  gen        simulate labelled creators (documents and their truth)
  train      train a model bundle on labelled follower sets
  train-creator  add the creator model and norms to a bundle (--eval N prints the bars)
  eval-creators  vet simulated holdout creators and composites with a bundle: the creator model's bars
  eval       measure a bundle or learners on labelled sets (cross-validation, leave-one-set-out)
  followers  score a list of accounts: JSON Lines {"id", "p_fake"} in input order
`
}
