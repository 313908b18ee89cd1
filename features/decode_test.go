package features_test

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"bonafide/features"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/good and testdata/bad")

// fixtures lists the .json files of a testdata folder.
func fixtures(t testing.TB, dir string) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatalf("no fixtures in testdata/%s", dir)
	}
	return paths
}

// golden compares got with the golden file, or rewrites it under -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run with -update to create it): %v", err)
	}
	if got != string(want) {
		t.Errorf("got\n%s\nwant (%s)\n%s", got, path, want)
	}
}

func decodeFile(t *testing.T, path string) (*features.History, []features.Warning, error) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return features.Decode(bytes.NewReader(b))
}

// TestDecodeGood decodes every good fixture and checks its warnings against
// the golden .warn file next to it (one warning a line).
func TestDecodeGood(t *testing.T) {
	for _, path := range fixtures(t, "good") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			h, warns, err := decodeFile(t, path)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if h.Sample.Method == "" || !h.Sample.Population.OK {
				t.Errorf("Sample not filled in: %+v", h.Sample)
			}
			if !slices.IsSortedFunc(h.Series, func(a, b features.SeriesPoint) int { return a.At.Compare(b.At) }) {
				t.Errorf("Series not sorted: %v", h.Series)
			}
			var b strings.Builder
			for _, w := range warns {
				b.WriteString(w.String())
				b.WriteByte('\n')
			}
			golden(t, strings.TrimSuffix(path, ".json")+".warn", b.String())
		})
	}
}

// TestDecodeBad decodes every bad fixture and checks the error against the
// golden .err file next to it.
func TestDecodeBad(t *testing.T) {
	for _, path := range fixtures(t, "bad") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			h, warns, err := decodeFile(t, path)
			if err == nil {
				t.Fatalf("Decode accepted a bad document: %+v", h)
			}
			if h != nil || warns != nil {
				t.Errorf("Decode returned a History or warnings with an error")
			}
			var fe *features.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error is %T, not *FieldError: %v", err, err)
			}
			golden(t, strings.TrimSuffix(path, ".json")+".err", err.Error()+"\n")
		})
	}
}

// doc returns a small valid document with extra placed inside the first
// follower object (or at the top level when top is set).
func doc(follower string) string {
	return `{"platform":"x","observed_at":"2026-11-24T00:00:00Z","creator":{"id":"c","followers":1},` +
		`"followers":[{"id":"f"` + follower + `}]}`
}

// TestDecodeLimits checks the limits on documents too big to commit.
func TestDecodeLimits(t *testing.T) {
	// big streams 50 MB of text between before and after.
	big := func(before, after string, size int64) io.Reader {
		return io.MultiReader(strings.NewReader(before), io.LimitReader(newCycle("é"), size), strings.NewReader(after))
	}
	tests := []struct {
		name string
		in   io.Reader
		want string
	}{
		{"50 MB string", big(`{"platform":"x","observed_at":"2026-11-24","creator":{"id":"c","followers":1},"posts":[{"id":"p","created_at":"2026-11-24","caption":"`, `"}]}`, 50<<20),
			"posts[0].caption: expected a string of at most 1048576 characters, found a string of more than 1048576 characters"},
		{"8 MB string in an unknown field is skipped", big(doc(`,"blob":"`)[:len(doc(`,"blob":"`))-3], `"}]}`, 8<<20), ""},
		{"id too long", strings.NewReader(doc(`,"username":"u"}, {"id":"` + strings.Repeat("a", features.MaxIDLen+1) + `"`)),
			"followers[1].id: expected an id of at most 65536 characters, found a string of more than 65536 characters"},
		{"longest id", strings.NewReader(doc(`}, {"id":"` + strings.Repeat("a", features.MaxIDLen) + `"`)), ""},
		{"key too long", strings.NewReader(doc(`,"` + strings.Repeat("k", features.MaxTextLen+1) + `":1`)),
			"followers[0]: expected a field name of at most 1048576 characters, found a string of more than 1048576 characters"},
		{"100000 levels", strings.NewReader(doc(`,"deep":` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000))),
			"followers[0].deep: expected at most 64 levels of nesting, found deeper nesting"},
		{"deepest allowed", strings.NewReader(doc(`,"deep":` + strings.Repeat("[", features.MaxDepth-3) + strings.Repeat("]", features.MaxDepth-3))), ""},
		{"one level more", strings.NewReader(doc(`,"deep":` + strings.Repeat("[", features.MaxDepth-2) + strings.Repeat("]", features.MaxDepth-2))),
			"followers[0].deep: expected at most 64 levels of nesting, found deeper nesting"},
		{"long number", strings.NewReader(doc(`,"followers":1` + strings.Repeat("0", 2000))),
			"followers[0].followers: expected a non-negative integer, found a number of more than 1024 characters"},
		{"largest count", strings.NewReader(doc(`,"followers":9223372036854775807`)), ""},
		{"count past int64", strings.NewReader(doc(`,"followers":9223372036854775808`)),
			"followers[0].followers: expected a non-negative integer, found 9223372036854775808"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := features.Decode(tt.in)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("got error %q, want %q", got, tt.want)
			}
		})
	}
}

// TestDecodeValues checks decoded values against what the spec says they
// mean.
func TestDecodeValues(t *testing.T) {
	ts := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v.UTC()
	}
	tests := []struct {
		name  string
		in    string
		check func(h *features.History) any // returns the value to compare
		want  any
	}{
		{"count written 12.0", doc(`,"followers":12.0`), func(h *features.History) any { return h.Followers[0].Followers }, features.SomeInt(12)},
		{"count written 1.2e1", doc(`,"posts":1.2e1`), func(h *features.History) any { return h.Followers[0].Posts }, features.SomeInt(12)},
		{"count written -0", doc(`,"posts":-0`), func(h *features.History) any { return h.Followers[0].Posts }, features.SomeInt(0)},
		{"absent count", doc(``), func(h *features.History) any { return h.Followers[0].Posts }, features.OptInt{}},
		{"null count", doc(`,"posts":null`), func(h *features.History) any { return h.Followers[0].Posts }, features.OptInt{}},
		{"empty bio is present", doc(`,"bio":""`), func(h *features.History) any { return h.Followers[0].Bio }, features.SomeString("")},
		{"absent bio", doc(``), func(h *features.History) any { return h.Followers[0].Bio }, features.OptString{}},
		{"escapes", doc(`,"bio":"a\"\\\/\n\u00e9\ud83c\udf3f"`), func(h *features.History) any { return h.Followers[0].Bio.V }, "a\"\\/\né🌿"},
		{"false flag", doc(`,"private":false`), func(h *features.History) any { return h.Followers[0].Private }, features.SomeBool(false)},
		{"date is midnight UTC", doc(`,"created_at":"2020-02-29"`), func(h *features.History) any { return h.Followers[0].CreatedAt.V }, ts("2020-02-29T00:00:00Z")},
		{"offset becomes UTC", doc(`,"created_at":"2020-01-01T01:30:00+02:00"`), func(h *features.History) any { return h.Followers[0].CreatedAt.V }, ts("2019-12-31T23:30:00Z")},
		{"fraction", doc(`,"created_at":"2020-01-01T00:00:00.25Z"`), func(h *features.History) any { return h.Followers[0].CreatedAt.V.Nanosecond() }, 250000000},
		{"sample defaults to random below the population", `{"platform":"x","observed_at":"2026-11-24","creator":{"id":"c","followers":5},"followers":[{"id":"a"}]}`,
			func(h *features.History) any { return h.Sample }, features.Sample{Method: "random", Population: features.SomeInt(5)}},
		{"sample defaults to all at the population", `{"platform":"x","observed_at":"2026-11-24","creator":{"id":"c","followers":1},"followers":[{"id":"a"}]}`,
			func(h *features.History) any { return h.Sample }, features.Sample{Method: "all", Population: features.SomeInt(1)}},
		{"population from the sample", `{"platform":"x","observed_at":"2026-11-24","creator":{"id":"c","followers":1},"follower_sample":{"population":9},"followers":[{"id":"a"}]}`,
			func(h *features.History) any { return h.Sample }, features.Sample{Method: "random", Population: features.SomeInt(9)}},
		{"recent kept", `{"platform":"x","observed_at":"2026-11-24","creator":{"id":"c","followers":1},"follower_sample":{"method":"recent"}}`,
			func(h *features.History) any { return h.Sample }, features.Sample{Method: "recent", Population: features.SomeInt(1)}},
		{"series sorted", `{"platform":"x","observed_at":"2026-11-24","creator":{"id":"c","followers":1},"follower_series":[{"at":"2026-11-03","followers":3},{"at":"2026-11-01","followers":1},{"at":"2026-11-02","followers":2}]}`,
			func(h *features.History) any {
				var v []int64
				for _, p := range h.Series {
					v = append(v, p.Followers)
				}
				return slices.Clone(v)
			}, []int64{1, 2, 3}},
		{"followers keep their order", `{"platform":"x","observed_at":"2026-11-24","creator":{"id":"c","followers":3},"followers":[{"id":"z"},{"id":"a"},{"id":"m"}]}`,
			func(h *features.History) any {
				return []string{h.Followers[0].ID, h.Followers[1].ID, h.Followers[2].ID}
			}, []string{"z", "a", "m"}},
		{"creator read even when followers come first", `{"followers":[{"id":"a"}],"platform":"x","observed_at":"2026-11-24","creator":{"id":"c","followers":3}}`,
			func(h *features.History) any { return h.Creator.ID }, "c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, _, err := features.Decode(strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			got := tt.check(h)
			if !equal(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

// cycle reads a text over and over.
type cycle struct {
	block string // the text repeated to about 64 KiB
	off   int
}

func newCycle(unit string) *cycle {
	return &cycle{block: strings.Repeat(unit, 64<<10/len(unit))}
}

func (c *cycle) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		k := copy(p[n:], c.block[c.off:])
		n += k
		c.off = (c.off + k) % len(c.block)
	}
	return n, nil
}

func equal(a, b any) bool {
	switch a := a.(type) {
	case []int64:
		return slices.Equal(a, b.([]int64))
	case []string:
		return slices.Equal(a, b.([]string))
	case time.Time:
		return a.Equal(b.(time.Time))
	}
	return a == b
}

// TestDecodeTimes checks that every time the decoder accepts is the one
// ParseTime gives, and that it rejects what ParseTime rejects.
func TestDecodeTimes(t *testing.T) {
	for _, s := range timeSamples {
		t.Run(s, func(t *testing.T) {
			checkTime(t, s)
		})
	}
}

var timeSamples = []string{
	"2026-11-24", "2026-11-24T18:03:00Z", "2026-11-24T18:03:00.5Z", "2026-11-24T18:03:00.123456789Z",
	"2026-11-24T18:03:00.1234567891Z", "2026-11-24T18:03:00+01:00", "2026-11-24T18:03:00-23:59",
	"2026-11-24T18:03:00+24:00", "2026-11-24T24:00:00Z", "2026-11-24T18:60:00Z", "2026-11-24T18:03:60Z",
	"2024-02-29", "2023-02-29", "1900-02-29", "2000-02-29", "0000-01-01", "9999-12-31T23:59:59Z",
	"2026-13-01", "2026-00-10", "2026-11-00", "2026-11-24t18:03:00z", "2026-11-24 18:03:00Z",
	"2026-11-24T18:03:00", "2026-11-24T18:03Z", "2026-11-24T18:03:00,5Z", "2026-11-24T18:03:00.Z",
	"2026-1-24", "+2026-11-24", "yesterday", "", "2026-11-24T18:03:00+0100", "2026-11-24T18:03:00.5+01:00",
}

func checkTime(t *testing.T, s string) {
	t.Helper()
	q, err := jsonString(s)
	if err != nil {
		return
	}
	h, _, derr := features.Decode(strings.NewReader(doc(`,"created_at":` + q)))
	want, perr := features.ParseTime(s)
	switch {
	case perr != nil && derr == nil:
		t.Fatalf("Decode accepted %q, ParseTime: %v", s, perr)
	case perr == nil && derr != nil:
		t.Fatalf("Decode rejected %q: %v; ParseTime gives %v", s, derr, want)
	case perr == nil && !h.Followers[0].CreatedAt.V.Equal(want):
		t.Fatalf("Decode read %q as %v, ParseTime as %v", s, h.Followers[0].CreatedAt.V, want)
	case perr == nil && h.Followers[0].CreatedAt.V != want:
		t.Fatalf("Decode read %q as %#v, not the same value as ParseTime's %#v", s, h.Followers[0].CreatedAt.V, want)
	}
}

// TestDecodeLongLists checks that followers keep their order, and that a
// duplicate id names the first follower with it, however the list is
// stored while it grows (one slice sized from the creator's count, or
// chunks when the count comes later or is too small).
func TestDecodeLongLists(t *testing.T) {
	tests := []struct {
		name         string
		creatorFirst bool
		count        int // creator.followers
		n            int // followers listed
		dupAt, dupOf int // followers[dupAt] repeats followers[dupOf]; dupAt 0 for none
	}{
		{"count first, all listed", true, 5000, 5000, 0, 0},
		{"count first, a sample", true, 1_000_000, 3000, 0, 0},
		{"count first, too small", true, 100, 5000, 0, 0},
		{"count last", false, 5000, 70000, 0, 0},
		{"count first, duplicate", true, 5000, 5000, 4999, 17},
		{"count too small, duplicate across chunks", true, 100, 5000, 4500, 1500},
		{"count last, duplicate across chunks", false, 5000, 5000, 4900, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := func(i int) string {
				if tt.dupAt != 0 && i == tt.dupAt {
					i = tt.dupOf
				}
				return "f" + strconv.Itoa(i*7)
			}
			var b strings.Builder
			creator := `"creator":{"id":"c","followers":` + strconv.Itoa(tt.count) + `}`
			b.WriteString(`{"platform":"x","observed_at":"2026-11-24",`)
			if tt.creatorFirst {
				b.WriteString(creator + ",")
			}
			b.WriteString(`"followers":[`)
			for i := range tt.n {
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString(`{"id":"` + id(i) + `","posts":` + strconv.Itoa(i) + `}`)
			}
			b.WriteString("]")
			if !tt.creatorFirst {
				b.WriteString("," + creator)
			}
			b.WriteString("}")
			h, _, err := features.Decode(strings.NewReader(b.String()))
			if tt.dupAt != 0 {
				want := fmt.Sprintf("followers[%d].id: expected an id no other follower has, found %q, the id of followers[%d]", tt.dupAt, id(tt.dupOf), tt.dupOf)
				if err == nil || err.Error() != want {
					t.Fatalf("got error %v, want %s", err, want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(h.Followers) != tt.n {
				t.Fatalf("got %d followers, want %d", len(h.Followers), tt.n)
			}
			for i, f := range h.Followers {
				if f.ID != id(i) || f.Posts != features.SomeInt(int64(i)) {
					t.Fatalf("followers[%d] = %+v, want id %s and %d posts", i, f, id(i), i)
				}
			}
		})
	}
}
