package batch_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/dgraph-io/badger/v4"
	"github.com/rs/zerolog"

	"bonafide/detect"
	"bonafide/detect/batch"
	"bonafide/features"
)

// outLine is the part of an output line the tests look at.
type outLine struct {
	Format    string `json:"format"`
	CreatorID string `json:"creator_id"`
	Verdict   string `json:"verdict"`
	Line      int    `json:"line"`
	Source    string `json:"source"`
	Error     *struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"error"`
}

func parseLines(t *testing.T, b []byte) []outLine {
	t.Helper()
	var out []outLine
	for i, l := range bytes.Split(bytes.TrimSuffix(b, []byte("\n")), []byte("\n")) {
		if len(l) == 0 {
			continue
		}
		var o outLine
		if err := json.Unmarshal(l, &o); err != nil {
			t.Fatalf("output line %d is not JSON: %v: %s", i+1, err, l)
		}
		out = append(out, o)
	}
	return out
}

// expected computes, without the batch machinery, the line each
// document must produce: the fake vetter's report, or an error line.
func expected(t *testing.T, docs [][]byte, source string) [][]byte {
	t.Helper()
	v, _ := newFakeVetter("fake@v1")(func(_ string, _ *features.Follower, _ []float64, score func() float64) float64 { return score() })
	lines := make([][]byte, len(docs))
	for i, d := range docs {
		h, warns, err := features.Decode(bytes.NewReader(d))
		if err != nil {
			var fe *features.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("doc %d: %v", i, err)
			}
			lines[i] = nil // an error line; checked by shape
			continue
		}
		rep, err := v.Vet(context.Background(), features.Document{History: h, Warnings: warns, SHA256: sha(d)})
		if err != nil {
			t.Fatal(err)
		}
		lines[i], _ = json.Marshal(rep)
	}
	return lines
}

func TestRunWritesOneLinePerDocumentInOrder(t *testing.T) {
	c := corpus{Creators: 60, Pool: 300, Followers: 40, BadFraction: 0.1, Seed: 1, Posts: 2, CommentsEach: 3}
	docs := c.documents()
	want := expected(t, docs, "")

	tests := []struct {
		name    string
		workers int
		layout  func(t *testing.T, dir string) ([]string, *bytes.Reader)
	}{
		{"jsonl, 1 worker", 1, func(t *testing.T, dir string) ([]string, *bytes.Reader) {
			p := filepath.Join(dir, "in.jsonl")
			writeJSONL(t, p, docs)
			return []string{p}, nil
		}},
		{"jsonl, 8 workers", 8, func(t *testing.T, dir string) ([]string, *bytes.Reader) {
			p := filepath.Join(dir, "in.jsonl")
			writeJSONL(t, p, docs)
			return []string{p}, nil
		}},
		{"gzip jsonl split in two files", 3, func(t *testing.T, dir string) ([]string, *bytes.Reader) {
			a, b := filepath.Join(dir, "a.jsonl.gz"), filepath.Join(dir, "b.jsonl")
			var buf bytes.Buffer
			zw := gzip.NewWriter(&buf)
			for _, d := range docs[:25] {
				zw.Write(append(d, '\n'))
			}
			zw.Close()
			os.WriteFile(a, buf.Bytes(), 0o644)
			writeJSONL(t, b, docs[25:])
			return []string{a, b}, nil
		}},
		{"folder of .json files", 2, func(t *testing.T, dir string) ([]string, *bytes.Reader) {
			in := filepath.Join(dir, "in")
			os.Mkdir(in, 0o755)
			for i, d := range docs {
				os.WriteFile(filepath.Join(in, "doc"+strconv.Itoa(1000+i)+".json"), d, 0o644)
			}
			os.WriteFile(filepath.Join(in, "README.txt"), []byte("not a document"), 0o644)
			return []string{in}, nil
		}},
		{"stdin JSON Lines", 2, func(t *testing.T, dir string) ([]string, *bytes.Reader) {
			return []string{"-"}, bytes.NewReader(append(bytes.Join(docs, []byte("\n\n")), '\n'))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, out, cache := tempPaths(t)
			inputs, stdin := tt.layout(t, dir)
			opts := batch.Options{Inputs: inputs, Out: out, CacheDir: cache, Workers: tt.workers, Window: 4}
			if stdin != nil {
				opts.Stdin = stdin
			}
			sum, err := run(t, opts)
			if !errors.Is(err, batch.ErrRejected) {
				t.Fatalf("err = %v, want ErrRejected", err)
			}
			got := bytes.Split(bytes.TrimSuffix(readFile(t, out), []byte("\n")), []byte("\n"))
			if len(got) != len(docs) {
				t.Fatalf("%d lines out for %d documents", len(got), len(docs))
			}
			bad := 0
			for i := range docs {
				if want[i] == nil {
					bad++
					var e detect.ErrorLine
					if err := json.Unmarshal(got[i], &e); err != nil || e.Error.Message == "" || e.Format != detect.ReportFormat {
						t.Errorf("line %d: want an error line, got %s", i+1, got[i])
					}
					continue
				}
				if !bytes.Equal(got[i], want[i]) {
					t.Errorf("line %d:\n got %s\nwant %s", i+1, got[i], want[i])
				}
			}
			if sum.Documents != int64(len(docs)) || sum.Rejected != int64(bad) || sum.Scored != int64(len(docs)-bad) {
				t.Errorf("summary %+v; want %d documents, %d rejected", sum, len(docs), bad)
			}
		})
	}
}

func TestErrorLinesNameTheDocument(t *testing.T) {
	dir, out, cache := tempPaths(t)
	in := filepath.Join(dir, "in.jsonl")
	good := corpus{Creators: 1, Pool: 5, Followers: 3, Seed: 2}.documents()[0]
	os.WriteFile(in, []byte(string(good)+"\n"+
		`{"platform":"x","observed_at":"2026-11-24T06:00:00Z","creator":{"id":"c9","followers":-1}}`+"\n\n"+
		`{"creator":{"id":"c10"}, "platform": `+"\n"), 0o644)
	_, err := run(t, batch.Options{Inputs: []string{in, filepath.Join(dir, "missing.jsonl")}, Out: out, CacheDir: cache})
	if !errors.Is(err, batch.ErrRejected) {
		t.Fatalf("err = %v, want ErrRejected", err)
	}
	got := parseLines(t, readFile(t, out))
	want := []struct {
		line      int
		source    string
		creatorID string
		field     string
	}{
		{0, "", "c0", ""},
		{2, in, "c9", "creator.followers"},
		{4, in, "c10", "*"}, // whichever field the decoder meets first
		{0, filepath.Join(dir, "missing.jsonl"), "", ""},
	}
	if len(got) != len(want) {
		t.Fatalf("%d lines, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if i == 0 {
			if g.Error != nil || g.CreatorID != w.creatorID || g.Verdict == "" {
				t.Errorf("line 1 = %+v, want a report for c0", g)
			}
			continue
		}
		if g.Error == nil || g.Line != w.line || g.Source != w.source || g.CreatorID != w.creatorID || (w.field != "*" && g.Error.Field != w.field) {
			t.Errorf("line %d = %+v (error %+v), want line %d source %q creator %q field %q", i+1, g, g.Error, w.line, w.source, w.creatorID, w.field)
		}
	}
}

func TestWarmRunHitsTheCache(t *testing.T) {
	dir, out, cache := tempPaths(t)
	in := filepath.Join(dir, "in.jsonl")
	docs := corpus{Creators: 50, Pool: 100, Followers: 30, Seed: 3, BadFraction: 0.05}.documents()
	writeJSONL(t, in, docs)

	var scored atomic.Int64
	cold, err := run(t, batch.Options{Inputs: []string{in}, Out: out, CacheDir: cache, NewVetter: newCountingVetter("fake@v1", &scored)})
	if err != nil && !errors.Is(err, batch.ErrRejected) {
		t.Fatal(err)
	}
	first := readFile(t, out)
	if cold.CreatorHits != 0 || cold.FollowerHits == 0 {
		t.Errorf("cold run: %d creator hits, %d follower hits; want 0 and some (creators share followers)", cold.CreatorHits, cold.FollowerHits)
	}
	if scored.Load() != cold.FollowerMisses {
		t.Errorf("followers scored %d times, cache misses %d", scored.Load(), cold.FollowerMisses)
	}
	if scored.Load() > 100+int64(cold.Scored) { // each of the pool once, give or take concurrent misses
		t.Logf("followers scored %d times for a pool of 100", scored.Load())
	}

	scored.Store(0)
	warm, err := run(t, batch.Options{Inputs: []string{in}, Out: out, CacheDir: cache, NewVetter: newCountingVetter("fake@v1", &scored)})
	if err != nil && !errors.Is(err, batch.ErrRejected) {
		t.Fatal(err)
	}
	if !bytes.Equal(readFile(t, out), first) {
		t.Error("warm run output differs from cold run output")
	}
	if warm.CreatorHits != int64(len(docs)) || warm.CreatorMisses != 0 || scored.Load() != 0 {
		t.Errorf("warm run: %d creator hits, %d misses, %d followers scored; want %d, 0, 0", warm.CreatorHits, warm.CreatorMisses, scored.Load(), len(docs))
	}

	// Another model shares nothing with the first.
	other, err := run(t, batch.Options{Inputs: []string{in}, Out: out, CacheDir: cache, NewVetter: newFakeVetter("fake@v2")})
	if err != nil && !errors.Is(err, batch.ErrRejected) {
		t.Fatal(err)
	}
	if other.CreatorHits != 0 {
		t.Errorf("a new model hit %d creator entries of the old one", other.CreatorHits)
	}
}

func TestModelOptionBuildsTheScorerOnlyWhenNeeded(t *testing.T) {
	dir, out, cache := tempPaths(t)
	in := filepath.Join(dir, "in.jsonl")
	docs := corpus{Creators: 30, Pool: 60, Followers: 20, Seed: 5, BadFraction: 0.1}.documents()
	writeJSONL(t, in, docs)
	_, err := run(t, batch.Options{Inputs: []string{in}, Out: out, CacheDir: filepath.Join(dir, "ref")})
	if err != nil && !errors.Is(err, batch.ErrRejected) {
		t.Fatal(err)
	}
	want := readFile(t, out)

	var builds atomic.Int64
	counted := func(model string, fail error) func(batch.FollowerScoreFunc) (batch.Vetter, error) {
		return func(fs batch.FollowerScoreFunc) (batch.Vetter, error) {
			builds.Add(1)
			if fail != nil {
				return nil, fail
			}
			return newFakeVetter(model)(fs)
		}
	}
	// more is an input of documents the cache has not seen yet.
	more := func(seed int64) string {
		p := filepath.Join(dir, "more"+itoa(seed)+".jsonl")
		writeJSONL(t, p, corpus{Creators: 3, Pool: 60, Followers: 20, Seed: uint64(seed)}.documents())
		return p
	}
	errBuild := errors.New("no bundle")
	for _, tc := range []struct {
		name      string
		inputs    []string
		newVetter func(batch.FollowerScoreFunc) (batch.Vetter, error)
		builds    int64
		wantErr   bool
	}{
		{"cold run builds it once", []string{in}, counted("fake@v1", nil), 1, false},
		{"warm run never builds it", []string{in}, counted("fake@v1", nil), 0, false},
		{"a new document builds it", []string{in, more(6)}, counted("fake@v1", nil), 1, false},
		{"a scorer of another model stops the run", []string{in, more(7)}, counted("fake@v2", nil), 1, true},
		{"a scorer that cannot be built stops the run", []string{in, more(8)}, counted("", errBuild), 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			builds.Store(0)
			_, err := run(t, batch.Options{Inputs: tc.inputs, Out: out, CacheDir: cache, Model: "fake@v1", NewVetter: tc.newVetter})
			if got := builds.Load(); got != tc.builds {
				t.Errorf("scorer built %d times, want %d", got, tc.builds)
			}
			if tc.wantErr {
				if err == nil || errors.Is(err, batch.ErrRejected) {
					t.Fatalf("err = %v, want a failed run", err)
				}
				return
			}
			if err != nil && !errors.Is(err, batch.ErrRejected) {
				t.Fatal(err)
			}
			if got := readFile(t, out); len(got) < len(want) || !bytes.Equal(got[:len(want)], want) {
				t.Errorf("output does not start with the reference output")
			}
		})
	}
}

// corruptValues rewrites every value in the cache with a flipped byte,
// behind the batch's back.
func corruptValues(t *testing.T, dir string) int {
	t.Helper()
	db, err := badger.Open(badger.DefaultOptions(dir).WithLogger(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	type kv struct{ k, v []byte }
	var all []kv
	err = db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.DefaultIteratorOptions)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			v, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			all = append(all, kv{it.Item().KeyCopy(nil), v})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	wb := db.NewWriteBatch()
	for _, e := range all {
		e.v[len(e.v)-1] ^= 0x5a
		if err := wb.Set(e.k, e.v); err != nil {
			t.Fatal(err)
		}
	}
	if err := wb.Flush(); err != nil {
		t.Fatal(err)
	}
	return len(all)
}

func TestCorruptValuesAreRecomputed(t *testing.T) {
	dir, out, cache := tempPaths(t)
	in := filepath.Join(dir, "in.jsonl")
	docs := corpus{Creators: 30, Pool: 60, Followers: 20, Seed: 4}.documents()
	writeJSONL(t, in, docs)
	if _, err := run(t, batch.Options{Inputs: []string{in}, Out: out, CacheDir: cache}); err != nil {
		t.Fatal(err)
	}
	distinct := map[string]bool{}
	for _, d := range docs {
		var h features.History
		if err := json.Unmarshal(d, &h); err != nil {
			t.Fatal(err)
		}
		for _, f := range h.Followers {
			distinct[f.ID] = true
		}
	}
	want := readFile(t, out)
	if n := corruptValues(t, cache); n < len(docs) {
		t.Fatalf("corrupted %d values, want at least %d", n, len(docs))
	}
	sum, err := run(t, batch.Options{Inputs: []string{in}, Out: out, CacheDir: cache})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(readFile(t, out), want) {
		t.Error("output after corruption differs")
	}
	// Every follower is scored again (the memo then serves repeats), and
	// every value read was refused.
	nf := int64(len(distinct))
	if sum.CreatorHits != 0 || sum.FollowerMisses < nf || sum.CorruptValues < int64(len(docs))+nf {
		t.Errorf("after corruption: %d creator hits, follower %d hits / %d misses, %d corrupt; want no trusted value",
			sum.CreatorHits, sum.FollowerHits, sum.FollowerMisses, sum.CorruptValues)
	}
}

func TestCorruptCacheIsSetAsideAndRebuilt(t *testing.T) {
	tests := []struct {
		name    string
		corrupt func(t *testing.T, cache string)
	}{
		{"garbage MANIFEST", func(t *testing.T, cache string) {
			os.WriteFile(filepath.Join(cache, "MANIFEST"), []byte("this is not a manifest at all"), 0o644)
		}},
		{"garbage table", func(t *testing.T, cache string) {
			tables, _ := filepath.Glob(filepath.Join(cache, "*.sst"))
			if len(tables) == 0 {
				t.Skip("no table file written")
			}
			os.WriteFile(tables[0], bytes.Repeat([]byte{0xde, 0xad}, 4096), 0o644)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, out, cache := tempPaths(t)
			in := filepath.Join(dir, "in.jsonl")
			writeJSONL(t, in, corpus{Creators: 20, Pool: 40, Followers: 10, Seed: 5}.documents())
			if _, err := run(t, batch.Options{Inputs: []string{in}, Out: out, CacheDir: cache}); err != nil {
				t.Fatal(err)
			}
			// Force a table to disk so the "table" case has one.
			c, err := batch.OpenCache(cache, zerolog.Nop())
			if err != nil {
				t.Fatal(err)
			}
			c.Close()
			want := readFile(t, out)
			tt.corrupt(t, cache)
			sum, err := run(t, batch.Options{Inputs: []string{in}, Out: out, CacheDir: cache})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(readFile(t, out), want) {
				t.Error("output from the rebuilt cache differs")
			}
			if _, err := os.Stat(cache + ".corrupt-1"); err != nil {
				t.Errorf("corrupt cache not set aside: %v", err)
			}
			if sum.CreatorHits != 0 {
				t.Errorf("%d creator hits from a corrupt cache", sum.CreatorHits)
			}
		})
	}
}

func TestLockedCacheIsAClearError(t *testing.T) {
	dir, out, cache := tempPaths(t)
	in := filepath.Join(dir, "in.jsonl")
	writeJSONL(t, in, corpus{Creators: 2, Pool: 4, Followers: 2, Seed: 6}.documents())
	c, err := batch.OpenCache(cache, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = run(t, batch.Options{Inputs: []string{in}, Out: out, CacheDir: cache})
	if !errors.Is(err, batch.ErrLocked) {
		t.Fatalf("err = %v, want ErrLocked", err)
	}
	if _, serr := os.Stat(cache + ".corrupt-1"); serr == nil {
		t.Error("a locked cache was set aside as corrupt")
	}
}

func TestResumeChecksTheInputs(t *testing.T) {
	dir, out, cache := tempPaths(t)
	in := filepath.Join(dir, "in.jsonl")
	docs := corpus{Creators: 20, Pool: 40, Followers: 5, Seed: 7}.documents()
	writeJSONL(t, in, docs)
	if _, err := run(t, batch.Options{Inputs: []string{in}, Out: out, CacheDir: cache}); err != nil {
		t.Fatal(err)
	}
	want := readFile(t, out)

	// Resuming a finished run changes nothing.
	sum, err := run(t, batch.Options{Inputs: []string{in}, Out: out, CacheDir: cache, Resume: true})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(readFile(t, out), want) || sum.Resumed != int64(len(docs)) || sum.Documents != int64(len(docs)) {
		t.Errorf("resume of a finished run: resumed %d of %d, output changed: %v", sum.Resumed, sum.Documents, !bytes.Equal(readFile(t, out), want))
	}

	tests := []struct {
		name string
		docs [][]byte
	}{
		{"a document changed", append([][]byte{docs[1]}, docs[1:]...)},
		{"fewer documents", docs[:10]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			writeJSONL(t, in, tt.docs)
			_, err := run(t, batch.Options{Inputs: []string{in}, Out: out, CacheDir: cache, Resume: true})
			if !errors.Is(err, batch.ErrInputChanged) {
				t.Fatalf("err = %v, want ErrInputChanged", err)
			}
		})
	}
	// An output changed behind the checkpoint's back is refused.
	writeJSONL(t, in, docs)
	changed := bytes.Clone(want)
	changed[10] ^= 1
	os.WriteFile(out, changed, 0o644)
	if _, err := run(t, batch.Options{Inputs: []string{in}, Out: out, CacheDir: cache, Resume: true}); !errors.Is(err, batch.ErrInputChanged) {
		t.Fatalf("resume over a changed output: err = %v, want ErrInputChanged", err)
	}
	os.WriteFile(out, want, 0o644)

	// Another model cannot resume this output.
	writeJSONL(t, in, docs)
	_, err = run(t, batch.Options{Inputs: []string{in}, Out: out, CacheDir: cache, Resume: true, NewVetter: newFakeVetter("fake@v9")})
	if !errors.Is(err, batch.ErrInputChanged) {
		t.Fatalf("resume with another model: err = %v, want ErrInputChanged", err)
	}
}

func TestCancelFinishesDocumentsInFlight(t *testing.T) {
	dir, out, cache := tempPaths(t)
	in := filepath.Join(dir, "in.jsonl")
	docs := corpus{Creators: 200, Pool: 200, Followers: 10, Seed: 8}.documents()
	writeJSONL(t, in, docs)
	ctx, cancel := context.WithCancel(context.Background())
	var seen atomic.Int64
	opts := batch.Options{
		Inputs: []string{in}, Out: out, CacheDir: cache, Workers: 2,
		NewVetter: func(fs batch.FollowerScoreFunc) (batch.Vetter, error) {
			v, _ := newFakeVetter("fake@v1")(fs)
			return vetterFunc{v, func() {
				if seen.Add(1) == 20 {
					cancel()
				}
			}}, nil
		},
	}
	sum, err := batch.Run(ctx, opts, zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel))
	if !errors.Is(err, batch.ErrInterrupted) {
		t.Fatalf("err = %v, want ErrInterrupted", err)
	}
	got := readFile(t, out)
	if n := int64(bytes.Count(got, []byte("\n"))); n != sum.Documents || n < 20 || n == int64(len(docs)) {
		t.Fatalf("%d lines written, summary says %d, %d documents", n, sum.Documents, len(docs))
	}
	opts.NewVetter, opts.Resume = newFakeVetter("fake@v1"), true
	if _, err := run(t, opts); err != nil {
		t.Fatal(err)
	}
	opts.Resume, opts.Out = false, filepath.Join(dir, "ref.jsonl")
	if _, err := run(t, opts); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(readFile(t, out), readFile(t, opts.Out)) {
		t.Error("interrupted and resumed output differs from an uninterrupted run")
	}
}

// vetterFunc calls before ahead of each Vet.
type vetterFunc struct {
	batch.Vetter
	before func()
}

func (v vetterFunc) Vet(ctx context.Context, doc features.Document) (detect.Report, error) {
	v.before()
	return v.Vetter.Vet(ctx, doc)
}
