package features_test

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"bonafide/features"
)

// withSpike returns 40 days of steady gains (about 80 a day) with a gain
// of spike on day 30.
func withSpike(spike int64) []int64 {
	g := make([]int64, 40)
	for i := range g {
		g[i] = 75 + int64(i%5)*3
	}
	g[30] = spike
	return g
}

// spikeDay is the snapshot at the start of day 30 of withSpike.
func spikeDay(s []features.SeriesPoint) time.Time { return s[30].At }

func post(id string, at time.Time, likes int64) features.Post {
	return features.Post{ID: id, CreatedAt: at, Likes: features.SomeInt(likes), CommentsCount: features.SomeInt(20)}
}

// ordinaryPosts returns posts every 4 days over the series with about
// 1,000 likes each.
func ordinaryPosts(s []features.SeriesPoint) []features.Post {
	var ps []features.Post
	for i := 0; i < len(s); i += 4 {
		ps = append(ps, post("p"+s[i].At.Format("0102"), s[i].At.Add(17*time.Hour), 950+int64(i*7%100)))
	}
	return ps
}

func TestGrowthSpikes(t *testing.T) {
	spiky := series(20000, withSpike(4100)...)
	at := spikeDay(spiky)
	giveaway := post("give", at.Add(-36*time.Hour), 1100)
	giveaway.Caption = features.SomeString("GIVEAWAY 🎁 follow us and tag two friends!")
	tagged := post("tagged", at.Add(-20*time.Hour), 1000)
	for i, text := range []string{"@friend1 @friend2", "@ana good luck 🤞", "@bea @carl", "participando @dani", "@eve 🙏🙏",
		"where is this?", "@fred @gina", "@hugo fingers crossed", "love the colours in this one"} {
		tagged.Comments = append(tagged.Comments, features.Comment{ID: fmt.Sprint("t", i), AuthorID: fmt.Sprint("u", i), Text: text})
	}
	viral := post("viral", at.Add(-12*time.Hour), 90000)
	bigSpike := series(20000, withSpike(20000)...)
	smallViral := post("smallviral", spikeDay(bigSpike).Add(-12*time.Hour), 3500) // stands out, but 2,500 extra likes cannot bring 20,000 followers
	// A creator whose likes vary tenfold from post to post: a post at 3.5
	// times the median is not an outlier for it.
	var uneven []features.Post
	for i := 0; i < len(spiky); i += 2 {
		uneven = append(uneven, post(fmt.Sprint("u", i), spiky[i].At.Add(17*time.Hour), []int64{300, 1000, 3000}[i%3]))
	}
	unevenViral := post("uneven", at.Add(-12*time.Hour), 3500)
	tooEarly := post("early", at.Add(-5*24*time.Hour), 90000)

	// Irregular spacing: every third snapshot missing, same daily rate.
	var gappy []features.SeriesPoint
	for i, p := range series(20000, flat(40, 80)...) {
		if i%3 != 1 {
			gappy = append(gappy, p)
		}
	}
	// A bought day inside a gap of two days (day 29 gained 87).
	var gappySpike []features.SeriesPoint
	for i, p := range spiky {
		if i != 30 && i != 20 && i != 10 {
			gappySpike = append(gappySpike, p)
		}
	}
	// A slow accelerating trend: 50 a day growing to 200 a day.
	trend := make([]int64, 60)
	for i := range trend {
		trend[i] = 50 + int64(i)*150/59
	}
	// A drop (a purge or a glitch) and the recovery after it.
	dip := flat(40, 80)
	dip[20], dip[21] = -3000, 3080

	for _, tc := range []struct {
		name     string
		series   []features.SeriesPoint
		posts    []features.Post
		want     []features.Spike // Start, End, Gained, Kind, ExplainedBy, Giveaway compared
		share    float64          // growth_spike_share, with 25,000 followers today
		computed bool
	}{
		{"steady growth has no spike", series(20000, flat(40, 80)...), nil, nil, 0, true},
		{"bought day is suspicious", spiky, ordinaryPosts(spiky),
			[]features.Spike{{Gained: 4100, Kind: features.SpikeSuspicious}}, 0, true},
		{"viral post explains it", spiky, append(ordinaryPosts(spiky), viral),
			[]features.Spike{{Gained: 4100, Kind: features.SpikeOrganic, ExplainedBy: "viral"}}, 0, true},
		{"a post that stands out too little does not", bigSpike, append(ordinaryPosts(bigSpike), smallViral),
			[]features.Spike{{Gained: 20000, Kind: features.SpikeSuspicious}}, 0, true},
		{"nor does a post that is usual for an uneven creator", spiky, append(uneven, unevenViral),
			[]features.Spike{{Gained: 4100, Kind: features.SpikeSuspicious}}, 0, true},
		{"viral post too early does not", spiky, append(ordinaryPosts(spiky), tooEarly),
			[]features.Spike{{Gained: 4100, Kind: features.SpikeSuspicious}}, 0, true},
		{"giveaway caption", spiky, append(ordinaryPosts(spiky), giveaway),
			[]features.Spike{{Gained: 4100, Kind: features.SpikeOrganic, ExplainedBy: "give", Giveaway: true}}, 0, true},
		{"giveaway by tagging comments", spiky, append(ordinaryPosts(spiky), tagged),
			[]features.Spike{{Gained: 4100, Kind: features.SpikeOrganic, ExplainedBy: "tagged", Giveaway: true}}, 0, true},
		{"missing days are not spikes", gappy, nil, nil, 0, true},
		{"bought day inside a gap", gappySpike, nil,
			[]features.Spike{{Gained: 4100 + 87, Kind: features.SpikeSuspicious}}, 0, true},
		{"slow trend has no spike", series(20000, trend...), nil, nil, 0, true},
		{"recovery after a drop is not a spike", series(20000, dip...), nil, nil, 0, true},
		{"two-day burst is one spike", series(20000, append(flat(30, 80), 2000, 2500, 80, 80, 80, 80, 80, 80)...), nil,
			[]features.Spike{{Gained: 4500, Kind: features.SpikeSuspicious}}, 0, true},
		{"too short a series", series(20000, 80, 80, 5000, 80), nil, nil, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The posts listed are all the creator published.
			h := &features.History{ObservedAt: observed, Creator: features.Creator{ID: "c", Followers: 25000, Posts: features.SomeInt(int64(len(tc.posts)))},
				Series: tc.series, Posts: tc.posts}
			s := features.Extract(h, nil)
			var got []features.Spike
			var suspicious int64
			for _, sp := range s.Spikes {
				if sp.Kind == features.SpikeSuspicious {
					suspicious += sp.Gained - sp.Expected
				}
				if sp.Expected < 0 || sp.Expected > 400 {
					t.Errorf("spike %+v: expected %d, want the norm of about 80 a day", sp, sp.Expected)
				}
				got = append(got, features.Spike{Gained: sp.Gained, Kind: sp.Kind, ExplainedBy: sp.ExplainedBy, Giveaway: sp.Giveaway})
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("spikes = %+v, want %+v", got, tc.want)
			}
			v, ok := s.Values[features.GrowthSpikeShare]
			if ok != tc.computed {
				t.Fatalf("growth_spike_share computed = %v, want %v (warnings %q)", ok, tc.computed, s.Warnings)
			}
			if want := float64(suspicious) / 25000; ok && v != want {
				t.Errorf("growth_spike_share = %v, want %v", v, want)
			}
			if !ok && !slices.ContainsFunc(s.Warnings, func(w string) bool { return strings.HasPrefix(w, "growth_spike_share: ") }) {
				t.Errorf("no warning for growth_spike_share in %q", s.Warnings)
			}
		})
	}
}

func TestGrowthSpikeBoundsAndShare(t *testing.T) {
	s := series(20000, withSpike(4100)...)
	h := &features.History{ObservedAt: observed, Creator: features.Creator{ID: "c", Followers: 25000, Posts: features.SomeInt(0)}, Series: s}
	got := features.Extract(h, nil)
	if len(got.Spikes) != 1 {
		t.Fatalf("spikes = %+v", got.Spikes)
	}
	sp := got.Spikes[0]
	if !sp.Start.Equal(s[30].At) || !sp.End.Equal(s[31].At) {
		t.Errorf("spike from %v to %v, want %v to %v", sp.Start, sp.End, s[30].At, s[31].At)
	}
	if sp.Expected < 75 || sp.Expected > 87 {
		t.Errorf("expected %d, want the median day (75 to 87)", sp.Expected)
	}
	if want := float64(4100-sp.Expected) / 25000; got.Values[features.GrowthSpikeShare] != want {
		t.Errorf("share = %v, want %v", got.Values[features.GrowthSpikeShare], want)
	}
}

// TestGrowthSpikeBeforeListedPosts checks that a spike no listed post can
// be checked against (it began before the earliest post of a list that
// may be partial) is not called suspicious, and says so, while a spike the
// posts cover still is.
func TestGrowthSpikeBeforeListedPosts(t *testing.T) {
	s := series(20000, withSpike(4100)...)
	at := spikeDay(s)
	var after []features.Post // ordinary posts from 5 days after the spike
	for _, p := range ordinaryPosts(s) {
		if p.CreatedAt.After(at.Add(5 * 24 * time.Hour)) {
			after = append(after, p)
		}
	}
	for _, tc := range []struct {
		name      string
		posts     []features.Post
		total     features.OptInt
		unchecked bool
	}{
		{"recent posts only, count unknown", after, features.OptInt{}, true},
		{"recent posts only, more published", after, features.SomeInt(int64(len(after) + 40)), true},
		{"every post listed", after, features.SomeInt(int64(len(after))), false},
		{"no post listed, count unknown", nil, features.OptInt{}, true},
		{"no post published", nil, features.SomeInt(0), false},
		{"posts listed from before the spike", ordinaryPosts(s), features.OptInt{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := &features.History{ObservedAt: observed, Creator: features.Creator{ID: "c", Followers: 25000, Posts: tc.total},
				Series: s, Posts: tc.posts}
			got := features.Extract(h, nil)
			if len(got.Spikes) != 1 {
				t.Fatalf("spikes = %+v, want the one on day 30", got.Spikes)
			}
			sp := got.Spikes[0]
			warned := slices.ContainsFunc(got.Warnings, func(w string) bool {
				return strings.HasPrefix(w, "growth_spike_share: ") && strings.Contains(w, "before the earliest listed post")
			})
			share := got.Values[features.GrowthSpikeShare]
			if tc.unchecked {
				if sp.Kind != features.SpikeOrganic || !sp.Unchecked || sp.ExplainedBy != "" || share != 0 || !warned {
					t.Errorf("spike %+v, share %v, warned %v: want unchecked, not suspicious, share 0, a warning", sp, share, warned)
				}
				return
			}
			if sp.Kind != features.SpikeSuspicious || sp.Unchecked || share == 0 || warned {
				t.Errorf("spike %+v, share %v, warned %v: want suspicious, counted, no warning", sp, share, warned)
			}
		})
	}
}

// TestGrowthSlowAndSmooth checks the multi-day test: a burst spread over
// five days, none of which would stand out alone, is found whole; a
// viral post's spike decaying over days is one organic spike; a change
// of trend, sudden or smooth, is no spike.
func TestGrowthSlowAndSmooth(t *testing.T) {
	slow := withSpike(80)
	for d := 25; d < 30; d++ {
		slow[d] = 140 // 1.75 times the norm each day: 300 extra in all
	}
	viral := withSpike(80)
	for d, g := range []int64{2400, 1100, 500, 300} {
		viral[25+d] = g
	}
	step := append(flat(30, 80), flat(30, 160)...)
	ramp := append(flat(30, 80), 100, 120, 140)
	ramp = append(ramp, flat(30, 160)...)
	down := append(flat(30, 160), flat(30, 80)...)
	for _, tc := range []struct {
		name  string
		gains []int64
		viral bool // a viral post on day 25
		want  []features.Spike
		days  [2]int // the first spike's start and end snapshots
	}{
		{"slow five-day burst", slow, false, []features.Spike{{Gained: 5 * 140, Kind: features.SpikeSuspicious}}, [2]int{25, 30}},
		{"viral spike decaying over four days", viral, true,
			[]features.Spike{{Gained: 2400 + 1100 + 500 + 300, Kind: features.SpikeOrganic, ExplainedBy: "viral"}}, [2]int{25, 29}},
		{"the same rise without a post", viral, false, []features.Spike{{Gained: 2400 + 1100 + 500 + 300, Kind: features.SpikeSuspicious}}, [2]int{25, 29}},
		{"rate doubles for good", step, false, nil, [2]int{}},
		{"rate doubles over three days", ramp, false, nil, [2]int{}},
		{"rate halves", down, false, nil, [2]int{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := series(20000, tc.gains...)
			posts := ordinaryPosts(s)
			if tc.viral {
				posts = append(posts, post("viral", s[25].At.Add(2*time.Hour), 90000))
			}
			h := &features.History{ObservedAt: observed, Creator: features.Creator{ID: "c", Followers: 30000}, Series: s, Posts: posts}
			got := features.Extract(h, nil)
			var short []features.Spike
			for _, sp := range got.Spikes {
				short = append(short, features.Spike{Gained: sp.Gained, Kind: sp.Kind, ExplainedBy: sp.ExplainedBy})
			}
			if !reflect.DeepEqual(short, tc.want) {
				t.Fatalf("spikes = %+v, want %+v", got.Spikes, tc.want)
			}
			if len(tc.want) == 0 {
				return
			}
			sp := got.Spikes[0]
			if !sp.Start.Equal(s[tc.days[0]].At) || !sp.End.Equal(s[tc.days[1]].At) {
				t.Errorf("spike from %v to %v, want %v to %v", sp.Start, sp.End, s[tc.days[0]].At, s[tc.days[1]].At)
			}
			if d := int64(tc.days[1] - tc.days[0]); sp.Expected < 75*d || sp.Expected > 87*d {
				t.Errorf("expected %d, want the norm of 75 to 87 a day over %d days", sp.Expected, d)
			}
		})
	}
}

// audienceWithBatch returns listed followers of a 40-day series: ten a
// day whose accounts were created over six years, plus, if batch > 0,
// batch followers on days 30 to 32 whose accounts were all created
// within ten days, two months before.
func audienceWithBatch(s []features.SeriesPoint, batch int) []features.Follower {
	var fs []features.Follower
	add := func(followed, created time.Time) {
		fs = append(fs, features.Follower{ID: fmt.Sprint("f", len(fs)), FollowedAt: someTime(followed), CreatedAt: someTime(created)})
	}
	for d := 0; d+1 < len(s); d++ {
		for k := range 10 {
			at := s[d].At.Add(time.Duration(k*2+1) * time.Hour)
			add(at, at.Add(-time.Duration(30+(d*10+k)*379%2200)*24*time.Hour))
		}
		if d >= 30 && d < 33 {
			for k := range batch / 3 {
				at := s[d].At.Add(time.Duration(3+k%12) * time.Hour)
				add(at, s[30].At.Add(-time.Duration(60*24+k*7)*time.Hour))
			}
		}
	}
	slices.SortStableFunc(fs, func(a, b features.Follower) int { return a.FollowedAt.V.Compare(b.FollowedAt.V) })
	return fs
}

// TestGrowthFollowerBatches checks the follower list's evidence: a bought
// batch is a suspicious spike even when the count barely shows it (but
// not when the count shows nothing more than usual) or a viral post came
// with it, and a spike whose listed followers look like the
// rest of the audience may be explained by a post that stands out less.
func TestGrowthFollowerBatches(t *testing.T) {
	flatS := series(20000, flat(40, 80)...)
	// 75 more than usual over days 30 to 32: 4 deviations, not material.
	bump := series(20000, append(append(flat(30, 80), 105, 105, 105), flat(7, 80)...)...)
	spiky := series(20000, append(append(flat(30, 80), 1500, 1500, 1500), flat(7, 80)...)...)
	// Posts whose likes vary (median 1,000, a robust spread of about 0.53
	// in log): 3,500 likes is 3.5 times the median but only 2.4 robust
	// deviations above it in log (3 are needed, 2 when the follower list
	// vouches for the spike).
	var varied []features.Post
	for i := 0; i < len(spiky); i += 2 {
		varied = append(varied, post(fmt.Sprint("v", i), spiky[i].At.Add(17*time.Hour), []int64{500, 1000, 2000, 700, 1400}[i/2%5]))
	}
	for _, tc := range []struct {
		name      string
		series    []features.SeriesPoint
		batch     int
		posts     []features.Post
		want      []features.Spike
		startDay  int
		endBefore int
	}{
		{"a batch the count barely shows", bump, 60, nil, []features.Spike{{Gained: 315, Kind: features.SpikeSuspicious}}, 30, 34},
		{"the same rise without a batch", bump, 0, nil, nil, 0, 0},
		{"a batch at the usual pace (a drip) is no spike", flatS, 60, nil, nil, 0, 0},
		{"no batch, no spike", flatS, 0, nil, nil, 0, 0},
		{"a batch beside a viral post", spiky, 60, append(slices.Clone(varied), post("viral", spiky[30].At.Add(time.Hour), 90000)),
			[]features.Spike{{Gained: 4500, Kind: features.SpikeSuspicious}}, 30, 34},
		{"a post that stands out less, followers vouched for", spiky, 0, append(slices.Clone(varied), post("good", spiky[30].At.Add(time.Hour), 3500)),
			[]features.Spike{{Gained: 4500, Kind: features.SpikeOrganic, ExplainedBy: "good"}}, 30, 34},
		{"the same post without a follower list", spiky, -1, append(slices.Clone(varied), post("good", spiky[30].At.Add(time.Hour), 3500)),
			[]features.Spike{{Gained: 4500, Kind: features.SpikeSuspicious}}, 30, 34},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := &features.History{ObservedAt: observed, Creator: features.Creator{ID: "c", Followers: 30000},
				Series: tc.series, Posts: tc.posts}
			if tc.batch >= 0 {
				h.Followers = audienceWithBatch(tc.series, tc.batch)
			}
			got := features.Extract(h, nil)
			var short []features.Spike
			for _, sp := range got.Spikes {
				s := features.Spike{Kind: sp.Kind, ExplainedBy: sp.ExplainedBy}
				if tc.series[len(tc.series)-1].Followers != tc.series[0].Followers+40*80 {
					s.Gained = sp.Gained
				}
				short = append(short, s)
			}
			if !reflect.DeepEqual(short, tc.want) {
				t.Fatalf("spikes = %+v, want %+v", got.Spikes, tc.want)
			}
			if len(tc.want) == 0 {
				return
			}
			sp := got.Spikes[0]
			if sp.Start.Before(tc.series[tc.startDay].At) || sp.End.After(tc.series[tc.endBefore].At) {
				t.Errorf("spike from %v to %v, want within %v to %v", sp.Start, sp.End, tc.series[tc.startDay].At, tc.series[tc.endBefore].At)
			}
		})
	}
}
