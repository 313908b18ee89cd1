package features_test

import (
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"bonafide/features"
)

// FuzzText checks the comment-text functions on arbitrary text: they never
// panic, normalising is idempotent, a normalised text keeps no mention,
// and TemplateGroups gives each text the first index of its group.
func FuzzText(f *testing.F) {
	for _, s := range []string{
		"Nice pic!!", "nice pic", "Nice pic 😍", "@ana @bea", "https://x.example/a b", "¡Qué HERMOSA!",
		"Süß", "niiiiice", "👍🏽👨‍👩‍👧", "", "\xff\xfe", "İstanbul", "ǅ", "@", "www.", "kkkk", "٣٤", "?",
	} {
		f.Add(s, "nice pic")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		n := features.NormalizeText(a)
		if again := features.NormalizeText(n); again != n {
			t.Errorf("NormalizeText not idempotent: %q -> %q -> %q", a, n, again)
		}
		if strings.ContainsAny(n, "@#!?") || strings.Contains(n, "  ") || strings.TrimSpace(n) != n {
			t.Errorf("NormalizeText(%q) = %q", a, n)
		}
		_ = features.ClassifyText(a)
		_ = features.IsGiveaway(a)
		texts := []string{a, b, a, n}
		g := features.TemplateGroups(texts)
		for i, x := range g {
			if x > i || g[x] != x {
				t.Fatalf("TemplateGroups(%q) = %v: not first-of-group indices", texts, g)
			}
		}
		if g[2] != g[0] {
			t.Errorf("equal texts in groups %v", g)
		}
	})
}

// FuzzExtract runs Extract on arbitrary documents (those json.Unmarshal
// accepts into a History; the real decoder rejects more): it never
// panics, loops or yields a value that is NaN, infinite or negative, and
// it is deterministic.
func FuzzExtract(f *testing.F) {
	for _, doc := range []string{
		`{}`,
		`{"creator":{"id":"me","followers":10},"posts":[{"id":"p","created_at":"2026-11-01T00:00:00Z",
		  "likes":5,"comments":[{"id":"a","author_id":"x","text":"hi?","reply_to":"b"},
		  {"id":"b","author_id":"me","text":"yo","reply_to":"a"},{"id":"b","author_id":"y","text":""}]}]}`,
		`{"creator":{"id":"me","followers":0},"follower_series":[{"at":"2026-11-01","followers":5},
		  {"at":"2026-11-01","followers":7},{"at":"2026-11-02","followers":9999},{"at":"2026-10-30","followers":1}]}`,
		`{"creator":{"id":"me","followers":3},"followers":[{"id":"a","created_at":"2030-01-01","followed_at":"2020-01-01"},
		  {"id":"a"},{"id":"b","created_at":"1970-01-01"}],"follower_sample":{"method":"all"}}`,
	} {
		f.Add([]byte(doc))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		var h features.History
		if err := json.Unmarshal(doc, &h); err != nil {
			t.Skip()
		}
		fake := func(id string) (float64, bool) { return float64(len(id)%3) / 2, id != "" }
		s := features.Extract(&h, fake)
		for k, v := range s.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || !slices.Contains(features.Names(), k) {
				t.Errorf("%s = %v", k, v)
			}
		}
		if again := features.Extract(&h, fake); !reflect.DeepEqual(again, s) {
			t.Errorf("second Extract differs")
		}
	})
}
