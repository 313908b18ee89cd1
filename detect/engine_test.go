package detect_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"bonafide/detect"
	"bonafide/detect/model"
	"bonafide/features"
)

// sample is one committed simulated creator and its truth.
type sample struct {
	name  string
	doc   features.Document
	label string
	share float64
}

func loadSamples(t testing.TB) []sample {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "fixtures", "samples", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var out []sample
	for _, p := range paths {
		if strings.HasSuffix(p, ".truth.json") {
			continue
		}
		src, err := features.Open([]string{p}, nil)
		if err != nil {
			t.Fatal(err)
		}
		doc, ok := src.Next(context.Background())
		src.Close()
		if !ok || doc.Err != nil {
			t.Fatalf("%s: %v", p, doc.Err)
		}
		raw, err := os.ReadFile(strings.TrimSuffix(p, ".json") + ".truth.json")
		if err != nil {
			t.Fatal(err)
		}
		var truth struct {
			Label     string  `json:"label"`
			FakeShare float64 `json:"fake_share"`
		}
		if err := json.Unmarshal(raw, &truth); err != nil {
			t.Fatal(err)
		}
		out = append(out, sample{filepath.Base(p), doc, truth.Label, truth.FakeShare})
	}
	if len(out) < 5 {
		t.Fatalf("found %d samples under fixtures/samples", len(out))
	}
	return out
}

func newEngine(t testing.TB) *detect.Engine {
	t.Helper()
	b, err := model.Default(features.ProfileSchema())
	if err != nil {
		t.Fatal(err)
	}
	e, err := detect.New(b, detect.Options{}, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestVetReportsFollowTheContract(t *testing.T) {
	e := newEngine(t)
	for _, s := range loadSamples(t) {
		t.Run(s.name, func(t *testing.T) {
			r, err := e.Vet(context.Background(), s.doc)
			if err != nil {
				t.Fatal(err)
			}
			if r.Format != detect.ReportFormat || r.CreatorID != s.doc.History.Creator.ID || len(r.InputSHA256) != 64 {
				t.Errorf("header: format %q creator %q sha %q", r.Format, r.CreatorID, r.InputSHA256)
			}
			if r.Authenticity < 0 || r.Authenticity > 100 {
				t.Errorf("authenticity %v outside 0-100", r.Authenticity)
			}
			want := detect.VerdictReview
			if r.Authenticity >= detect.AuthenticAt {
				want = detect.VerdictAuthentic
			} else if r.Authenticity < detect.InauthenticBelow {
				want = detect.VerdictInauthentic
			}
			if r.Verdict != want {
				t.Errorf("verdict %q for score %v, want %q", r.Verdict, r.Authenticity, want)
			}
			var sum float64
			for _, re := range r.Reasons {
				sum += re.Impact
				if re.Text == "" || re.Signal == "" {
					t.Errorf("reason without text or signal: %+v", re)
				}
			}
			if d := math.Abs(sum - (r.Authenticity - r.Baseline)); d > 0.011 {
				t.Errorf("impacts add up to %v, want %v (score %v - baseline %v)", sum, r.Authenticity-r.Baseline, r.Authenticity, r.Baseline)
			}
			if f := r.FakeFollowers; f.Estimate != nil && (*f.Low > *f.Estimate || *f.Estimate > *f.High) {
				t.Errorf("interval [%v, %v] does not hold the estimate %v", *f.Low, *f.High, *f.Estimate)
			}
			if r.Detail == nil || len(r.Detail.Followers) != len(s.doc.History.Followers) {
				t.Errorf("detail missing or short")
			}
		})
	}
}

func TestVetIsDeterministic(t *testing.T) {
	e := newEngine(t)
	for _, s := range loadSamples(t)[:4] {
		a, err := e.Vet(context.Background(), s.doc)
		if err != nil {
			t.Fatal(err)
		}
		b, err := newEngine(t).Vet(context.Background(), s.doc)
		if err != nil {
			t.Fatal(err)
		}
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if !bytes.Equal(ja, jb) {
			t.Errorf("%s: two runs differ:\n%s\n%s", s.name, ja, jb)
		}
	}
}

// TestVetSeparatesTheSamples checks the engine end to end on the committed
// simulated creators: inauthentic ones score lower on average, and the
// fake share rises with the true one.
func TestVetSeparatesTheSamples(t *testing.T) {
	e := newEngine(t)
	var auth, inauth []float64
	var lowShare, highShare []float64
	for _, s := range loadSamples(t) {
		r, err := e.Vet(context.Background(), s.doc)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%-50s %-11s truth share %.2f  score %5.1f %-11s est %v", s.name, s.label, s.share, r.Authenticity, r.Verdict, deref(r.FakeFollowers.Estimate))
		if s.label == "authentic" {
			auth = append(auth, r.Authenticity)
		} else {
			inauth = append(inauth, r.Authenticity)
		}
		if est := r.FakeFollowers.Estimate; est != nil {
			if s.share < 0.08 {
				lowShare = append(lowShare, *est)
			} else if s.share > 0.15 {
				highShare = append(highShare, *est)
			}
		}
	}
	if mean(inauth) >= mean(auth) {
		t.Errorf("inauthentic samples score %.1f on average, authentic %.1f", mean(inauth), mean(auth))
	}
	if len(lowShare) > 0 && len(highShare) > 0 && mean(highShare) <= mean(lowShare) {
		t.Errorf("estimated fake share %.3f where the truth is high, %.3f where it is low", mean(highShare), mean(lowShare))
	}
}

func TestVetRefusesABadDocument(t *testing.T) {
	e := newEngine(t)
	_, err := e.Vet(context.Background(), features.Document{Err: &features.FieldError{Field: "creator.id", Expected: "a string", Found: "nothing"}})
	if err == nil {
		t.Fatal("vetted a document that failed to decode")
	}
}

func deref(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

func mean(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// TestEvidenceReadsFollowersWithoutAge checks that a follower's P(fake)
// does not depend on its account's creation date: the same followers,
// listed without created_at or made a year earlier, read the same. With the age read, the most recent followers of
// any creator look younger, and so faker, than its older base.
func TestEvidenceReadsFollowersWithoutAge(t *testing.T) {
	e := newEngine(t)
	read := 0
	for _, s := range loadSamples(t) {
		h := *s.doc.History
		want, err := e.Evidence(context.Background(), &h)
		if err != nil {
			t.Fatal(err)
		}
		noAge, older := h, h
		noAge.Followers = slices.Clone(h.Followers)
		older.Followers = slices.Clone(h.Followers)
		aged := 0
		for i := range h.Followers {
			if h.Followers[i].CreatedAt.OK {
				aged++
			}
			noAge.Followers[i].CreatedAt = features.OptTime{}
			if f := &older.Followers[i]; f.CreatedAt.OK {
				f.CreatedAt.V = f.CreatedAt.V.AddDate(-1, 0, 0)
			}
		}
		if aged == 0 {
			continue
		}
		read++
		for name, hh := range map[string]*features.History{"without created_at": &noAge, "made a year earlier": &older} {
			got, err := e.Evidence(context.Background(), hh)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.Probs, want.Probs) {
				t.Errorf("%s: followers %s read otherwise", s.name, name)
			}
		}
	}
	if read == 0 {
		t.Fatal("no sample lists followers with a creation date")
	}
}

// TestShareWithoutCountsWeighsAsUnknown checks that followers who show
// none of their follower, following and post counts give a share that is
// reported, with a warning, but not read by the score: the follower model
// flags few such accounts of any kind, and the share runs low.
func TestShareWithoutCountsWeighsAsUnknown(t *testing.T) {
	e := newEngine(t)
	for _, s := range loadSamples(t) {
		h := *s.doc.History
		if len(h.Followers) == 0 {
			continue
		}
		ev, err := e.Evidence(context.Background(), &h)
		if err != nil {
			t.Fatal(err)
		}
		bare := h
		bare.Followers = slices.Clone(h.Followers)
		for i := range bare.Followers {
			f := &bare.Followers[i]
			f.Followers, f.Following, f.Posts = features.OptInt{}, features.OptInt{}, features.OptInt{}
		}
		got, err := e.Evidence(context.Background(), &bare)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Share.OK || got.Share.Counts() {
			t.Errorf("%s without counts: share OK %v, counts %v; want reported, not read", s.name, got.Share.OK, got.Share.Counts())
		}
		if !slices.ContainsFunc(got.Share.Warnings, func(w string) bool { return strings.Contains(w, "no follower, following or post count") }) {
			t.Errorf("%s without counts: no warning in %q", s.name, got.Share.Warnings)
		}
		if ev.Share.Basis >= 100 && !ev.Share.Counts() {
			t.Errorf("%s as it is: %d followers scored with their counts, share not read", s.name, ev.Share.Basis)
		}
	}
}
