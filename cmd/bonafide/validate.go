package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/rs/zerolog"

	"bonafide/features"
)

const validateUsage = `Usage: bonafide validate [flags] FILE|DIR|- ...

Checks documents against the creator-history/v1 contract and prints every
error (one line per bad document, naming the field) and, with --warnings,
what is odd but valid. Inputs: .json, .jsonl, folders of .json files,
standard input (-), any of them gzip-compressed.

Exit status 0 when every document is valid, 3 when any is not.

Flags:
`

func runValidate(ctx context.Context, args []string, e env, log zerolog.Logger) error {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	warnings := fs.Bool("warnings", false, "also print the warnings of valid documents")
	quiet := fs.Bool("q", false, "print nothing for valid documents")
	fs.Usage = func() { fmt.Fprint(e.stderr, validateUsage); fs.PrintDefaults() }
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return usageError{errors.New("validate: no input given")}
	}
	src, err := features.Open(fs.Args(), e.stdin)
	if err != nil {
		return fmt.Errorf("validate: %w", err)
	}
	defer src.Close()

	var total, bad int
	for {
		doc, ok := src.Next(ctx)
		if !ok {
			break
		}
		total++
		where := docName(doc)
		if doc.Err != nil {
			bad++
			fmt.Fprintf(e.stdout, "%s: invalid: %v\n", where, plainError(doc))
			continue
		}
		if !*quiet {
			fmt.Fprintf(e.stdout, "%s: ok (%d warnings)\n", where, len(doc.Warnings))
		}
		if *warnings {
			for _, w := range doc.Warnings {
				fmt.Fprintf(e.stdout, "%s: warning: %s\n", where, w)
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	log.Info().Int("documents", total).Int("invalid", bad).Msg("validated")
	if bad > 0 {
		return fmt.Errorf("%w: %d of %d documents are invalid", errRejected, bad, total)
	}
	return nil
}

// docName names a document for a person: its file and, in JSON Lines, its
// line.
func docName(doc features.Document) string {
	src := doc.Source
	if src == "" {
		src = "-"
	}
	if doc.Line > 0 {
		return fmt.Sprintf("%s:%d", src, doc.Line)
	}
	return src
}

// plainError is the document's error without the source and line that
// docName already gives.
func plainError(doc features.Document) string {
	var fe *features.FieldError
	if errors.As(doc.Err, &fe) {
		if fe.Field == "" {
			return fmt.Sprintf("expected %s, found %s", fe.Expected, fe.Found)
		}
		return fmt.Sprintf("%s: expected %s, found %s", fe.Field, fe.Expected, fe.Found)
	}
	return doc.Err.Error()
}
