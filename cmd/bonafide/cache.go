package main

import (
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

	"bonafide/detect/batch"
)

const cacheUsage = `Usage: bonafide cache stats|gc|clear [--cache DIR] [--json]

Looks after the cache that bonafide batch keeps:
  stats  count the entries (creators, followers, checkpoints) and the size on disk
  gc     run the value-log garbage collection
  clear  delete every entry, checkpoints included (the next batch starts cold)

Flags:
`

// runCache is `bonafide cache stats|gc|clear`.
func runCache(ctx context.Context, args []string, stdout, stderr io.Writer, log zerolog.Logger) error {
	fs := flag.NewFlagSet("cache", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("cache", "", "cache `DIR` (default: bonafide in the user cache folder)")
	asJSON := fs.Bool("json", false, "print stats as JSON")
	fs.Usage = func() {
		fmt.Fprint(stderr, cacheUsage)
		fs.PrintDefaults()
	}
	var action string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		action, args = args[0], args[1:]
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if action == "" && fs.NArg() > 0 {
		action = fs.Arg(0)
	}
	switch action {
	case "stats", "gc", "clear":
	case "":
		fs.Usage()
		return errors.New("cache: no action: give stats, gc or clear")
	default:
		return fmt.Errorf("cache: unknown action %q: expected stats, gc or clear", action)
	}
	if *dir == "" {
		d, err := os.UserCacheDir()
		if err != nil {
			return fmt.Errorf("cache: no --cache and no user cache folder: %w", err)
		}
		*dir = filepath.Join(d, "bonafide")
	}
	if _, err := os.Stat(*dir); err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	c, err := batch.OpenCache(*dir, log)
	if err != nil {
		return err
	}
	defer c.Close()
	switch action {
	case "stats":
		s, err := c.Stats()
		if err != nil {
			return err
		}
		if *asJSON {
			b, _ := json.MarshalIndent(s, "", "  ")
			_, err = fmt.Fprintf(stdout, "%s\n", b)
			return err
		}
		_, err = fmt.Fprintf(stdout, "%s: %d creators, %d followers, %d checkpoints, %d stale; LSM %s, value log %s\n",
			s.Dir, s.Creators, s.Followers, s.Checkpoints, s.Other, bytesText(s.LSMBytes), bytesText(s.VlogBytes))
		return err
	case "gc":
		n, err := c.GC()
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(stdout, "value-log GC rewrote %d files\n", n)
		return err
	default:
		if err := c.Clear(); err != nil {
			return err
		}
		_, err = fmt.Fprintln(stdout, "cache cleared")
		return err
	}
}

// bytesText is n in B, KB, MB or GB (powers of 1000).
func bytesText(n int64) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.1f GB", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	}
	return fmt.Sprintf("%d B", n)
}
