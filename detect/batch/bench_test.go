package batch_test

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"bonafide/detect"
	"bonafide/detect/batch"
	"bonafide/detect/model"
	"bonafide/features"
)

var (
	benchCreators  = flag.Int("batch.creators", 500, "creators in the generated benchmark set")
	benchFollowers = flag.Int("batch.followers", 200, "followers per creator in the benchmark set")
	benchPool      = flag.Int("batch.pool", 20000, "distinct followers the benchmark creators share")
	benchWorkers   = flag.Int("batch.workers", 2, "workers of the benchmark runs (and decoders of the baseline)")
	benchEngine    = flag.String("batch.engine", "real", "scorer of BenchmarkBatch: real (detect.Engine with the embedded model) or stand-in")
)

func benchCorpus(creators int) corpus {
	return corpus{
		Creators: creators, Pool: *benchPool, Followers: min(*benchFollowers, *benchPool),
		BadFraction: 0.05, Seed: 42, Posts: 6, CommentsEach: 8,
	}
}

// decodeAll is the baseline: split the file into lines and decode every
// document on workers goroutines, doing nothing with the result.
func decodeAll(b *testing.B, path string, workers int) {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	lines := make(chan []byte, 4*workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for l := range lines {
				features.Decode(bytes.NewReader(l))
			}
		}()
	}
	br := bufio.NewReaderSize(f, 1<<20)
	for {
		l, err := br.ReadBytes('\n')
		if len(l) > 1 {
			lines <- l[:len(l)-1]
		}
		if err != nil {
			break
		}
	}
	close(lines)
	wg.Wait()
}

// BenchmarkBatch measures, in one run and on the same generated files,
// merely decoding them, a cold batch (empty cache) and a warm rerun, and
// reports the ratios the issue sets bars for:
//
//	cold/decode  decode time / cold time (bar: >= 0.5)
//	warm-speedup cold time / warm time (bar: >= 5)
//	follower-hit-% share of follower lookups served by the cache, cold run
func BenchmarkBatch(b *testing.B) {
	dir := b.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	writeJSONL(b, in, benchCorpus(*benchCreators).documents())
	st, err := os.Stat(in)
	if err != nil {
		b.Fatal(err)
	}
	mb := float64(st.Size()) / 1e6
	workers := *benchWorkers

	var decode, cold, warm time.Duration          // wall time
	var decodeCPU, coldCPU, warmCPU time.Duration // process CPU time (user + system)
	var hitRate float64
	for i := 0; b.Loop(); i++ {
		t0, c0 := time.Now(), cpuTime()
		decodeAll(b, in, workers)
		decode, decodeCPU = decode+time.Since(t0), decodeCPU+cpuTime()-c0

		cache := filepath.Join(dir, "cache"+itoa(int64(i)))
		newVetter, model := benchVetter(b)
		opts := batch.Options{Inputs: []string{in}, Out: filepath.Join(dir, "out.jsonl"), CacheDir: cache, Workers: workers, NewVetter: newVetter, Model: model}
		t0, c0 = time.Now(), cpuTime()
		sum, err := run(b, opts)
		cold, coldCPU = cold+time.Since(t0), coldCPU+cpuTime()-c0
		if err != nil && !errors.Is(err, batch.ErrRejected) {
			b.Fatal(err)
		}
		hitRate = sum.FollowerHitRate()

		t0, c0 = time.Now(), cpuTime()
		sum, err = run(b, opts)
		warm, warmCPU = warm+time.Since(t0), warmCPU+cpuTime()-c0
		if err != nil && !errors.Is(err, batch.ErrRejected) {
			b.Fatal(err)
		}
		if sum.CreatorMisses != 0 {
			b.Fatalf("warm run missed %d creators", sum.CreatorMisses)
		}
		os.RemoveAll(cache)
	}
	n := float64(b.N)
	b.ReportMetric(mb*n/decode.Seconds(), "decode-MB/s")
	b.ReportMetric(mb*n/cold.Seconds(), "cold-MB/s")
	b.ReportMetric(mb*n/warm.Seconds(), "warm-MB/s")
	b.ReportMetric(decode.Seconds()/cold.Seconds(), "cold/decode")
	b.ReportMetric(cold.Seconds()/warm.Seconds(), "warm-speedup")
	// The same ratios in CPU time: steadier than wall time on a machine
	// shared with other work, and equal to them when both cores are ours.
	b.ReportMetric(decodeCPU.Seconds()/coldCPU.Seconds(), "cold/decode-cpu")
	b.ReportMetric(coldCPU.Seconds()/warmCPU.Seconds(), "warm-speedup-cpu")
	b.ReportMetric(100*hitRate, "follower-hit-%")
	b.ReportMetric(mb, "input-MB")
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkBatchMemory runs a cold batch of 500 and of 10 times as many
// creators in child processes, with the scorer -batch.engine names, and
// reports each one's peak resident memory (VmHWM, read by the child
// itself) and their ratio (bar: <= 1.5).
func BenchmarkBatchMemory(b *testing.B) {
	dir := b.TempDir()
	sizes := []int{*benchCreators, 10 * *benchCreators}
	peaks := make([]float64, len(sizes))
	inputs := make([]string, len(sizes))
	for i, n := range sizes {
		inputs[i] = filepath.Join(dir, "in"+itoa(int64(n))+".jsonl")
		writeJSONL(b, inputs[i], benchCorpus(n).documents())
	}
	for i := 0; b.Loop(); i++ {
		for j, n := range sizes {
			cache := filepath.Join(dir, "cache-"+itoa(int64(n))+"-"+itoa(int64(i)))
			peakFile := filepath.Join(dir, "peak")
			spec := childSpec{Inputs: []string{inputs[j]}, Out: filepath.Join(dir, "out.jsonl"), Cache: cache, Workers: *benchWorkers, PeakFile: peakFile, Engine: *benchEngine}
			c := startChild(b, spec)
			if err := c.cmd.Wait(); err != nil && c.cmd.ProcessState.ExitCode() != childRejected {
				b.Fatalf("child: %v: %s", err, c.err.String())
			}
			kib, err := strconv.ParseFloat(string(readFile(b, peakFile)), 64)
			if err != nil {
				b.Fatalf("child peak: %v", err)
			}
			peaks[j] = max(peaks[j], kib/1024)
			os.RemoveAll(cache)
		}
	}
	b.ReportMetric(peaks[0], "peak-MB-"+itoa(int64(sizes[0])))
	b.ReportMetric(peaks[1], "peak-MB-"+itoa(int64(sizes[1])))
	b.ReportMetric(peaks[1]/peaks[0], "peak-ratio")
}

// benchVetter returns the scorer -batch.engine names and its model: the
// real engine with the embedded model (its name given, so that a warm
// run does not build the engine: Options.Model), or nil for the stand-in
// of the other tests.
func benchVetter(b *testing.B) (func(batch.FollowerScoreFunc) (batch.Vetter, error), string) {
	switch *benchEngine {
	case "real":
		v, model, err := newRealVetterOf()
		if err != nil {
			b.Fatal(err)
		}
		return v, model
	case "stand-in":
		return nil, ""
	}
	b.Fatalf("-batch.engine: expected real or stand-in, found %q", *benchEngine)
	return nil, ""
}

// newRealVetter builds the real engine with the embedded model around the
// follower-score hook (the bundle is decoded once; each run builds its
// engine, as a nightly process does).
func newRealVetter() (func(batch.FollowerScoreFunc) (batch.Vetter, error), error) {
	v, _, err := realVetter(false)
	return v, err
}

// newRealVetterOf is newRealVetter and the name of its model.
func newRealVetterOf() (func(batch.FollowerScoreFunc) (batch.Vetter, error), string, error) {
	return realVetter(true)
}

// realVetter is newRealVetter and, when named is set, the name of its
// model (the bundle's digest encodes the whole bundle: the memory
// benchmark's child does not compute it twice).
func realVetter(named bool) (func(batch.FollowerScoreFunc) (batch.Vetter, error), string, error) {
	bundle, err := model.Default(features.ProfileSchema())
	if err != nil {
		return nil, "", err
	}
	name := ""
	if named {
		name = bundle.Name + "@" + bundle.Digest()
	}
	return func(fs batch.FollowerScoreFunc) (batch.Vetter, error) {
		return detect.New(bundle, detect.Options{FollowerScore: fs}, zerolog.Nop())
	}, name, nil
}
