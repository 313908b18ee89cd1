// Command bonafide tells real audiences from bought ones. It reads creator
// histories (spec/creator-history.md), scores their authenticity with the
// embedded model and explains the verdict (spec/report.md).
//
// Exit codes:
//
//	0  success
//	1  the command could not run (I/O error, bad model, internal error)
//	2  usage error (unknown subcommand, bad flag)
//	3  some input was rejected: invalid documents (validate, vet, followers);
//	   for batch, every other document was still scored and written
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
)

// Exit codes, documented in the package comment and the README.
const (
	exitOK       = 0
	exitFailure  = 1
	exitUsage    = 2
	exitRejected = 3
)

// errRejected is returned when a command ran to the end but some input
// documents broke the contract; main maps it to exitRejected.
var errRejected = errors.New("some input was rejected")

// usageError marks an error in the command line.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// parseFlags parses args into fs: --help stays flag.ErrHelp (exit 0),
// any other flag error is a usage error (exit 2).
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	return nil
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

func exitCode(err error, stderr io.Writer) int {
	var ue usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.Is(err, errRejected):
		fmt.Fprintln(stderr, "bonafide:", err)
		return exitRejected
	case errors.As(err, &ue):
		fmt.Fprintln(stderr, "bonafide:", err)
		return exitUsage
	default:
		fmt.Fprintln(stderr, "bonafide:", err)
		return exitFailure
	}
}

const usage = `bonafide tells real audiences from bought ones.

Usage:
  bonafide <command> [flags] [arguments]

Commands:
  vet        score one creator history: terminal summary, --json report, --html page
  validate   check documents against the creator-history/v1 contract, print every error
%s
Global flags (before the command):
  --version          print the version and the embedded model's digest
  --log-level LEVEL  debug, info, warn or error (default warn)

Run 'bonafide <command> --help' for a command's flags. Exit codes: 0 success,
1 could not run, 2 usage error, 3 some input was rejected.
`

// env is what every subcommand gets: streams and the logger.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	logLevel       string
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bonafide", flag.ContinueOnError)
	fs.SetOutput(stderr)
	version := fs.Bool("version", false, "print the version and the embedded model's digest")
	logLevel := fs.String("log-level", "warn", "log level: debug, info, warn or error")
	fs.Usage = func() { fmt.Fprintf(stderr, usage, extraUsage()) }
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *version {
		return printVersion(stdout)
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return usageError{errors.New("no command given")}
	}
	e := env{stdin: stdin, stdout: stdout, stderr: stderr, logLevel: *logLevel}
	cmd, rest := fs.Arg(0), fs.Args()[1:]
	c, ok := commands()[cmd]
	if !ok {
		fs.Usage()
		return usageError{fmt.Errorf("unknown command %q", cmd)}
	}
	log, err := newLogger(stderr, e.logLevel)
	if err != nil {
		return usageError{err}
	}
	return c(ctx, rest, e, log)
}
