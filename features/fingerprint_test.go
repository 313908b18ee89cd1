package features_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"bonafide/features"
)

// audience describes how to make follower i of n: its creation time and,
// when known, its follow time.
type audience func(rng *rand.Rand, i, n int, followed time.Time) (created time.Time, withFollowedAt bool)

// followers makes n followers who followed at a steady pace over the two
// years before observed, oldest first.
func followers(seed uint64, n int, gen audience) []features.Follower {
	rng := rand.New(rand.NewPCG(seed, 1))
	start := observed.Add(-2 * 365 * 24 * time.Hour)
	out := make([]features.Follower, n)
	for i := range out {
		followed := start.Add(time.Duration(float64(2*365*24*time.Hour) * float64(i) / float64(n)))
		created, withFollowedAt := gen(rng, i, n, followed)
		out[i] = features.Follower{ID: fmt.Sprint("f", i), CreatedAt: features.SomeTime(created)}
		if withFollowedAt {
			out[i].FollowedAt = features.SomeTime(followed)
		}
	}
	return out
}

const dayDur = 24 * time.Hour

// genuine followers' accounts were created any time in the ten years
// before they followed.
func genuine(rng *rand.Rand, _, _ int, followed time.Time) (time.Time, bool) {
	return followed.Add(-time.Duration(rng.Float64() * float64(10*365*dayDur))), false
}

// withBatch replaces followers [from, to) of base by a bought batch,
// delivered on one day: accounts created one to five days before that
// day.
func withBatch(base audience, from, to int, withFollowedAt bool) audience {
	return func(rng *rand.Rand, i, n int, followed time.Time) (time.Time, bool) {
		if i < from || i >= to {
			return base(rng, i, n, followed)
		}
		delivered := observed.Add(-2*365*dayDur + time.Duration(float64(2*365*dayDur)*float64(from)/float64(n)))
		return delivered.Add(-time.Duration((1 + 4*rng.Float64()) * float64(dayDur))), withFollowedAt
	}
}

func TestFollowerFingerprint(t *testing.T) {
	young := func(rng *rand.Rand, _, _ int, followed time.Time) (time.Time, bool) {
		// A young audience: every account is new, but created at any time
		// in the year before it followed.
		return followed.Add(-time.Duration(rng.Float64() * float64(365*dayDur))), false
	}
	wave := func(rng *rand.Rand, _, _ int, followed time.Time) (time.Time, bool) {
		// A platform's launch wave: people join and follow within a month.
		return followed.Add(-time.Duration(rng.Float64() * float64(30*dayDur))), false
	}
	aged := func(rng *rand.Rand, i, n int, followed time.Time) (time.Time, bool) {
		// An aged batch: created within days of one another, three years
		// before they followed (followed_at known).
		if i >= 400 && i < 500 {
			return observed.Add(-3*365*dayDur - time.Duration(rng.Float64()*float64(3*dayDur))), true
		}
		return genuine(rng, i, n, followed)
	}
	gapped := followers(3, 1000, withBatch(genuine, 400, 500, false))
	for i := 400; i < 500; i += 7 {
		gapped[i].CreatedAt = features.OptTime{}
	}
	sparse := followers(4, 1000, genuine)
	for i := range sparse {
		if i%50 != 0 { // 20 of 1,000 have a creation date
			sparse[i].CreatedAt = features.OptTime{}
		}
	}

	// A dense launch wave: 1,000 people join a new platform over two
	// months and follow within three weeks of joining. Some stretches of
	// 12 happen to be created within 21 days, but so were their
	// neighbours: not a batch.
	rng := rand.New(rand.NewPCG(6, 6))
	var dense []features.Follower
	launch := observed.Add(-90 * dayDur)
	for i := range 1000 {
		followed := launch.Add(time.Duration(float64(60*dayDur) * float64(i) / 1000))
		created := followed.Add(-time.Duration(rng.Float64() * float64(21*dayDur)))
		dense = append(dense, features.Follower{ID: fmt.Sprint("f", i), CreatedAt: features.SomeTime(created)})
	}

	for _, tc := range []struct {
		name  string
		list  []features.Follower
		runs  [][2]int // Start, End of each run
		value float64  // follower_fingerprint; -1 when not computed
	}{
		{"genuine audience", followers(1, 1000, genuine), nil, 0},
		{"young audience, spread out", followers(1, 1000, young), nil, 0},
		{"launch wave, spread over a month", followers(1, 1000, wave), nil, 0},
		{"bought batch", followers(2, 1000, withBatch(genuine, 400, 500, false)), [][2]int{{400, 500}}, 0.1},
		{"bought batch with followed_at", followers(2, 1000, withBatch(genuine, 400, 500, true)), [][2]int{{400, 500}}, 0.1},
		{"two batches", followers(2, 1000, withBatch(withBatch(genuine, 100, 130, false), 700, 900, false)),
			[][2]int{{100, 130}, {700, 900}}, 0.23},
		{"batch of a whole young list", followers(2, 300, withBatch(genuine, 0, 300, false)), [][2]int{{0, 300}}, 1},
		{"dense launch wave", dense, nil, 0},
		{"aged batch is not a fresh batch", followers(5, 1000, aged), nil, 0},
		{"batch with missing creation dates", gapped, [][2]int{{401, 500}}, 85.0 / 985}, // 400 has none,
		{"too few creation dates", sparse, nil, -1},
		{"no followers", nil, nil, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := &features.History{ObservedAt: observed, Creator: features.Creator{ID: "c", Followers: int64(len(tc.list))},
				Followers: tc.list}
			s := features.Extract(h, nil)
			var runs [][2]int
			for _, r := range s.Fingerprint {
				runs = append(runs, [2]int{r.Start, r.End})
				if r.WindowEnd.Before(r.WindowStart) || r.WindowEnd.Sub(r.WindowStart) > 365*dayDur {
					t.Errorf("run %+v: window is not narrow", r)
				}
			}
			if !reflect.DeepEqual(runs, tc.runs) {
				t.Errorf("runs = %v, want %v", runs, tc.runs)
			}
			v, ok := s.Values[features.FollowerFingerprint]
			switch {
			case tc.value < 0 && ok:
				t.Errorf("follower_fingerprint = %v, want not computed", v)
			case tc.value < 0 && !slices.ContainsFunc(s.Warnings, func(w string) bool { return strings.HasPrefix(w, "follower_fingerprint: ") }):
				t.Errorf("no warning in %q", s.Warnings)
			case tc.value >= 0 && (!ok || diff(v, tc.value) > 1e-12):
				t.Errorf("follower_fingerprint = %v (computed %v), want %v", v, ok, tc.value)
			}
		})
	}
}

func diff(a, b float64) float64 {
	if a > b {
		return a - b
	}
	return b - a
}
