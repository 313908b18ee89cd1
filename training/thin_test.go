package training_test

import (
	"reflect"
	"testing"

	"bonafide/features"
	"bonafide/fixtures"
	"bonafide/training"
)

func TestThinComments(t *testing.T) {
	seq, err := fixtures.Generate(fixtures.Options{N: 1, Seed: 5, Scenarios: []string{"pod"}})
	if err != nil {
		t.Fatal(err)
	}
	for h, tr := range seq {
		if len(tr.PodMembers) == 0 {
			t.Fatal("a pod creator without pod members: the test shows nothing")
		}
		pod := map[string]bool{}
		for _, id := range tr.PodMembers {
			pod[id] = true
		}
		count := func(h features.History) (byPod, others int) {
			for _, p := range h.Posts {
				for _, c := range p.Comments {
					if pod[c.AuthorID] {
						byPod++
					} else {
						others++
					}
				}
			}
			return byPod, others
		}
		podAll, othersAll := count(h)
		if podAll < 20 {
			t.Fatalf("only %d pod comments: the test shows nothing", podAll)
		}

		if got := training.ThinComments(h, tr.PodMembers, 1, 7); !reflect.DeepEqual(got, h) {
			t.Error("keep 1 changed the history")
		}
		none := training.ThinComments(h, tr.PodMembers, 0, 7)
		if p, o := count(none); p != 0 || o > othersAll || o < othersAll*9/10 {
			t.Errorf("keep 0: %d pod and %d other comments left, want 0 and about %d (only replies to pod comments dropped)", p, o, othersAll)
		}
		half := training.ThinComments(h, tr.PodMembers, 0.5, 7)
		if p, _ := count(half); p < podAll/4 || p > podAll*3/4 {
			t.Errorf("keep 0.5: %d of %d pod comments left", p, podAll)
		}
		if again := training.ThinComments(h, tr.PodMembers, 0.5, 7); !reflect.DeepEqual(again, half) {
			t.Error("same seed, different copy")
		}
		for _, p := range half.Posts {
			ids := map[string]bool{}
			for _, c := range p.Comments {
				ids[c.ID] = true
			}
			for _, c := range p.Comments {
				if c.ReplyTo.OK && !ids[c.ReplyTo.V] && hadComment(h, p.ID, c.ReplyTo.V) {
					t.Errorf("post %s: reply %s to dropped comment %s kept", p.ID, c.ID, c.ReplyTo.V)
				}
			}
		}
		if podAfter, _ := count(h); podAfter != podAll {
			t.Errorf("the original history changed: %d pod comments, had %d", podAfter, podAll)
		}
	}
}

func hadComment(h features.History, post, id string) bool {
	for _, p := range h.Posts {
		if p.ID != post {
			continue
		}
		for _, c := range p.Comments {
			if c.ID == id {
				return true
			}
		}
	}
	return false
}
