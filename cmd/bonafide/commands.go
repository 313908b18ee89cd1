package main

import (
	"context"

	"github.com/rs/zerolog"
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
		"followers": func(ctx context.Context, args []string, e env, log zerolog.Logger) error {
			return runFollowers(ctx, args, e.stdin, e.stdout, e.stderr, log)
		},
	}
}

// extraUsage lists the subcommands beyond vet and validate for the usage
// text.
func extraUsage() string {
	return `  gen        simulate labelled creators (documents and their truth)
  train      train a model bundle on labelled follower sets
  eval       measure a bundle or learners on labelled sets (cross-validation, leave-one-set-out)
  followers  score a list of accounts: JSON Lines {"id", "p_fake"} in input order
`
}
