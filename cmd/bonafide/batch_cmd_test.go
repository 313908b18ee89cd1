package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"bonafide/fixtures"
)

// TestBatchEndToEnd runs the real engine through the batch: one line per
// document (a bad one gets its error line and exit code 3), the same bytes
// from a warm cache as from a cold one and from a second cache, and a page
// for every creator that is not authentic.
func TestBatchEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("scores a generated set end to end")
	}
	dir := t.TempDir()
	gen := filepath.Join(dir, "gen")
	if _, err := fixtures.Write(context.Background(), gen, fixtures.Options{N: 6, Seed: 11, MaxFollowers: 300}, true); err != nil {
		t.Fatal(err)
	}
	docs, err := os.ReadFile(filepath.Join(gen, fixtures.CreatorsFile))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(strings.TrimRight(string(docs), "\n"), "\n")
	bad := `{"platform": "instagram", "observed_at": "2026-11-24", "creator": {"id": "x", "followers": -1}}` + "\n"
	in := filepath.Join(dir, "in.jsonl")
	all := strings.Join(lines[:3], "") + bad + strings.Join(lines[3:], "") + "\n"
	if err := os.WriteFile(in, []byte(all), 0o644); err != nil {
		t.Fatal(err)
	}

	batchRun := func(out, cache string, extra ...string) string {
		t.Helper()
		args := append([]string{"batch", "--in", in, "--out", out, "--cache", cache, "--progress", "none"}, extra...)
		_, _, err := runCmd(t, "", args...)
		if !errors.Is(err, errRejected) || exitCode(err, &bytes.Buffer{}) != exitRejected {
			t.Fatalf("batch with a bad document: %v, want exit %d", err, exitRejected)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	pages := filepath.Join(dir, "pages")
	cold := batchRun(filepath.Join(dir, "cold.jsonl"), filepath.Join(dir, "cache"), "--html-dir", pages)
	warm := batchRun(filepath.Join(dir, "warm.jsonl"), filepath.Join(dir, "cache"))
	other := batchRun(filepath.Join(dir, "other.jsonl"), filepath.Join(dir, "cache2"))
	if cold != warm || cold != other {
		t.Error("cold, warm and fresh-cache runs differ")
	}
	out := strings.Split(strings.TrimRight(cold, "\n"), "\n")
	if len(out) != len(lines)+1 {
		t.Fatalf("%d lines out for %d documents in", len(out), len(lines)+1)
	}
	if !strings.Contains(out[3], `"error"`) || !strings.Contains(out[3], "creator.followers") {
		t.Errorf("line 4 is not the bad document's error line: %s", out[3])
	}
	notAuthentic := 0
	for _, l := range out {
		if strings.Contains(l, `"verdict":"review"`) || strings.Contains(l, `"verdict":"inauthentic"`) {
			notAuthentic++
		}
	}
	got, _ := filepath.Glob(filepath.Join(pages, "*.html"))
	if len(got) != notAuthentic {
		t.Errorf("%d pages for %d creators that are not authentic", len(got), notAuthentic)
	}
}
