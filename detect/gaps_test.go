package detect_test

import (
	"context"
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
