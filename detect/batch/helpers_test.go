package batch_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"bonafide/detect"
	"bonafide/detect/batch"
	"bonafide/features"
)

// childEnv, when set, makes the test binary run one batch and exit: the
// helper-process pattern the kill and memory tests use.
const childEnv = "BONAFIDE_BATCH_CHILD"

// childSpec is what a child run is told, JSON in childEnv.
type childSpec struct {
	Inputs          []string `json:"inputs"`
	Out             string   `json:"out"`
	Cache           string   `json:"cache"`
	Workers         int      `json:"workers"`
	Resume          bool     `json:"resume"`
	CheckpointEvery int      `json:"checkpoint_every"`
	Summary         string   `json:"summary"`
	PeakFile        string   `json:"peak_file"` // where to write VmHWM (KiB) at the end
	// Engine is the scorer: "real" (detect.Engine with the embedded
	// model), else the stand-in.
	Engine string `json:"engine"`
}

// Exit codes of a child run.
const (
	childOK          = 0
	childRejected    = 3
	childInterrupted = 4
	childFailed      = 1
)

func TestMain(m *testing.M) {
	if spec := os.Getenv(childEnv); spec != "" {
		os.Exit(runChild(spec))
	}
	os.Exit(m.Run())
}

func runChild(spec string) int {
	var s childSpec
	if err := json.Unmarshal([]byte(spec), &s); err != nil {
		fmt.Fprintln(os.Stderr, "child spec:", err)
		return childFailed
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := zerolog.New(os.Stderr).Level(zerolog.WarnLevel)
	vetter := newFakeVetter("fake@" + "v1")
	if s.Engine == "real" {
		var err error
		if vetter, err = newRealVetter(); err != nil {
			fmt.Fprintln(os.Stderr, "child engine:", err)
			return childFailed
		}
	}
	sum, err := batch.Run(ctx, batch.Options{
		Inputs: s.Inputs, Out: s.Out, CacheDir: s.Cache, Workers: s.Workers, Resume: s.Resume,
		CheckpointEvery: s.CheckpointEvery, NewVetter: vetter,
	}, log)
	if s.PeakFile != "" {
		// The child's own high-water mark: the rusage a parent gets
		// counts the parent's memory too (vfork shares it until exec).
		status, rerr := os.ReadFile("/proc/self/status")
		if rerr != nil {
			fmt.Fprintln(os.Stderr, rerr)
			return childFailed
		}
		for _, l := range strings.Split(string(status), "\n") {
			if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
				os.WriteFile(s.PeakFile, []byte(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB"))), 0o644)
			}
		}
	}
	if s.Summary != "" {
		if werr := sum.WriteJSONFile(s.Summary); werr != nil {
			fmt.Fprintln(os.Stderr, werr)
			return childFailed
		}
	}
	switch {
	case err == nil:
		return childOK
	case errors.Is(err, batch.ErrRejected):
		return childRejected
	case errors.Is(err, batch.ErrInterrupted):
		return childInterrupted
	default:
		fmt.Fprintln(os.Stderr, "batch:", err)
		return childFailed
	}
}

// fakeVetter scores deterministically from the history, calling the
// follower-score hook for every follower so the cache is exercised.
type fakeVetter struct {
	model  string
	score  batch.FollowerScoreFunc
	scored *atomic.Int64 // followers actually scored (hook misses)
}

func newFakeVetter(model string) func(batch.FollowerScoreFunc) (batch.Vetter, error) {
	return newCountingVetter(model, new(atomic.Int64))
}

func newCountingVetter(model string, scored *atomic.Int64) func(batch.FollowerScoreFunc) (batch.Vetter, error) {
	return func(fs batch.FollowerScoreFunc) (batch.Vetter, error) {
		return &fakeVetter{model: model, score: fs, scored: scored}, nil
	}
}

func (v *fakeVetter) Model() string { return v.model }

func (v *fakeVetter) Vet(ctx context.Context, doc features.Document) (detect.Report, error) {
	h := doc.History
	sum := 0.0
	for i := range h.Followers {
		f := &h.Followers[i]
		vec := features.ProfileOf(*f, h.ObservedAt).Vector(nil)
		sum += v.score(h.Platform, f, vec, func() float64 {
			v.scored.Add(1)
			return followerPFake(f)
		})
	}
	rep := detect.Report{
		Format: detect.ReportFormat, CreatorID: h.Creator.ID, Platform: h.Platform,
		Handle: h.Creator.Handle, ObservedAt: h.ObservedAt.UTC().Format(time.RFC3339),
		Model: v.model, InputSHA256: hex.EncodeToString(doc.SHA256[:]),
		Signals: map[string]detect.Signal{}, GrowthSpikes: []detect.Spike{}, Reasons: []detect.Reason{},
		Warnings: []string{}, Baseline: 70, Tier: "micro",
	}
	share := 0.0
	if n := len(h.Followers); n > 0 {
		share = math.Round(1000*sum/float64(n)) / 1000
		basis, method := n, h.Sample.Method
		rep.FakeFollowers = detect.FakeShare{Estimate: &share, Basis: &basis, Method: &method}
	}
	rep.Authenticity = math.Round(1000*(100*(1-share)-float64(h.Creator.Followers%7))) / 1000
	switch {
	case rep.Authenticity >= 70:
		rep.Verdict = detect.VerdictAuthentic
	case rep.Authenticity >= 40:
		rep.Verdict = detect.VerdictReview
	default:
		rep.Verdict = detect.VerdictInauthentic
	}
	rep.Reasons = append(rep.Reasons, detect.Reason{Signal: "fake_followers", Impact: rep.Authenticity - 70, Text: "fake share " + strconv.FormatFloat(share, 'f', 3, 64)})
	for _, w := range doc.Warnings {
		rep.Warnings = append(rep.Warnings, w.String())
	}
	return rep, nil
}

// followerPFake is a stand-in follower model: a hash of the profile.
func followerPFake(f *features.Follower) float64 {
	h := fnv.New64a()
	h.Write([]byte(f.ID))
	h.Write([]byte(f.Username.V))
	fmt.Fprint(h, f.Followers.V, f.Following.V, f.Posts.V, f.HasAvatar.V)
	p := float64(h.Sum64()%1000) / 1000
	if f.HasAvatar.OK && !f.HasAvatar.V {
		p = (p + 1) / 2
	}
	return p
}

// corpus describes a generated input set.
type corpus struct {
	Creators     int
	Pool         int     // distinct followers shared by the creators
	Followers    int     // followers per creator (at most Pool)
	BadFraction  float64 // share of documents that break the contract
	Seed         uint64
	Posts        int
	CommentsEach int
}

// documents generates the corpus as JSON documents, one per creator.
func (c corpus) documents() [][]byte {
	r := rand.New(rand.NewPCG(c.Seed, 7))
	observed := time.Date(2026, 11, 24, 6, 0, 0, 0, time.UTC)
	pool := make([]features.Follower, c.Pool)
	for i := range pool {
		f := features.Follower{
			ID:        "u" + strconv.Itoa(100000+i),
			Username:  features.SomeString(fmt.Sprintf("user_%d_%d", i, r.IntN(1000))),
			HasAvatar: features.SomeBool(r.IntN(10) > 1),
			Followers: features.SomeInt(int64(r.IntN(5000))),
			Following: features.SomeInt(int64(r.IntN(3000))),
			Posts:     features.SomeInt(int64(r.IntN(400))),
			CreatedAt: features.SomeTime(observed.AddDate(0, 0, -1-r.IntN(3000))),
		}
		if r.IntN(3) == 0 {
			f.Bio = features.SomeString("coffee, travel & photos " + strconv.Itoa(r.IntN(100)))
		}
		pool[i] = f
	}
	docs := make([][]byte, c.Creators)
	for i := range docs {
		if c.BadFraction > 0 && r.Float64() < c.BadFraction {
			docs[i] = badDocument(i, r)
			continue
		}
		h := features.History{
			Format: features.Format, Platform: "instagram", ObservedAt: observed,
			Creator: features.Creator{
				ID: "c" + strconv.Itoa(i), Handle: "creator" + strconv.Itoa(i),
				Followers: int64(1000 + r.IntN(100000)),
				Following: features.SomeInt(int64(r.IntN(1000))),
			},
		}
		for d := 10; d > 0; d-- {
			h.Series = append(h.Series, features.SeriesPoint{
				At: observed.AddDate(0, 0, -d), Followers: h.Creator.Followers - int64(d*r.IntN(50)),
			})
		}
		for _, j := range r.Perm(c.Pool)[:c.Followers] {
			h.Followers = append(h.Followers, pool[j])
		}
		for p := range c.Posts {
			post := features.Post{
				ID: "p" + strconv.Itoa(p), CreatedAt: observed.Add(-time.Duration(p+1) * 24 * time.Hour),
				Likes: features.SomeInt(int64(r.IntN(5000))), CommentsCount: features.SomeInt(int64(c.CommentsEach)),
			}
			for k := range c.CommentsEach {
				post.Comments = append(post.Comments, features.Comment{
					ID: "k" + strconv.Itoa(k), AuthorID: pool[r.IntN(c.Pool)].ID,
					Text: []string{"love it", "🔥🔥", "where is this?", "great post", "nice"}[r.IntN(5)],
				})
			}
			h.Posts = append(h.Posts, post)
		}
		b, err := json.Marshal(h)
		if err != nil {
			panic(err)
		}
		docs[i] = b
	}
	return docs
}

// badDocument is one of several contract violations.
func badDocument(i int, r *rand.Rand) []byte {
	id := strconv.Itoa(i)
	switch r.IntN(5) {
	case 0:
		return []byte(`{"format":"creator-history/v1","platform":"x","observed_at":"2026-11-24T06:00:00Z","creator":{"id":"c` + id + `","followers":-5}}`)
	case 1:
		return []byte(`{"platform":"x","observed_at":"2026-11-24T06:00:00Z"}`)
	case 2:
		return []byte(`{"platform":"x","creator":{"id":"c` + id + `","followers":3}, "observed_at":`)
	case 3:
		return []byte(`["not", "an", "object", ` + id + `]`)
	default:
		return []byte(`{"platform":"x","creator":{"id":"c` + id + `","followers":3}}`)
	}
}

// writeJSONL writes documents one per line to path.
func writeJSONL(t testing.TB, path string, docs [][]byte) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for _, d := range docs {
		w.Write(d)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// run runs one batch in this process with the fake vetter.
func run(t testing.TB, opts batch.Options) (batch.Summary, error) {
	t.Helper()
	if opts.NewVetter == nil {
		opts.NewVetter = newFakeVetter("fake@v1")
	}
	return batch.Run(context.Background(), opts, zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel))
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func tempPaths(t testing.TB) (dir, out, cache string) {
	dir = t.TempDir()
	return dir, filepath.Join(dir, "out.jsonl"), filepath.Join(dir, "cache")
}

func sha(b []byte) [32]byte { return sha256.Sum256(b) }
