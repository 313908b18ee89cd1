// Command bonafide tells real audiences from bought ones.
//
// This main is a stand-in so that the data branch builds on its own; the
// lead's main.go replaces it and wires every subcommand.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/rs/zerolog"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	log := zerolog.New(zerolog.ConsoleWriter{Out: os.Stderr, NoColor: true}).Level(zerolog.InfoLevel).With().Timestamp().Logger()
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, log)
	stop()
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "bonafide:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, log zerolog.Logger) error {
	if len(args) == 0 {
		return errors.New("usage: bonafide train|eval|followers [flags]")
	}
	switch args[0] {
	case "train":
		return runTrain(ctx, args[1:], stdin, stdout, stderr, log)
	case "eval":
		return runEval(ctx, args[1:], stdin, stdout, stderr, log)
	case "followers":
		return runFollowers(ctx, args[1:], stdin, stdout, stderr, log)
	}
	return fmt.Errorf("unknown command %q", args[0])
}
