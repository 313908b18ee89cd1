package report_test

import (
	"math"
	"math/rand/v2"
	"time"

	"bonafide/detect"
)

func ptr[T any](v T) *T { return &v }

// date reads a YYYY-MM-DD literal of the sample; a malformed one reads as
// the zero time, which the tests would show as a missing date.
func date(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return t
}

// sampleReport is a realistic report on a micro Instagram creator who
// bought a burst of followers: a daily follower series with one organic
// spike (a viral post) and one bought burst, 2,000 sampled followers of
// which 410 consecutive ones came from one batch of fresh accounts, and a
// comment mix with templates and a pod. The numbers hang together (the
// reasons add up to the score's distance from the baseline) so that the
// page shows what a real run shows.
func sampleReport() detect.Report {
	rng := rand.New(rand.NewPCG(8, 2026))
	r := detect.Report{
		Format:       detect.ReportFormat,
		CreatorID:    "17841400008461234",
		Platform:     "instagram",
		Handle:       "lena.bakes",
		ObservedAt:   "2026-11-20T12:00:00Z",
		Model:        "bonafide-default/2026.11 sha256:3f9a0c1e7b2d",
		InputSHA256:  "9b1c0f6e2a7d4c3b8e5f1a0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b",
		Authenticity: 31.4,
		Verdict:      detect.VerdictInauthentic,
		Baseline:     72,
		Tier:         "micro",
		FakeFollowers: detect.FakeShare{
			Estimate: ptr(0.27), Low: ptr(0.235), High: ptr(0.305),
			Basis: ptr(2000), Method: ptr("random"),
		},
		Signals: map[string]detect.Signal{
			"fake_followers":        {Value: 0.27, Typical: ptr(0.08), Percentile: ptr(93.0), Flag: true},
			"follower_fingerprint":  {Value: 0.205, Typical: ptr(0.01), Percentile: ptr(97.0), Flag: true},
			"growth_spike_share":    {Value: 0.275, Typical: ptr(0.0), Percentile: ptr(96.0), Flag: true},
			"comment_diversity":     {Value: 0.61, Typical: ptr(0.82), Percentile: ptr(9.0), Flag: true},
			"near_duplicate_share":  {Value: 0.18, Typical: ptr(0.05), Percentile: ptr(94.0), Flag: true},
			"comment_entropy":       {Value: 6.1, Typical: ptr(7.4), Percentile: ptr(12.0)},
			"generic_comment_share": {Value: 0.36, Typical: ptr(0.22), Percentile: ptr(81.0)},
			"pod_score":             {Value: 0.42, Typical: ptr(0.05), Percentile: ptr(95.0), Flag: true},
			"reply_reciprocity":     {Value: 0.04, Typical: ptr(0.31), Percentile: ptr(6.0), Flag: true},
			"question_reply_share":  {Value: 0.12, Typical: ptr(0.55), Percentile: ptr(8.0), Flag: true},
			"thread_depth":          {Value: 1.1, Typical: ptr(1.6), Percentile: ptr(20.0)},
			"engagement_rate":       {Value: 0.019, Typical: ptr(0.048), Percentile: ptr(11.0), Flag: true},
			"likes_per_comment":     {Value: 9.5, Typical: ptr(28.0), Percentile: ptr(7.0), Flag: true},
			"views_per_like":        {Value: 14.2, Typical: ptr(11.0), Percentile: ptr(66.0)},
		},
		GrowthSpikes: []detect.Spike{
			{Start: "2026-09-12", End: "2026-09-13", Gained: 2300, Expected: 70, Kind: "organic", ExplainedBy: ptr("C9xQ2mLpTz")},
			{Start: "2026-10-03", End: "2026-10-04", Gained: 4100, Expected: 60, Kind: "suspicious"},
		},
		Reasons: []detect.Reason{
			{Signal: "fake_followers", Impact: -14.2, Text: "About 27% of followers look fake (typical for micro creators: 8%)."},
			{Signal: "growth_spike_share", Impact: -9.8, Text: "4,100 followers arrived on 3–4 Oct 2026 with no post to explain them."},
			{Signal: "follower_fingerprint", Impact: -7.1, Text: "410 consecutive followers have accounts created within 4 days of each other."},
			{Signal: "pod_score", Impact: -4.6, Text: "The same 14 accounts comment on most posts within minutes of posting."},
			{Signal: "reply_reciprocity", Impact: -3.5, Text: "The creator answers 4% of comments (typical: 31%)."},
			{Signal: "engagement_rate", Impact: -2.6, Text: "Engagement is 1.9% of followers per post (typical: 4.8%)."},
			{Signal: "views_per_like", Impact: 1.2, Text: "Views per like are in the normal range for the tier."},
		},
		Warnings: []string{"followers: a random sample of 2,000 followers was given, not the whole list"},
	}

	// Daily follower counts from 1 Aug to 20 Nov 2026: slow organic growth,
	// a viral post on 12 Sep and a bought burst on 3 Oct.
	var series []detect.SeriesPoint
	n := 9800.0
	for t := date("2026-08-01"); !t.After(date("2026-11-20")); t = t.AddDate(0, 0, 1) {
		switch t.Format(time.DateOnly) {
		case "2026-09-13":
			n += 2300
		case "2026-10-04":
			n += 4100
		default:
			n += 14 + rng.NormFloat64()*9
		}
		series = append(series, detect.SeriesPoint{At: t, Followers: int64(math.Round(n))})
	}

	// 2,000 followers, oldest first; 410 of them (indices 1380 to 1789)
	// from one batch of accounts created 28 Sep to 1 Oct 2026.
	const runStart, runEnd = 1380, 1790
	followers := make([]detect.FollowerPoint, 2000)
	oldest, newest := date("2011-03-01"), date("2026-11-15")
	for i := range followers {
		if i >= runStart && i < runEnd {
			created := date("2026-09-28").Add(time.Duration(rng.Float64() * float64(96*time.Hour)))
			followers[i] = detect.FollowerPoint{CreatedAt: created, PFake: 0.72 + 0.27*rng.Float64(), InRun: true}
			continue
		}
		// Real audiences skew to older accounts; a few have no known date.
		u := math.Pow(rng.Float64(), 0.7)
		created := oldest.Add(time.Duration(u * float64(newest.Sub(oldest))))
		if rng.IntN(60) == 0 {
			created = time.Time{}
		}
		p := math.Pow(rng.Float64(), 4) * 0.6
		if rng.IntN(30) == 0 {
			p = 0.5 + 0.5*rng.Float64() // a scattering of lone fakes
		}
		followers[i] = detect.FollowerPoint{CreatedAt: created, PFake: p}
	}

	r.Detail = &detect.Detail{
		Series:    series,
		Followers: followers,
		Runs:      []detect.Run{{Start: runStart, End: runEnd, WindowStart: date("2026-09-28"), WindowEnd: date("2026-10-01")}},
		Comments:  detect.CommentMix{Pod: 97, Duplicate: 188, EmojiOnly: 151, Generic: 236, Genuine: 412},
		Typical:   map[string]float64{"reply_reciprocity": 0.31, "engagement_rate": 0.048},
	}
	return r
}
