package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"
)

// labelledFile writes n labelled followers where fakes follow many and are
// followed by few, and returns its path.
func labelledFile(t *testing.T, dir, name string, n int) string {
	t.Helper()
	var b strings.Builder
	for i := range n {
		fake := i%2 == 0
		followers, following := 200+i*7%900, 150+i*3%400
		if fake {
			followers, following = i%40, 1000+i*11%3000
		}
		fmt.Fprintf(&b, `{"id":"%s-%d","fake":%t,"followers":%d,"following":%d,"posts":%d,"username":"user%d","platform":"instagram"}`+"\n",
			name, i, fake, followers, following, i%50, i)
	}
	path := filepath.Join(dir, name+".jsonl")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestTrainEvalFollowers(t *testing.T) {
	if testing.Short() {
		t.Skip("trains two small models")
	}
	ctx := context.Background()
	log := zerolog.New(zerolog.NewTestWriter(t))
	dir := t.TempDir()
	a := labelledFile(t, dir, "a", 240)
	b := labelledFile(t, dir, "b", 160)
	out := filepath.Join(dir, "m.bundle")

	var stdout, stderr bytes.Buffer
	err := runTrain(ctx, []string{"--sets", a + "," + b, "--seed", "2", "--folds", "3", "--trees", "30", "--out", out}, nil, &stdout, &stderr, log)
	if err != nil {
		t.Fatalf("train: %v\n%s", err, stderr.String())
	}
	for _, f := range []string{"m.bundle", "m.card.md", "m.card.json", "m.metrics.json"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("train did not write %s: %v", f, err)
		}
	}
	if strings.Contains(stderr.String(), "\r") {
		t.Errorf("progress bar drawn on a non-terminal: %q", stderr.String())
	}
	first, _ := os.ReadFile(out)
	if err := runTrain(ctx, []string{"--sets", a + "," + b, "--seed", "2", "--folds", "3", "--trees", "30", "--out", out}, nil, &stdout, &stderr, log); err != nil {
		t.Fatal(err)
	}
	second, _ := os.ReadFile(out)
	if !bytes.Equal(first, second) {
		t.Error("same data and seed gave different bundles")
	}

	stdout.Reset()
	err = runEval(ctx, []string{"--sets", a + "," + b, "--compare", "gbdt", "--folds", "3", "--trees", "30", "--json"}, nil, &stdout, &stderr, log)
	if err != nil {
		t.Fatalf("eval: %v", err)
	}
	var doc struct {
		Results []struct {
			Learner, Mode, Set string
			Metrics            map[string]any
		}
	}
	if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil {
		t.Fatalf("eval --json: %v\n%s", err, stdout.String())
	}
	if len(doc.Results) != 4 { // cv and lodo on two sets
		t.Fatalf("eval gave %d results, want 4:\n%s", len(doc.Results), stdout.String())
	}
	for _, r := range doc.Results {
		for _, k := range []string{"roc_auc", "pr_auc", "f1", "mcc"} {
			if v, ok := r.Metrics[k].(float64); !ok || v < 0.5 && k == "roc_auc" {
				t.Errorf("%s %s %s: %s = %v", r.Learner, r.Mode, r.Set, k, r.Metrics[k])
			}
		}
	}

	stdout.Reset()
	in := `{"id":"x","followers":3,"following":2500,"posts":0}` + "\n" + `{"id":"y","followers":800,"following":300,"posts":40,"fake":true}` + "\n"
	if err := runFollowers(ctx, []string{"--bundle", out, "-"}, strings.NewReader(in), &stdout, &stderr, log); err != nil {
		t.Fatalf("followers: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("followers wrote %q, want 2 lines", stdout.String())
	}
	var got [2]struct {
		ID    string  `json:"id"`
		PFake float64 `json:"p_fake"`
	}
	for i, l := range lines {
		if err := json.Unmarshal([]byte(l), &got[i]); err != nil {
			t.Fatalf("line %d %q: %v", i+1, l, err)
		}
	}
	if got[0].ID != "x" || got[1].ID != "y" {
		t.Errorf("ids %q, %q: want input order x, y", got[0].ID, got[1].ID)
	}
	if !(got[0].PFake > got[1].PFake) {
		t.Errorf("p_fake of the fake-looking account %v <= the real-looking one %v", got[0].PFake, got[1].PFake)
	}

	// A bundle altered after it was written is refused, naming the digest.
	bad := append([]byte(nil), first...)
	bad[len(bad)/2] ^= 1
	badPath := filepath.Join(dir, "bad.bundle")
	os.WriteFile(badPath, bad, 0o644)
	err = runFollowers(ctx, []string{"--bundle", badPath, "-"}, strings.NewReader(in), &stdout, &stderr, log)
	if err == nil || !strings.Contains(err.Error(), "digest") {
		t.Errorf("altered bundle: err = %v, want a digest mismatch", err)
	}
}

func TestFollowersRejectsBadInput(t *testing.T) {
	var stdout, stderr bytes.Buffer
	log := zerolog.New(zerolog.NewTestWriter(t))
	err := runFollowers(context.Background(), []string{"-"}, strings.NewReader(""), &stdout, &stderr, log)
	if err == nil || !strings.Contains(err.Error(), "--bundle") {
		t.Errorf("err = %v, want --bundle required", err)
	}
}
