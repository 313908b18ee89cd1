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

// TestEvalCreators vets a few simulated holdout creators with the
// embedded model and reads the figures back from --json: one creator per
// scenario, an ROC-AUC between 0 and 1, and the text form names the bars.
func TestEvalCreators(t *testing.T) {
	js, _, err := runCmd(t, "", "eval-creators", "--n", "24", "--data", "-", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Creators struct {
			Creators    int     `json:"creators"`
			ROCAUC      float64 `json:"roc_auc"`
			PerScenario []struct {
				Scenario string `json:"scenario"`
				N        int    `json:"n"`
			} `json:"per_scenario"`
		} `json:"creators"`
		Composites *json.RawMessage `json:"composites"`
	}
	if err := json.Unmarshal([]byte(js), &out); err != nil {
		t.Fatalf("%v\n%s", err, js)
	}
	c := out.Creators
	if c.Creators != 24 || len(c.PerScenario) != 12 || !(c.ROCAUC > 0.5 && c.ROCAUC <= 1) {
		t.Errorf("creators %d, scenarios %d, ROC-AUC %v; want 24, 12, above chance", c.Creators, len(c.PerScenario), c.ROCAUC)
	}
	if out.Composites != nil {
		t.Error("composites with --data -")
	}
	text, _, err := runCmd(t, "", "eval-creators", "--n", "12", "--data", "-")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ROC-AUC", "bought bursts found", "90% interval coverage"} {
		if !strings.Contains(text, want) {
			t.Errorf("text output lacks %q:\n%s", want, text)
		}
	}
}
