package features_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"bonafide/features"
)

// observed is the observation time of every test history.
var observed = time.Date(2026, 11, 24, 6, 0, 0, 0, time.UTC)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func someTime(t time.Time) features.OptTime { return features.SomeTime(t) }

// series returns daily snapshots ending the day before observed, whose
// counts follow gains (followers gained each day), starting at start.
func series(start int64, gains ...int64) []features.SeriesPoint {
	first := observed.Add(-time.Duration(len(gains)+1) * 24 * time.Hour).Truncate(24 * time.Hour)
	out := []features.SeriesPoint{{At: first, Followers: start}}
	n := start
	for i, g := range gains {
		n += g
		out = append(out, features.SeriesPoint{At: first.Add(time.Duration(i+1) * 24 * time.Hour), Followers: n})
	}
	return out
}

// flat returns n copies of g.
func flat(n int, g int64) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = g
	}
	return out
}

// words make genuine comments: random picks rarely repeat a template.
var words = strings.Fields(`the light color jacket recipe kids lens trip Lisbon tutorial eyeliner marca base
crème journée Kamera Videos música fundo obiettivo scatto grading week sister dog twins hike hours skin
oily tried made bought store price size fits shipping summer winter garden coffee morning bread flour
oven minutes batch sugar bike route mountain lake camera settings filter editing app song playlist
concert ticket city street market museum painting brush canvas yarn pattern stitch blanket puppy vet
training leash shelter plant pot soil water sunlight balcony tomato basil harvest seeds`)

// genuineText returns a specific comment of 5 to 10 random words.
func genuineText(rng *rand.Rand) string {
	n := 5 + rng.IntN(6)
	ws := make([]string, n)
	for i := range ws {
		ws[i] = words[rng.IntN(len(words))]
	}
	if rng.IntN(3) == 0 {
		return strings.Join(ws, " ") + "?"
	}
	return strings.Join(ws, " ")
}

// genCreator builds a realistic creator with the given number of
// followers, posts and comments, from a seeded generator: genuine
// followers created over ten years plus one bought batch, daily series
// with one bought spike, posts with likes and views, and comments that mix
// specific texts, generic praise, bot templates and a small pod.
func genCreator(seed uint64, nFollowers, nPosts, nComments int) *features.History {
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	h := &features.History{
		Format:     features.Format,
		Platform:   "instagram",
		ObservedAt: observed,
		Creator: features.Creator{ID: "creator", Handle: "greenleaf.skin",
			Followers: int64(nFollowers), Following: features.SomeInt(612)},
		Sample: features.Sample{Method: features.SampleAll},
	}
	// Followers: genuine ones created any time in ten years, following
	// over the last two; a bought batch of 15% in the middle, created
	// within a few days just before following.
	batchAt := nFollowers / 2
	batch := nFollowers * 15 / 100
	followStart := observed.Add(-2 * 365 * 24 * time.Hour)
	for i := range nFollowers {
		followed := followStart.Add(time.Duration(float64(2*365*24*time.Hour) * float64(i) / float64(nFollowers)))
		created := followed.Add(-time.Duration(rng.Float64() * float64(8*365*24*time.Hour)))
		if i >= batchAt && i < batchAt+batch {
			created = followed.Add(-time.Duration((2 + 3*rng.Float64()) * float64(24*time.Hour)))
		}
		f := features.Follower{ID: fmt.Sprintf("f%05d", i), CreatedAt: someTime(created),
			Followers: features.SomeInt(int64(rng.IntN(2000))), Posts: features.SomeInt(int64(rng.IntN(300)))}
		if rng.IntN(4) == 0 {
			f.FollowedAt = someTime(followed)
		}
		h.Followers = append(h.Followers, f)
	}
	// Series: 90 days of about 30 a day, one bought day of 2,000.
	gains := make([]int64, 90)
	for i := range gains {
		gains[i] = 25 + int64(rng.IntN(11))
	}
	gains[60] = 2000
	h.Series = series(int64(nFollowers)-2900, gains...)
	// Posts, one every two days, and comments spread over them.
	pod := []string{"pod1", "pod2", "pod3", "pod4"}
	for p := range nPosts {
		at := observed.Add(-time.Duration(2*(nPosts-p)) * 24 * time.Hour).Add(17 * time.Hour)
		likes := int64(800 + rng.IntN(400))
		h.Posts = append(h.Posts, features.Post{ID: fmt.Sprintf("p%03d", p), CreatedAt: at,
			Likes: features.SomeInt(likes), Views: features.SomeInt(likes * int64(8+rng.IntN(5))),
			Caption: features.SomeString("Morning routine, part " + fmt.Sprint(p))})
	}
	// The pod: each member comments on most posts within minutes.
	for i := range h.Posts {
		p := &h.Posts[i]
		if nComments == 0 {
			break
		}
		for _, m := range pod {
			if rng.IntN(5) == 0 {
				continue
			}
			p.Comments = append(p.Comments, features.Comment{ID: fmt.Sprintf("pod-%s-%03d", m, i), AuthorID: m,
				Text:      "Amazing as always, keep going " + pod[rng.IntN(len(pod))] + " 🙌",
				CreatedAt: someTime(p.CreatedAt.Add(time.Duration(1+rng.IntN(20)) * time.Minute))})
		}
	}
	for c := range nComments - len(pod)*nPosts*4/5 {
		p := &h.Posts[rng.IntN(nPosts)]
		cm := features.Comment{ID: fmt.Sprintf("c%05d", c), CreatedAt: someTime(p.CreatedAt.Add(time.Duration(rng.IntN(3000)) * time.Minute))}
		switch k := rng.IntN(9); {
		case k < 4:
			cm.AuthorID = fmt.Sprintf("f%05d", rng.IntN(nFollowers))
			cm.Text = genuineText(rng)
		case k < 6:
			cm.AuthorID = fmt.Sprintf("f%05d", rng.IntN(nFollowers))
			cm.Text = []string{"Nice pic!!", "so beautiful 😍", "🔥🔥🔥", "wow", "que linda", "trop belle", "❤️"}[rng.IntN(7)]
		case k < 8:
			cm.AuthorID = fmt.Sprintf("bot%04d", rng.IntN(500))
			cm.Text = []string{"Great content! Check out my page for more", "Love this, DM us to collab 💼"}[rng.IntN(2)] +
				strings.Repeat("!", rng.IntN(3))
		default:
			// The creator answers an earlier comment of the post, if any.
			if len(p.Comments) == 0 {
				cm.AuthorID = "f00001"
				cm.Text = "First!"
				break
			}
			cm.AuthorID = "creator"
			cm.Text = "Thank you, glad you like it"
			cm.ReplyTo = features.SomeString(p.Comments[rng.IntN(len(p.Comments))].ID)
		}
		p.Comments = append(p.Comments, cm)
	}
	for i := range h.Posts {
		h.Posts[i].CommentsCount = features.SomeInt(int64(len(h.Posts[i].Comments)))
	}
	return h
}
