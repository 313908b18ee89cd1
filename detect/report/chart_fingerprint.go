package report

import (
	"fmt"
	"math"
	"strings"
	"time"

	"bonafide/detect"
)

// fingerprintChart draws each follower's account creation date against
// its place in the follow order. A bought batch shows as a vertical
// stripe: many consecutive followers whose accounts were all made in the
// same few days. The runs the signal found are shaded and drawn in red.
func fingerprintChart(followers []detect.FollowerPoint, runs []detect.Run) chart {
	ch := chart{ID: "chart-fingerprint", Heading: "Follower fingerprint"}
	n := len(followers)
	var t0, t1 time.Time
	ok := false
	unknown, inRun := 0, 0
	for _, p := range followers {
		if p.InRun {
			inRun++
		}
		if p.CreatedAt.IsZero() {
			unknown++
			continue
		}
		t0, t1, _ = span(t0, t1, p.CreatedAt)
		ok = true
	}
	if n == 0 || !ok {
		ch.Missing = "The input had no followers with a known account creation date, so there is no fingerprint to draw."
		if n == 0 {
			ch.Missing = "The input had no follower list, so there is no fingerprint to draw."
		}
		return ch
	}

	var sum strings.Builder
	fmt.Fprintf(&sum, "%s followers in the order they followed, oldest first, against the date each account was created.", count(int64(n)))
	if len(runs) == 0 {
		sum.WriteString(" No run of accounts created together stands out: creation dates are spread as in a genuine audience.")
	} else {
		fmt.Fprintf(&sum, " %s of them (%s) sit in %d %s of accounts created together shortly before following:",
			count(int64(inRun)), percent(float64(inRun)/float64(n)), len(runs), plural(len(runs), "run", "runs"))
		for i, r := range runs {
			if i > 0 {
				sum.WriteString(";")
			}
			fmt.Fprintf(&sum, " followers %s to %s, accounts created %s", count(int64(r.Start+1)), count(int64(r.End)), dayRange(r.WindowStart, r.WindowEnd))
		}
		sum.WriteString(".")
	}
	if unknown > 0 {
		fmt.Fprintf(&sum, " %s followers have no known creation date and are not drawn.", count(int64(unknown)))
	}
	ch.Summary = sum.String()

	// Pad the date range so points do not sit on the frame.
	pad := t1.Sub(t0) / 20
	if pad < 24*time.Hour {
		pad = 24 * time.Hour
	}
	t0, t1 = t0.Add(-pad), t1.Add(pad)

	const h = 320
	f := frame{left: 70, top: 30, right: chartWidth - 16, bottom: h - 40}
	xs := linear{0, math.Max(1, float64(n-1)), f.left, f.right}
	ys := timeScale{t0: t0, t1: t1, r0: f.bottom, r1: f.top}
	c := newCanvas(ch.ID, chartWidth, h, "Follower fingerprint: follow order against account creation date", ch.Summary)

	c.group("runs", "")
	for i, r := range runs {
		r.Start, r.End = max(0, min(r.Start, n)), max(0, min(r.End, n))
		if r.End <= r.Start {
			continue
		}
		x0, x1 := xs.at(float64(r.Start)), xs.at(float64(r.End-1))
		if x1-x0 < 4 {
			mid := (x0 + x1) / 2
			x0, x1 = mid-2, mid+2
		}
		label := fmt.Sprintf("Run %d: %s accounts", i+1, count(int64(r.End-r.Start)))
		c.group("run", label)
		c.rect(x0, f.top, x1-x0, f.height(), "run-col")
		if !r.WindowStart.IsZero() && !r.WindowEnd.IsZero() {
			y0, y1 := ys.at(r.WindowEnd), ys.at(r.WindowStart)
			if y1-y0 < 4 {
				mid := (y0 + y1) / 2
				y0, y1 = mid-2, mid+2
			}
			c.rect(x0-2, y0-2, x1-x0+4, y1-y0+4, "run-window")
		}
		c.text(math.Min(x1, f.right-4), f.top-8, "end", "run-label", label)
		c.end()
	}
	c.end()

	// Y axis: creation dates.
	ticks, layout := timeTicks(t0, t1, 6)
	c.group("axis y", "")
	c.text(f.left, f.top-10, "start", "axis-title", "Account created")
	for _, t := range ticks {
		if t.Before(t0) || t.After(t1) {
			continue
		}
		y := ys.at(t)
		c.line(f.left, y, f.right, y, "grid")
		c.text(f.left-6, y+4, "end", "tick", t.Format(layout))
	}
	c.end()
	// X axis: follow order.
	c.group("axis x", "")
	c.line(f.left, f.bottom, f.right, f.bottom, "axis-line")
	for _, v := range niceTicks(1, float64(n), 6) {
		if v < 1 || v > float64(n) {
			continue
		}
		x := xs.at(v - 1)
		c.line(x, f.bottom, x, f.bottom+4, "axis-line")
		c.text(x, f.bottom+18, edgeAnchor(f, x), "tick", count(int64(v)))
	}
	c.text((f.left+f.right)/2, f.bottom+34, "middle", "axis-title", "Follow order (oldest follower left, newest right)")
	c.end()

	// Points: at most one dot per grid cell (1 unit, or 2 past 20,000
	// followers), so a million followers draw as a bounded number of dots.
	cell := 1.0
	if n > 20_000 {
		cell = 2
	}
	// seen marks the cells already drawn, plain and bought apart; the
	// plot is small, so a flat grid beats a map by far.
	cols := int(chartWidth/cell) + 2
	rows := int(h/cell) + 2
	seen := make([]bool, 2*cols*rows)
	plain, bought := &dotPath{}, &dotPath{}
	for i, p := range followers {
		if p.CreatedAt.IsZero() {
			continue
		}
		cx := max(0, min(cols-1, int(math.Round(xs.at(float64(i))/cell))))
		cy := max(0, min(rows-1, int(math.Round(ys.at(p.CreatedAt)/cell))))
		k := cy*cols + cx
		if p.InRun {
			k += cols * rows
		}
		if seen[k] {
			continue
		}
		seen[k] = true
		x, y := int(float64(cx)*cell), int(float64(cy)*cell)
		if p.InRun {
			bought.dot(x, y)
		} else {
			plain.dot(x, y)
		}
	}
	c.path(plain.String(), "dots plain")
	c.path(bought.String(), "dots bought")
	ch.SVG = c.html()
	ch.Legend = []legendItem{
		{"sw-plain", "Follower"},
		{"sw-suspicious", "Follower in a run of accounts created together (a bought batch)"},
	}
	return ch
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// dotPath draws dots on whole units as one path of relative moves, a few
// bytes per dot.
type dotPath struct {
	b      strings.Builder
	x, y   int
	nonNil bool
}

func (p *dotPath) dot(x, y int) {
	if !p.nonNil {
		fmt.Fprintf(&p.b, "M%d %dh0", x, y)
		p.nonNil = true
	} else {
		fmt.Fprintf(&p.b, "m%d %dh0", x-p.x, y-p.y)
	}
	p.x, p.y = x, y
}

func (p *dotPath) String() string { return p.b.String() }
