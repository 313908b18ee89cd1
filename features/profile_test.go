package features_test

import (
	"math"
	"testing"
	"time"

	"bonafide/features"
)

func TestProfileVectorMatchesNames(t *testing.T) {
	v := features.Unknown().Vector(nil)
	if got, want := len(v), len(features.ProfileNames()); got != want {
		t.Fatalf("Vector has %d values, ProfileNames %d", got, want)
	}
	for i, x := range v {
		if !math.IsNaN(x) {
			t.Errorf("Unknown().%s = %v, want NaN", features.ProfileNames()[i], x)
		}
	}
	seen := map[string]bool{}
	for _, n := range features.ProfileNames() {
		if seen[n] {
			t.Errorf("duplicate feature name %q", n)
		}
		seen[n] = true
	}
}

func TestProfileSchemaStable(t *testing.T) {
	a, b := features.ProfileSchema(), features.ProfileSchema()
	if a != b || len(a) != 64 {
		t.Fatalf("ProfileSchema = %q then %q, want one 64-hex digest", a, b)
	}
	names := features.ProfileNames()
	names[0] = "changed"
	if features.ProfileNames()[0] == "changed" {
		t.Fatal("ProfileNames returned its internal array")
	}
}

func TestProfileOf(t *testing.T) {
	obs := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	nan := math.NaN()
	tests := []struct {
		name string
		f    features.Follower
		want map[string]float64 // features checked; others must be NaN
	}{
		{"nothing known", features.Follower{ID: "1"}, map[string]float64{}},
		{"counts", features.Follower{ID: "2", Posts: features.SomeInt(0), Followers: features.SomeInt(9), Following: features.SomeInt(99)},
			map[string]float64{"log_posts": 0, "log_followers": math.Log(10), "log_following": math.Log(100), "follow_ratio": math.Log(100) - math.Log(10)}},
		{"followers only, ratio unknown", features.Follower{ID: "3", Followers: features.SomeInt(9)},
			map[string]float64{"log_followers": math.Log(10)}},
		{"negative count is unknown", features.Follower{ID: "4", Posts: features.SomeInt(-1)}, map[string]float64{"log_posts": nan}},
		{"flags", features.Follower{ID: "5", HasAvatar: features.SomeBool(false), Private: features.SomeBool(true), Verified: features.SomeBool(false), ExternalURL: features.SomeBool(true)},
			map[string]float64{"has_avatar": 0, "private": 1, "verified": 0, "external_url": 1}},
		{"empty bio is zero", features.Follower{ID: "6", Bio: features.SomeString("")}, map[string]float64{"bio_length": 0}},
		{"bio counts runes", features.Follower{ID: "7", Bio: features.SomeString("héllo ✨")}, map[string]float64{"bio_length": 7}},
		{"username", features.Follower{ID: "8", Username: features.SomeString("anna1992")},
			map[string]float64{"username_length": 8, "username_digits": 4, "username_digit_ratio": 0.5}},
		{"empty username", features.Follower{ID: "9", Username: features.SomeString("")},
			map[string]float64{"username_length": 0, "username_digits": 0, "username_digit_ratio": 0}},
		{"name and username", features.Follower{ID: "10", Username: features.SomeString("Anna"), Name: features.SomeString(" anna ")},
			map[string]float64{"username_length": 4, "username_digits": 0, "username_digit_ratio": 0, "name_words": 1, "name_digit_ratio": 0, "name_is_username": 1}},
		{"name without username", features.Follower{ID: "11", Name: features.SomeString("Anna Maria 2")},
			map[string]float64{"name_words": 3, "name_digit_ratio": 1.0 / 12}},
		{"ages from observed_at", features.Follower{ID: "12", CreatedAt: features.SomeTime(obs.AddDate(0, 0, -10)), LastActiveAt: features.SomeTime(obs.Add(-36 * time.Hour))},
			map[string]float64{"age_days": 10, "inactive_days": 2}}, // whole calendar days: 36 h before midnight is 2 dates back
		{"created after observed_at", features.Follower{ID: "13", CreatedAt: features.SomeTime(obs.AddDate(0, 0, 2))},
			map[string]float64{"age_days": -2}},
	}
	names := features.ProfileNames()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := features.ProfileOf(tt.f, obs).Vector(nil)
			for i, n := range names {
				want, checked := tt.want[n]
				if !checked {
					want = nan
				}
				got := v[i]
				if math.IsNaN(want) != math.IsNaN(got) || (!math.IsNaN(want) && math.Abs(got-want) > 1e-12) {
					t.Errorf("%s = %v, want %v", n, got, want)
				}
			}
		})
	}
}

func BenchmarkProfileOf(b *testing.B) {
	obs := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	f := features.Follower{ID: "1", Username: features.SomeString("maria_k92"), Name: features.SomeString("Maria K"),
		Bio: features.SomeString(""), HasAvatar: features.SomeBool(true), Followers: features.SomeInt(312),
		Following: features.SomeInt(405), Posts: features.SomeInt(57), CreatedAt: features.SomeTime(obs.AddDate(-8, 0, 0))}
	dst := make([]float64, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		dst = features.ProfileOf(f, obs).Vector(dst[:0])
	}
}

func TestDaysBetween(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		from, to string
		want     float64
	}{
		{"2025-03-01T23:59:00Z", "2025-03-02T00:01:00Z", 1},
		{"2025-03-01T00:00:00Z", "2025-03-01T23:59:59Z", 0},
		{"2025-03-01T10:00:00+05:00", "2025-03-01T04:00:00Z", 0}, // 05:00Z the same UTC day, the hour before
		{"2024-02-28T12:00:00Z", "2024-03-01T01:00:00Z", 2},      // leap day
		{"2025-03-30T12:00:00Z", "2025-03-29T12:00:00Z", -1},
		{"2020-01-01T00:00:00Z", "2025-01-01T00:00:00Z", 1827},
	}
	for _, tt := range tests {
		if got := features.DaysBetween(at(tt.from), at(tt.to)); got != tt.want {
			t.Errorf("DaysBetween(%s, %s) = %v, want %v", tt.from, tt.to, got, tt.want)
		}
	}
}

// Two creators observed on the same day at different hours see the same
// vector for a shared follower, so the batch cache scores it once.
func TestProfileOfSameDaySameVector(t *testing.T) {
	f := features.Follower{ID: "f1"}
	f.CreatedAt = features.OptTime{V: time.Date(2023, 5, 6, 18, 30, 0, 0, time.UTC), OK: true}
	f.LastActiveAt = features.OptTime{V: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC), OK: true}
	a := features.ProfileOf(f, time.Date(2025, 6, 1, 0, 5, 0, 0, time.UTC)).Vector(nil)
	b := features.ProfileOf(f, time.Date(2025, 6, 1, 23, 55, 0, 0, time.UTC)).Vector(nil)
	for i := range a {
		if a[i] != b[i] && !(math.IsNaN(a[i]) && math.IsNaN(b[i])) {
			t.Errorf("%s: %v at 00:05, %v at 23:55", features.ProfileNames()[i], a[i], b[i])
		}
	}
}
