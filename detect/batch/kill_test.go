package batch_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// child is a batch running in a copy of the test binary.
type child struct {
	cmd *exec.Cmd
	err bytes.Buffer
}

func startChild(t testing.TB, s childSpec) *child {
	t.Helper()
	spec, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: exec.Command(os.Args[0], "-test.run=^$")}
	c.cmd.Env = append(os.Environ(), childEnv+"="+string(spec))
	c.cmd.Stderr = &c.err
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return c
}

// wait returns the child's exit code.
func (c *child) wait(t *testing.T) int {
	t.Helper()
	err := c.cmd.Wait()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	return c.cmd.ProcessState.ExitCode()
}

func runChildToEnd(t *testing.T, s childSpec) int {
	t.Helper()
	c := startChild(t, s)
	code := c.wait(t)
	if code != childOK && code != childRejected {
		t.Fatalf("child exit %d: %s", code, c.err.String())
	}
	return code
}

// killInputs writes a JSON Lines file and a gzip one, with 5% bad
// documents, and returns their paths.
func killInputs(t *testing.T, dir string) []string {
	t.Helper()
	docs := corpus{Creators: 240, Pool: 300, Followers: 25, BadFraction: 0.05, Seed: 11, Posts: 2, CommentsEach: 3}.documents()
	a := filepath.Join(dir, "a.jsonl")
	writeJSONL(t, a, docs[:150])
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	for _, d := range docs[150:] {
		zw.Write(append(d, '\n'))
	}
	zw.Close()
	b := filepath.Join(dir, "b.jsonl.gz")
	if err := os.WriteFile(b, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return []string{a, b}
}

// TestKillAndResumeGivesIdenticalOutput kills a batch with SIGKILL at
// random moments (by time, or once the output reaches a random size),
// sometimes kills the resumed run too, resumes to the end, and compares
// the output with an uninterrupted run's, byte for byte.
func TestKillAndResumeGivesIdenticalOutput(t *testing.T) {
	// The bar is 20 or more kills that land mid-run; under -race or
	// -short a few trials check the same path in less time.
	trials, minKills := 24, 20
	if testing.Short() || raceEnabled {
		trials, minKills = 3, 1
	}
	dir := t.TempDir()
	inputs := killInputs(t, dir)

	ref := filepath.Join(dir, "ref.jsonl")
	began := time.Now()
	if code := runChildToEnd(t, childSpec{Inputs: inputs, Out: ref, Cache: filepath.Join(dir, "refcache"), Workers: 2, CheckpointEvery: 7}); code != childRejected {
		t.Fatalf("reference run exit %d, want %d (some documents are bad)", code, childRejected)
	}
	full := time.Since(began)
	want := readFile(t, ref)
	if n := bytes.Count(want, []byte("\n")); n != 240 {
		t.Fatalf("reference run wrote %d lines for 240 documents", n)
	}

	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 1))
	t.Logf("seed %d, uninterrupted run %s", seed, full)
	killedMidway := 0
	for i := range trials {
		out := filepath.Join(dir, "out.jsonl")
		cache := filepath.Join(dir, "cache")
		if i%3 == 0 { // a third of the trials start afresh, the rest rerun over the last output and cache
			os.Remove(out)
			os.RemoveAll(cache)
		}
		spec := childSpec{Inputs: inputs, Out: out, Cache: cache, Workers: 2, CheckpointEvery: 1 + rng.IntN(20)}
		kills := 1 + rng.IntN(3)
		for k := range kills {
			spec.Resume = k > 0
			c := startChild(t, spec)
			var how string
			if rng.IntN(2) == 0 {
				d := time.Duration(rng.Int64N(int64(full)))
				how = "after " + d.String()
				time.Sleep(d)
			} else {
				target := rng.Int64N(int64(len(want)))
				how = "at output size " + itoa(target)
				deadline := time.Now().Add(2 * full)
				for time.Now().Before(deadline) {
					if st, err := os.Stat(out); err == nil && st.Size() >= target {
						break
					}
					time.Sleep(200 * time.Microsecond)
				}
			}
			c.cmd.Process.Signal(syscall.SIGKILL)
			code := c.wait(t)
			if code == -1 {
				killedMidway++
			}
			t.Logf("trial %d kill %d %s: exit %d", i, k, how, code)
		}
		spec.Resume = true
		if code := runChildToEnd(t, spec); code != childRejected {
			t.Fatalf("trial %d: resumed run exit %d, want %d", i, code, childRejected)
		}
		got := readFile(t, out)
		if !bytes.Equal(got, want) {
			t.Fatalf("trial %d: resumed output (%d bytes) differs from the uninterrupted one (%d bytes)", i, len(got), len(want))
		}
	}
	t.Logf("%d kills landed before the run ended", killedMidway)
	if killedMidway < minKills {
		t.Errorf("only %d kills landed before the run ended; want at least %d", killedMidway, minKills)
	}
}

// TestTerminateFlushesAndResumes sends SIGTERM: the run writes the
// documents in flight, checkpoints and exits; a resume completes it.
func TestTerminateFlushesAndResumes(t *testing.T) {
	dir := t.TempDir()
	inputs := killInputs(t, dir)
	ref := filepath.Join(dir, "ref.jsonl")
	began := time.Now()
	runChildToEnd(t, childSpec{Inputs: inputs, Out: ref, Cache: filepath.Join(dir, "refcache"), Workers: 2})
	full := time.Since(began)
	want := readFile(t, ref)

	out, cache := filepath.Join(dir, "out.jsonl"), filepath.Join(dir, "cache")
	spec := childSpec{Inputs: inputs, Out: out, Cache: cache, Workers: 2, CheckpointEvery: 1000}
	interrupted := false
	for try := 0; try < 3 && !interrupted; try++ {
		os.RemoveAll(cache)
		c := startChild(t, spec)
		time.Sleep(full / 2)
		c.cmd.Process.Signal(syscall.SIGTERM)
		code := c.wait(t)
		got := readFile(t, out)
		switch code {
		case childInterrupted:
			if !bytes.HasPrefix(want, got) || len(got) > 0 && got[len(got)-1] != '\n' || len(got) == len(want) {
				t.Fatalf("after SIGTERM the output (%d of %d bytes) is not a whole-line prefix of the full one", len(got), len(want))
			}
			if len(got) == 0 {
				// A loaded machine: the signal came before the first
				// line. Nothing to resume from; try again.
				t.Log("SIGTERM arrived before the first line was written")
				continue
			}
			interrupted = true
		case childRejected:
			t.Log("the run finished before SIGTERM arrived")
		default:
			t.Fatalf("exit %d after SIGTERM: %s", code, c.err.String())
		}
	}
	if !interrupted {
		t.Skip("the run always finished before SIGTERM arrived")
	}
	spec.Resume = true
	runChildToEnd(t, spec)
	if !bytes.Equal(readFile(t, out), want) {
		t.Fatal("output after SIGTERM and resume differs from an uninterrupted run")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
