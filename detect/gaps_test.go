package detect_test

import (
	"context"
	"strings"
	"testing"

	"bonafide/detect"
	"bonafide/features"
)

// An authentic creator whose document lacks a part that real inputs often
// lack (the simulator always gives it) must not be called inauthentic for
// it: an absent signal is no evidence either way.
func TestVetAbsentPartsAreNoEvidence(t *testing.T) {
	gaps := []struct {
		name  string
		strip func(*features.History)
	}{
		{"no comments", func(h *features.History) {
			for i := range h.Posts {
				h.Posts[i].Comments = nil
			}
		}},
		{"no followers", func(h *features.History) { h.Followers = nil }},
		{"no follower dates", func(h *features.History) {
			for i := range h.Followers {
				h.Followers[i].CreatedAt, h.Followers[i].FollowedAt = features.OptTime{}, features.OptTime{}
			}
		}},
		{"no views", func(h *features.History) {
			for i := range h.Posts {
				h.Posts[i].Views = features.OptInt{}
			}
		}},
		{"two snapshots", func(h *features.History) { h.Series = h.Series[max(0, len(h.Series)-2):] }},
	}
	e := newEngine(t)
	checked := 0
	for _, s := range loadSamples(t) {
		if s.label != "authentic" {
			continue
		}
		full, err := e.Vet(context.Background(), s.doc)
		if err != nil {
			t.Fatal(err)
		}
		if full.Verdict != "authentic" {
			continue // the model's own miss; nothing to compare with
		}
		checked++
		for _, g := range gaps {
			h := deepCopy(t, s.doc.History)
			g.strip(h)
			doc := s.doc
			doc.History = h
			r, err := e.Vet(context.Background(), doc)
			if err != nil {
				t.Fatalf("%s, %s: %v", s.name, g.name, err)
			}
			t.Logf("%-40s %-18s %5.1f -> %5.1f %s", s.name, g.name, full.Authenticity, r.Authenticity, r.Verdict)
			if r.Authenticity < detect.InauthenticBelow {
				t.Errorf("%s with %s: authenticity %.1f (%s), %.1f with the whole document", s.name, g.name, r.Authenticity, r.Verdict, full.Authenticity)
			}
		}
	}
	if checked < 3 {
		t.Fatalf("only %d authentic samples called authentic: the test shows little", checked)
	}
}

// deepCopy copies the slices the gaps change.
func deepCopy(t *testing.T, h *features.History) *features.History {
	t.Helper()
	c := *h
	c.Posts = append([]features.Post(nil), h.Posts...)
	c.Followers = append([]features.Follower(nil), h.Followers...)
	c.Series = append([]features.SeriesPoint(nil), h.Series...)
	return &c
}

// A document too thin to judge (two followers, two posts, two snapshots:
// the spec's own example) is not called authentic, and a share estimated
// from two followers does not count in the score.
func TestVetThinDocumentIsNotAuthentic(t *testing.T) {
	src, err := features.Open([]string{"../features/testdata/good/spec-example.json"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	doc, ok := src.Next(context.Background())
	if !ok || doc.Err != nil {
		t.Fatalf("spec example: %v", doc.Err)
	}
	r, err := newEngine(t).Vet(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	if r.Verdict == detect.VerdictAuthentic {
		t.Errorf("verdict %s (authenticity %.1f) on a document with %d followers, %d posts", r.Verdict, r.Authenticity, len(doc.History.Followers), len(doc.History.Posts))
	}
	var why, share bool
	for _, w := range r.Warnings {
		why = why || strings.HasPrefix(w, "verdict: ")
		share = share || strings.Contains(w, "too wide for the share to count")
	}
	if r.Verdict == detect.VerdictReview && r.Authenticity >= detect.AuthenticAt && !why {
		t.Errorf("review despite a score of %.1f, and no warning says why: %q", r.Authenticity, r.Warnings)
	}
	if !share {
		t.Errorf("no warning that two followers' share does not count: %q", r.Warnings)
	}
}

func TestShareFromAFewFollowersDoesNotCount(t *testing.T) {
	rates := detect.ShareRates{TPR: 0.9, FPR: 0.03, Positives: 1000, Negatives: 1000}
	for _, tt := range []struct {
		flagged, basis int
		counts         bool
	}{
		{1, 2, false},
		{0, 3, false},
		{30, 200, true},
		{300, 2000, true},
	} {
		s := detect.EstimateShare(tt.flagged, tt.basis, 20000, features.SampleRandom, rates, detect.SpikeStratum{})
		if s.Counts() != tt.counts {
			t.Errorf("%d of %d flagged: interval %.2f-%.2f, counts %v, want %v", tt.flagged, tt.basis, s.Low, s.High, s.Counts(), tt.counts)
		}
	}
}
