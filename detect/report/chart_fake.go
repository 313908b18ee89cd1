package report

import (
	"fmt"
	"math"
	"strings"

	"bonafide/detect"
)

// fakeBins is the number of histogram bins over [0, 1].
const fakeBins = 20

// fakeChart draws the distribution of the followers' fake probabilities:
// a genuine audience piles up near 0, a bought one has a second hump near 1.
func fakeChart(followers []detect.FollowerPoint, share detect.FakeShare) chart {
	ch := chart{ID: "chart-fake", Heading: "How fake do the followers look?"}
	n := len(followers)
	if n == 0 {
		ch.Missing = "The input had no follower list, so no follower was scored."
		return ch
	}
	var bins [fakeBins]int
	over, scored := 0, 0
	for _, p := range followers {
		v := p.PFake
		if math.IsNaN(v) {
			continue // not scored
		}
		scored++
		v = math.Min(1, math.Max(0, v))
		i := int(v * fakeBins)
		if i == fakeBins {
			i--
		}
		bins[i]++
		if v > 0.5 {
			over++
		}
	}
	top := 0
	for _, b := range bins {
		top = max(top, b)
	}

	if scored == 0 {
		ch.Missing = "No follower could be scored."
		return ch
	}
	var sum strings.Builder
	fmt.Fprintf(&sum, "%s followers scored; %s (%s) look more likely fake than real (probability above 0.5).",
		count(int64(scored)), count(int64(over)), percent(float64(over)/float64(scored)))
	if share.Estimate != nil {
		fmt.Fprintf(&sum, " Corrected for the model's known error rates, the estimated fake share of the whole follower base is %s", percent(*share.Estimate))
		if share.Low != nil && share.High != nil {
			fmt.Fprintf(&sum, " (90%% interval %s to %s)", percent(*share.Low), percent(*share.High))
		}
		sum.WriteString(".")
	}
	ch.Summary = sum.String()

	const h = 260
	f := frame{left: 58, top: 24, right: chartWidth - 16, bottom: h - 44}
	ticks := niceTicks(0, float64(max(top, 1)), 4)
	xs := linear{0, 1, f.left, f.right}
	ys := linear{0, ticks[len(ticks)-1], f.bottom, f.top}
	c := newCanvas(ch.ID, chartWidth, h, "Distribution of the followers' fake probabilities", ch.Summary)
	yAxis(c, f, ys, ticks)

	bw := f.width() / fakeBins
	c.group("bars", "")
	for i, b := range bins {
		if b == 0 {
			continue
		}
		cls := "bar real"
		if float64(i)/fakeBins >= 0.5 {
			cls = "bar fake"
		}
		y := math.Min(ys.at(float64(b)), f.bottom-2) // a lone follower still shows
		c.rect(f.left+float64(i)*bw+1, y, bw-2, f.bottom-y, cls)
	}
	c.end()

	x := xs.at(0.5)
	c.line(x, f.top-6, x, f.bottom, "threshold")
	c.text(x+6, f.top+6, "start", "note", "0.5: more likely fake than real")

	c.group("axis x", "")
	c.line(f.left, f.bottom, f.right, f.bottom, "axis-line")
	for i := 0; i <= 10; i += 2 {
		v := float64(i) / 10
		c.line(xs.at(v), f.bottom, xs.at(v), f.bottom+4, "axis-line")
		c.text(xs.at(v), f.bottom+18, "middle", "tick", fixed(v, 1))
	}
	c.text((f.left+f.right)/2, f.bottom+36, "middle", "axis-title", "Probability that the follower is fake, as the follower model scores it")
	c.end()
	ch.SVG = c.html()
	ch.Legend = []legendItem{
		{"sw-real", "Followers that look real"},
		{"sw-suspicious", "Followers that look fake"},
	}
	return ch
}
