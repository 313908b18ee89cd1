package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/rs/zerolog"

	"bonafide/detect/batch"
)

const batchUsage = `Usage: bonafide batch --in PATH... --out FILE [flags]

Scores every creator-history document of the inputs and writes one JSON line
per document, in input order, to FILE: a report, or an error line for a
document that could not be scored. Inputs are .json, .jsonl (and .gz of
those) files, folders of them, or - for standard input; several paths may
follow one --in. A killed run goes on with --resume and writes the same bytes
an uninterrupted run would. SIGINT or SIGTERM finish the documents in flight,
checkpoint and stop (exit 1; --resume goes on).

Exit codes: 0 all scored; 3 some documents rejected (the rest scored and
written); 1 the run could not finish.

Flags:
`

// runBatch is `bonafide batch`: flags fill batch.Options, the run's
// progress goes to stderr (a bar on a terminal, log events otherwise),
// and its summary to stderr and the --summary and --metrics files. It
// returns an error wrapping batch.ErrRejected when some documents were
// rejected and everything else was written.
func runBatch(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, log zerolog.Logger,
	model string, newVetter func(followerScore batch.FollowerScoreFunc) (batch.Vetter, error)) error {
	fs := flag.NewFlagSet("batch", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var opts batch.Options
	fs.Func("in", "input `PATH`: a .json or .jsonl file (or .gz), a folder, or - for standard input; repeatable", func(s string) error {
		opts.Inputs = append(opts.Inputs, s)
		return nil
	})
	fs.StringVar(&opts.Out, "out", "", "output `FILE` (JSON Lines); required")
	fs.StringVar(&opts.CacheDir, "cache", "", "cache `DIR` (default: bonafide in the user cache folder)")
	fs.IntVar(&opts.Workers, "workers", 0, "concurrent scorers (0 = every core)")
	fs.BoolVar(&opts.Resume, "resume", false, "go on from the last checkpoint of --out")
	summaryFile := fs.String("summary", "", "also write the summary as JSON to `FILE`")
	metricsFile := fs.String("metrics", "", "write Prometheus metrics for node_exporter's textfile collector to `FILE`")
	htmlDir := fs.String("html-dir", "", "write an HTML report to `DIR` for each creator scored in this run whose verdict is not authentic")
	progress := fs.String("progress", "auto", "progress display: auto (a bar on a terminal, log events otherwise), bar, log or none")
	fs.Usage = func() {
		fmt.Fprint(stderr, batchUsage)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, spreadIn(args)); err != nil {
		return err
	}
	opts.Inputs = append(opts.Inputs, fs.Args()...)
	switch {
	case len(opts.Inputs) == 0:
		return usageError{errors.New("batch: no input: give --in PATH (- for standard input)")}
	case opts.Out == "":
		return usageError{errors.New("batch: no output: give --out FILE")}
	case opts.Out == "-":
		return usageError{errors.New("batch: --out must be a file (a checkpointed output cannot be standard output)")}
	}
	if opts.CacheDir == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			return fmt.Errorf("batch: no --cache and no user cache folder: %w", err)
		}
		opts.CacheDir = filepath.Join(dir, "bonafide")
	}
	opts.Stdin = stdin
	opts.NewVetter, opts.Model = newVetter, model
	if *htmlDir != "" {
		if err := os.MkdirAll(*htmlDir, 0o755); err != nil {
			return fmt.Errorf("batch: --html-dir: %w", err)
		}
		opts.NewVetter = func(fs batch.FollowerScoreFunc) (batch.Vetter, error) {
			v, err := newVetter(fs)
			if err != nil {
				return nil, err
			}
			return pageWriter{Vetter: v, dir: *htmlDir}, nil
		}
	}

	mode := *progress
	if mode == "auto" {
		mode = "log"
		if f, ok := stderr.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
			mode = "bar"
		}
	}
	switch mode {
	case "bar":
		opts.Progress = batch.NewBar(stderr, 30).Update
	case "log":
		var last time.Time
		opts.ProgressEvery = time.Second
		opts.Progress = func(p batch.Progress) {
			if !p.Final && time.Since(last) < 10*time.Second {
				return
			}
			last = time.Now()
			ev := log.Info().Int64("documents", p.Done).Int64("rejected", p.Rejected).
				Float64("per_second", p.Rate()).Int64("bytes_read", p.BytesRead)
			if eta, ok := p.ETA(); ok && !p.Final {
				ev = ev.Dur("eta", eta)
			}
			ev.Msg("progress")
		}
	case "none":
	default:
		return fmt.Errorf("batch: --progress: expected auto, bar, log or none, found %q", *progress)
	}

	sum, err := batch.Run(ctx, opts, log)
	if sum.Model == "" { // the run never started
		return err
	}
	sum.WriteText(stderr)
	if *summaryFile != "" {
		if werr := sum.WriteJSONFile(*summaryFile); werr != nil {
			return errors.Join(err, werr)
		}
	}
	if *metricsFile != "" {
		if werr := sum.WriteMetricsFile(*metricsFile, time.Now()); werr != nil {
			return errors.Join(err, werr)
		}
	}
	return err
}

// spreadIn lets several paths follow one --in (`--in a.jsonl b/ -`):
// each argument after the path of an --in that is not a flag becomes an
// --in of its own.
func spreadIn(args []string) []string {
	out := make([]string, 0, len(args))
	const (
		normal    = iota
		wantPath  // after --in
		morePaths // after the path of an --in
	)
	state := normal
	for i, a := range args {
		if a == "--" {
			return append(out, args[i:]...)
		}
		isFlag := strings.HasPrefix(a, "-") && a != "-"
		switch {
		case state == wantPath:
			out, state = append(out, a), morePaths
			continue
		case state == morePaths && !isFlag:
			out = append(out, "--in", a)
			continue
		}
		out, state = append(out, a), normal
		switch {
		case a == "--in" || a == "-in":
			state = wantPath
		case strings.HasPrefix(a, "--in=") || strings.HasPrefix(a, "-in="):
			state = morePaths
		}
	}
	return out
}
