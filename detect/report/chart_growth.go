package report

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"bonafide/detect"
	"bonafide/features"
)

// spikeView is a growth spike with its dates parsed, for the chart and
// the table.
type spikeView struct {
	detect.Spike
	start, end time.Time
	datesOK    bool
}

func (s spikeView) suspicious() bool { return s.Kind == "suspicious" }

// label is the short text drawn over the spike's band.
func (s spikeView) label() string {
	l := signedCount(s.Gained) + " " + s.Kind
	if s.ExplainedBy != nil && *s.ExplainedBy != "" {
		l += ": post " + *s.ExplainedBy
	}
	return l
}

// sentence describes the spike in words.
func (s spikeView) sentence() string {
	when := s.Start + " to " + s.End
	if s.datesOK {
		when = dayRange(s.start, s.end)
	}
	out := fmt.Sprintf("%s followers on %s where about %s were expected", signedCount(s.Gained), when, count(s.Expected))
	switch {
	case s.ExplainedBy != nil && *s.ExplainedBy != "":
		out += ", explained by post " + *s.ExplainedBy
	case s.suspicious():
		out += ", and no post's engagement rose with it"
	case s.Unchecked:
		out += "; it began before the earliest listed post, so no post could be checked against it"
	}
	return out
}

func spikeViews(spikes []detect.Spike) []spikeView {
	out := make([]spikeView, 0, len(spikes))
	for _, s := range spikes {
		v := spikeView{Spike: s}
		a, errA := features.ParseTime(s.Start)
		b, errB := features.ParseTime(s.End)
		if errA == nil && errB == nil {
			if b.Before(a) {
				a, b = b, a
			}
			v.start, v.end, v.datesOK = a, b, true
		}
		out = append(out, v)
	}
	return out
}

// growthChart draws the follower count over time with the spikes shaded:
// red for suspicious, green for organic, each labelled.
func growthChart(series []detect.SeriesPoint, spikes []spikeView) chart {
	ch := chart{ID: "chart-growth", Heading: "Follower count over time"}
	pts := make([]detect.SeriesPoint, 0, len(series))
	for _, p := range series {
		if !p.At.IsZero() {
			pts = append(pts, p)
		}
	}
	slices.SortStableFunc(pts, func(a, b detect.SeriesPoint) int { return a.At.Compare(b.At) })
	if len(pts) < 2 {
		ch.Missing = "The input had fewer than two snapshots of the follower count, so there is no series to draw."
		return ch
	}
	first, last := pts[0], pts[len(pts)-1]
	t0, t1 := first.At, last.At
	lo, hi := float64(first.Followers), float64(first.Followers)
	for _, p := range pts {
		lo = math.Min(lo, float64(p.Followers))
		hi = math.Max(hi, float64(p.Followers))
	}
	ticks := niceTicks(lo-(hi-lo)*0.05, hi+(hi-lo)*0.05, 5)

	var sus, org []string
	for _, s := range spikes {
		if s.suspicious() {
			sus = append(sus, s.sentence())
		} else {
			org = append(org, s.sentence())
		}
	}
	var sum strings.Builder
	fmt.Fprintf(&sum, "Followers went from %s on %s to %s on %s (%s snapshots).",
		count(first.Followers), day(t0), count(last.Followers), day(t1), count(int64(len(pts))))
	switch {
	case len(spikes) == 0:
		sum.WriteString(" No spike stands out from the usual growth.")
	default:
		if len(sus) > 0 {
			fmt.Fprintf(&sum, " Suspicious: %s.", strings.Join(sus, "; "))
		}
		if len(org) > 0 {
			fmt.Fprintf(&sum, " Organic: %s.", strings.Join(org, "; "))
		}
	}
	ch.Summary = sum.String()

	const h = 300
	// Room above the plot for the spike labels, in up to three lanes.
	f := frame{left: 58, top: 50, right: chartWidth - 16, bottom: h - 30}
	if len(spikes) == 0 {
		f.top = 16
	}
	xs := timeScale{t0: t0, t1: t1, r0: f.left, r1: f.right}
	ys := linear{ticks[0], ticks[len(ticks)-1], f.bottom, f.top}
	c := newCanvas(ch.ID, chartWidth, h, "Follower count over time, with growth spikes", ch.Summary)

	// Bands first, under the line.
	type placed struct{ x0, x1 float64 }
	lanes := make([][]placed, 3)
	c.group("spikes", "")
	for i, s := range spikes {
		if !s.datesOK || s.end.Before(t0) || s.start.After(t1) {
			continue
		}
		x0 := math.Max(f.left, xs.at(s.start))
		x1 := math.Min(f.right, xs.at(s.end))
		if x1-x0 < 6 {
			mid := (x0 + x1) / 2
			x0, x1 = mid-3, mid+3
		}
		cls := "band organic"
		if s.suspicious() {
			cls = "band suspicious"
		}
		c.group(cls, fmt.Sprintf("Spike %d: %s", i+1, s.label()))
		c.rect(x0, f.top, x1-x0, f.height(), "band-fill")
		label := s.label()
		w := float64(len([]rune(label)))*7.2 + 8 // bold 12-unit text
		cx := (x0 + x1) / 2
		lx := math.Min(math.Max(cx-w/2, f.left), f.right-w)
		lane := -1
		for li, ps := range lanes {
			free := true
			for _, p := range ps {
				if lx < p.x1+10 && lx+w > p.x0-10 {
					free = false
					break
				}
			}
			if free {
				lane = li
				break
			}
		}
		// With every lane taken the band goes unlabelled; its
		// aria-label, the caption and the spikes table still name it.
		if lane >= 0 {
			lanes[lane] = append(lanes[lane], placed{lx, lx + w})
			ly := f.top - 8 - float64(lane)*15
			c.line(cx, ly+3, cx, f.top, "leader")
			c.text(lx+w/2, ly, "middle", "band-label", label)
		}
		c.end()
	}
	c.end()

	yAxis(c, f, ys, ticks)
	xTimeAxis(c, f, xs)

	var line, area pathBuilder
	for i, p := range pts {
		x, y := xs.at(p.At), ys.at(float64(p.Followers))
		if i == 0 {
			line.move(x, y)
			area.move(x, f.bottom)
		} else {
			line.lineTo(x, y)
		}
		area.lineTo(x, y)
	}
	area.lineTo(xs.at(t1), f.bottom)
	area.close()
	c.path(area.String(), "area")
	c.path(line.String(), "series")
	if len(pts) <= 90 {
		var dots pathBuilder
		for _, p := range pts {
			dots.dot(xs.at(p.At), ys.at(float64(p.Followers)))
		}
		c.path(dots.String(), "series-dots")
	}
	ch.SVG = c.html()
	ch.Legend = []legendItem{
		{"sw-series", "Follower count"},
		{"sw-suspicious", "Suspicious spike (nothing explains it)"},
		{"sw-organic", "Organic spike (a post or giveaway explains it)"},
	}
	return ch
}
