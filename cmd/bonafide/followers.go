package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/rs/zerolog"

	"bonafide/detect/model"
	"bonafide/features"
	"bonafide/training"
)

// runFollowers scores accounts in the generic labelled format (labels, if
// any, are ignored) and writes one JSON line {"id": ..., "p_fake": ...} per
// account, in input order.
func runFollowers(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, log zerolog.Logger) error {
	fs := flag.NewFlagSet("followers", flag.ContinueOnError)
	fs.SetOutput(stderr)
	bundlePath := fs.String("bundle", "", "bundle to score with")
	observed := fs.String("observed-at", "", "time (RFC 3339 or a date) to measure ages from for lines without observed_at; without it their ages are unknown")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{fmt.Errorf("followers: want one FILE or - (standard input), have %d arguments", fs.NArg())}
	}
	if *bundlePath == "" {
		return fmt.Errorf("followers: --bundle is required")
	}
	raw, err := os.ReadFile(*bundlePath)
	if err != nil {
		return fmt.Errorf("followers: %w", err)
	}
	b, err := model.Decode(raw, features.ProfileSchema())
	if err != nil {
		return fmt.Errorf("followers: %s: %w", *bundlePath, err)
	}
	if b.Follower == nil {
		return fmt.Errorf("followers: %s has no follower model", *bundlePath)
	}
	var defaultObserved features.OptTime
	if *observed != "" {
		t, err := features.ParseTime(*observed)
		if err != nil {
			return fmt.Errorf("followers: --observed-at: %w", err)
		}
		defaultObserved = features.SomeTime(t)
	}
	in := stdin
	name := "standard input"
	if arg := fs.Arg(0); arg != "-" {
		f, err := os.Open(arg)
		if err != nil {
			return fmt.Errorf("followers: %w", err)
		}
		defer f.Close()
		in, name = f, arg
	}
	w := bufio.NewWriter(stdout)
	start := time.Now()
	n := 0
	vec := make([]float64, 0, len(features.ProfileNames()))
	line := make([]byte, 0, 128)
	err = training.ReadLabelled(ctx, in, false, func(_ int, l training.Labelled) error {
		if !l.ObservedAt.OK {
			l.ObservedAt = defaultObserved
		}
		vec = l.Example().Profile.Vector(vec[:0])
		p := b.Follower.Predict(vec)
		line = append(line[:0], `{"id":`...)
		id, err := json.Marshal(l.ID)
		if err != nil {
			return err
		}
		line = append(line, id...)
		line = append(line, `,"p_fake":`...)
		line = strconv.AppendFloat(line, p, 'g', -1, 64)
		line = append(line, "}\n"...)
		n++
		_, err = w.Write(line)
		return err
	})
	if err != nil {
		return fmt.Errorf("followers: %s: %w", name, err)
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("followers: %w", err)
	}
	log.Info().Int("accounts", n).Dur("took", time.Since(start)).Str("model", b.Name).Msg("scored")
	return nil
}
