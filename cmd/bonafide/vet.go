package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/rs/zerolog"

	"bonafide/detect"
	"bonafide/detect/model"
	"bonafide/detect/report"
	"bonafide/features"
)

const vetUsage = `Usage: bonafide vet [flags] FILE|-

Scores one creator history (spec/creator-history.md) and prints a summary
for a person: the authenticity score (0-100), the verdict, the fake share of
the followers with its 90%% interval, the reasons and the growth spikes.
With --json, prints the report of spec/report.md instead. A JSON Lines file
or a folder is vetted document by document. The same input and model give
the same bytes.

Flags:
`

// vetOptions are the flags of vet.
type vetOptions struct {
	JSON  bool
	HTML  string
	Model string
}

func runVet(ctx context.Context, args []string, e env, log zerolog.Logger) error {
	fs := flag.NewFlagSet("vet", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var opts vetOptions
	fs.BoolVar(&opts.JSON, "json", false, "print the JSON report (spec/report.md) instead of the summary")
	fs.StringVar(&opts.Model, "model", "", "model bundle file (default: the embedded model)")
	fs.StringVar(&opts.HTML, "html", "", "also write a self-contained HTML report to this file (with several documents: to FILE-1.html, FILE-2.html, ...)")
	fs.Usage = func() { fmt.Fprintf(e.stderr, vetUsage); fs.PrintDefaults() }
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return usageError{errors.New("vet: no input given (a file, a folder, or - for standard input)")}
	}
	b, err := loadBundle(opts.Model)
	if err != nil {
		return err
	}
	eng, err := detect.New(b, detect.Options{}, log)
	if err != nil {
		return err
	}
	src, err := features.Open(fs.Args(), e.stdin)
	if err != nil {
		return fmt.Errorf("vet: %w", err)
	}
	defer src.Close()

	var bad, vetted int
	for {
		doc, ok := src.Next(ctx)
		if !ok {
			break
		}
		if doc.Err != nil {
			bad++
			fmt.Fprintf(e.stderr, "%s: invalid: %v\n", docName(doc), plainError(doc))
			continue
		}
		r, err := eng.Vet(ctx, doc)
		if err != nil {
			return fmt.Errorf("vet %s: %w", docName(doc), err)
		}
		vetted++
		if opts.HTML != "" {
			if err := writeHTML(htmlPath(opts.HTML, vetted), r); err != nil {
				return err
			}
		}
		if opts.JSON {
			if err := writeJSON(e.stdout, r); err != nil {
				return err
			}
			continue
		}
		if err := report.Text(e.stdout, r); err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if bad > 0 {
		return fmt.Errorf("%w: %d invalid documents", errRejected, bad)
	}
	return nil
}

// writeJSON writes v as indented JSON and a newline.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// loadBundle reads a bundle file, or returns the embedded default when
// path is empty.
func loadBundle(path string) (*model.Bundle, error) {
	if path == "" {
		return defaultBundle()
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load model: %w", err)
	}
	b, err := model.Decode(data, features.ProfileSchema())
	if err != nil {
		return nil, fmt.Errorf("load model %s: %w", path, err)
	}
	return b, nil
}

// defaultBundle returns the model embedded in the binary.
func defaultBundle() (*model.Bundle, error) {
	b, err := model.Default(features.ProfileSchema())
	if err != nil {
		return nil, fmt.Errorf("load the embedded model: %w", err)
	}
	return b, nil
}

// htmlPath names the page of the n-th vetted document: the path given for
// the first, and NAME-n.html for the ones after it.
func htmlPath(path string, n int) string {
	if n == 1 {
		return path
	}
	ext := filepath.Ext(path)
	return fmt.Sprintf("%s-%d%s", strings.TrimSuffix(path, ext), n, ext)
}

// writeHTML writes the HTML report of r to path, through a temporary file
// so that a failed run leaves no half page.
func writeHTML(path string, r detect.Report) error {
	var buf bytes.Buffer
	if err := report.HTML(&buf, r); err != nil {
		return fmt.Errorf("render html report: %w", err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	return nil
}
