package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"bonafide/detect"
)

const sample = "../../fixtures/samples/bought-burst-micro-instagram.json"

func runCmd(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), err
}

func TestVetJSONIsTheContractAndStable(t *testing.T) {
	a, _, err := runCmd(t, "", "vet", "--json", sample)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := runCmd(t, "", "vet", "--json", sample)
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Fatal("vet --json gave different bytes for the same input")
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(a), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"format", "creator_id", "platform", "handle", "observed_at", "model", "input_sha256",
		"authenticity", "verdict", "fake_followers", "signals", "growth_spikes", "reasons", "warnings"} {
		if _, ok := m[k]; !ok {
			t.Errorf("report lacks %q", k)
		}
	}
	var r detect.Report
	if err := json.Unmarshal([]byte(a), &r); err != nil {
		t.Fatal(err)
	}
	if r.Format != detect.ReportFormat {
		t.Errorf("format %q", r.Format)
	}
}

func TestVetFromStandardInput(t *testing.T) {
	fromFile, _, err := runCmd(t, "", "vet", "--json", sample)
	if err != nil {
		t.Fatal(err)
	}
	data := mustRead(t, sample)
	fromStdin, _, err := runCmd(t, data, "vet", "--json", "-")
	if err != nil {
		t.Fatal(err)
	}
	if fromFile != fromStdin {
		t.Error("vet of a file and of the same bytes on standard input differ")
	}
}

func TestVetSummary(t *testing.T) {
	out, _, err := runCmd(t, "", "vet", sample)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"authenticity", "verdict", "fake followers", "model "} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
}

func TestValidateNamesTheFieldAndExitCode(t *testing.T) {
	bad, err := filepath.Glob("../../features/testdata/bad/*.json")
	if err != nil || len(bad) == 0 {
		t.Fatalf("no bad documents: %v", err)
	}
	out, _, err := runCmd(t, "", append([]string{"validate"}, bad...)...)
	if !errors.Is(err, errRejected) {
		t.Fatalf("validate of bad documents: err %v, want errRejected", err)
	}
	if got := exitCode(err, &bytes.Buffer{}); got != exitRejected {
		t.Errorf("exit code %d, want %d", got, exitRejected)
	}
	if n := strings.Count(out, ": invalid: "); n != len(bad) {
		t.Errorf("%d invalid lines for %d bad documents:\n%s", n, len(bad), out)
	}
	good, _ := filepath.Glob("../../fixtures/samples/*[^h].json")
	if _, _, err := runCmd(t, "", append([]string{"validate", "-q"}, good...)...); err != nil {
		t.Errorf("validate of the samples: %v", err)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{}, {"nope"}, {"vet"}, {"--log-level", "loud", "vet", sample},
		{"vet", "--nope", sample}, {"validate", "--nope"}, {"gen", "--nope"}, {"train", "extra"},
		{"eval", "--nope"}, {"followers"}, {"batch", "--out", "x"}, {"batch", "--in", sample},
		{"cache", "--nope"}, {"train-creator", "extra"}, {"eval-creators", "extra"},
		{"eval-creators", "--variant", "nope"},
	} {
		_, _, err := runCmd(t, "", args...)
		if got := exitCode(err, &bytes.Buffer{}); got != exitUsage {
			t.Errorf("%q: exit %d (%v), want %d", args, got, err, exitUsage)
		}
	}
}

func TestVersion(t *testing.T) {
	out, _, err := runCmd(t, "", "--version")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "bonafide ") || !strings.Contains(out, "model ") {
		t.Errorf("version: %q", out)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
