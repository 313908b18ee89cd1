package features_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"bonafide/features"
)

const memChildEnv = "BONAFIDE_DECODE_MEMORY_CHILD"

// TestDecodeMillionFollowersMemory decodes a document of 1,000,000
// followers (about 150 MB, generated as it is read, never held whole) in a
// child process, and checks the peak heap stays under 400 MB. It logs the
// peak heap and the peak resident set size (VmHWM) of the child:
//
//	go test ./features -run TestDecodeMillionFollowersMemory -v
//
// The limit holds when the creator (with its follower count) comes before
// the followers, as in the spec. The figures of a document with the
// creator last, where the list grows blind, are only logged, and only with
// BONAFIDE_DECODE_MEMORY_ALL=1 in the environment (it takes about 600 MB).
func TestDecodeMillionFollowersMemory(t *testing.T) {
	if order := os.Getenv(memChildEnv); order != "" {
		memChild(t, order == "last")
		return
	}
	if testing.Short() || raceEnabled {
		t.Skip("slow, and meaningless under the race detector; run without -short and -race")
	}
	orders := []string{"first"}
	if os.Getenv("BONAFIDE_DECODE_MEMORY_ALL") != "" {
		orders = append(orders, "last")
	}
	for _, order := range orders {
		t.Run("creator "+order, func(t *testing.T) {
			heap := memRun(t, order)
			if order == "first" && heap >= 400 {
				t.Errorf("peak heap %.0f MB, want under 400 MB", heap)
			}
		})
	}
}

// memRun runs the child and returns its peak heap in MB.
func memRun(t *testing.T, order string) float64 {
	cmd := exec.Command(os.Args[0], "-test.run=^TestDecodeMillionFollowersMemory$", "-test.v")
	cmd.Env = append(os.Environ(), memChildEnv+"="+order)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	var heap, rss, total float64
	var followers int
	for _, line := range strings.Split(string(out), "\n") {
		if i := strings.Index(line, "MEMORY "); i >= 0 {
			if _, err := fmt.Sscanf(line[i:], "MEMORY followers=%d peak_heap_mb=%g peak_runtime_mb=%g peak_rss_mb=%g", &followers, &heap, &total, &rss); err != nil {
				t.Fatalf("parse %q: %v", line, err)
			}
		}
	}
	if followers != 1_000_000 {
		t.Fatalf("child decoded %d followers, want 1000000\n%s", followers, out)
	}
	t.Logf("1,000,000 followers, creator %s: peak heap %.0f MB, peak runtime memory %.0f MB, peak RSS %.0f MB", order, heap, total, rss)
	return heap
}

func memChild(t *testing.T, creatorLast bool) {
	pr, pw := io.Pipe()
	var wg sync.WaitGroup
	wg.Go(func() {
		pw.CloseWithError(genDoc(pw, 1_000_000, 50, 20, creatorLast))
	})
	samples := []metrics.Sample{
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/total:bytes"},
	}
	var peakHeap, peakTotal uint64
	done := make(chan struct{})
	var sampler sync.WaitGroup
	sampler.Go(func() {
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(samples)
			peakHeap = max(peakHeap, samples[0].Value.Uint64())
			peakTotal = max(peakTotal, samples[1].Value.Uint64())
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	h, _, err := features.Decode(pr)
	pr.Close()
	wg.Wait()
	close(done)
	sampler.Wait()
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("MEMORY followers=%d peak_heap_mb=%.1f peak_runtime_mb=%.1f peak_rss_mb=%.1f\n",
		len(h.Followers), float64(peakHeap)/1e6, float64(peakTotal)/1e6, float64(vmHWM())/1e6)
}

// vmHWM returns the peak resident set size of the process in bytes, or 0
// where /proc does not tell.
func vmHWM() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb * 1024
		}
	}
	return 0
}
