package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"bonafide/detect"
)

// TestTrainCreatorThenVet trains a tiny creator model into a bundle file
// and vets a sample with it: the report comes from the trained model (no
// provisional warning), every signal has its norm, and the reasons add up to the score's distance
// from the baseline.
func TestTrainCreatorThenVet(t *testing.T) {
	out := filepath.Join(t.TempDir(), "tiny.bundle")
	var stdout, stderr bytes.Buffer
	args := []string{"--n", "36", "--norm-creators", "12", "--max-followers", "150", "--folds", "3", "--seed", "2", "--out", out}
	if err := runTrainCreator(context.Background(), args, nil, &stdout, &stderr, zerolog.Nop()); err != nil {
		t.Fatalf("train-creator: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "creator model: 36 creators") {
		t.Errorf("summary:\n%s", stdout.String())
	}
	js, _, err := runCmd(t, "", "vet", "--json", "--model", out, sample)
	if err != nil {
		t.Fatal(err)
	}
	var r detect.Report
	if err := json.Unmarshal([]byte(js), &r); err != nil {
		t.Fatal(err)
	}
	for _, w := range r.Warnings {
		if strings.Contains(w, "provisional") {
			t.Errorf("scored with the provisional model: %s", w)
		}
	}
	for name, sg := range r.Signals {
		if sg.Typical == nil || sg.Percentile == nil {
			t.Errorf("signal %s has no norm", name)
		}
	}
	var sum float64
	for _, re := range r.Reasons {
		sum += re.Impact
	}
	if d := sum - (r.Authenticity - r.Baseline); d > 0.011 || d < -0.011 {
		t.Errorf("impacts add up to %.2f, score %.2f - baseline %.2f", sum, r.Authenticity, r.Baseline)
	}
	text, _, err := runCmd(t, "", "vet", "--model", out, sample)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"authenticity", "fake followers", "90% interval"} {
		if !strings.Contains(text, want) {
			t.Errorf("summary lacks %q:\n%s", want, text)
		}
	}
}
