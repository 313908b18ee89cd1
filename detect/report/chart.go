package report

import (
	"html/template"
	"math"
	"time"
)

// chart is one figure of the page: an SVG with its heading and a text
// alternative, or a note saying why it could not be drawn.
type chart struct {
	ID      string
	Heading string
	// Summary is the text alternative shown under the chart (and the
	// SVG's desc): what a reader should take from it, in words.
	Summary string
	SVG     template.HTML
	// Missing, when not empty, replaces the chart: why it is not drawn.
	Missing string
	// Legend lists the colour keys shown under the chart.
	Legend []legendItem
}

// legendItem is one key of a chart's legend.
type legendItem struct {
	Class string // swatch class, as in the stylesheet
	Label string
}

// frame is the plotting area inside a canvas.
type frame struct {
	left, top, right, bottom float64
}

func (f frame) width() float64  { return f.right - f.left }
func (f frame) height() float64 { return f.bottom - f.top }

// Chart width in SVG user units; the page scales it to the column.
const chartWidth = 760

// yAxis draws horizontal grid lines and labels for ticks on a linear scale.
func yAxis(c *canvas, f frame, s linear, ticks []float64) {
	labels := tickLabels(ticks)
	c.group("axis y", "")
	for i, v := range ticks {
		y := s.at(v)
		c.line(f.left, y, f.right, y, "grid")
		c.text(f.left-6, y+4, "end", "tick", labels[i])
	}
	c.end()
}

// tickLabels formats evenly spaced ticks compactly ("1.95M", "12k") with
// just enough decimals that neighbouring labels differ.
func tickLabels(ticks []float64) []string {
	top := 0.0
	for _, v := range ticks {
		top = math.Max(top, math.Abs(v))
	}
	unit, suffix := 1.0, ""
	switch {
	case top >= 1e6:
		unit, suffix = 1e6, "M"
	case top >= 1e4:
		unit, suffix = 1e3, "k"
	}
	step := 0.0
	if len(ticks) > 1 {
		step = math.Abs(ticks[1] - ticks[0])
	}
	if step > 0 && step < unit/100 {
		// Fine steps on a large count: 9,999, 10,000, 10,001 read better
		// than 9.999k, 10k, 10.001k.
		unit, suffix = 1, ""
	}
	decimals := 0
	if len(ticks) > 1 {
		step := step / unit
		if step > 0 && step < 1 {
			decimals = min(6, int(math.Ceil(-math.Log10(step)-1e-9)))
			// A step of 0.25 needs two decimals, not one.
			if r := step * math.Pow(10, float64(decimals)); math.Abs(r-math.Round(r)) > 1e-6 {
				decimals++
			}
		}
	}
	out := make([]string, len(ticks))
	for i, v := range ticks {
		switch {
		case v == 0:
			out[i] = "0"
		case unit == 1 && decimals == 0 && math.Abs(v) < 1e15:
			out[i] = count(int64(math.Round(v)))
		default:
			out[i] = fixed(v/unit, decimals) + suffix
		}
	}
	return out
}

// xTimeAxis draws the bottom axis of a time scale.
func xTimeAxis(c *canvas, f frame, s timeScale) {
	ticks, layout := timeTicks(s.t0, s.t1, 6)
	c.group("axis x", "")
	c.line(f.left, f.bottom, f.right, f.bottom, "axis-line")
	for _, t := range ticks {
		if t.Before(s.t0) || t.After(s.t1) {
			continue
		}
		x := s.at(t)
		c.line(x, f.bottom, x, f.bottom+4, "axis-line")
		c.text(x, f.bottom+18, edgeAnchor(f, x), "tick", t.Format(layout))
	}
	c.end()
}

// edgeAnchor anchors a label under x so that it stays inside the chart:
// centred, except near the frame's ends.
func edgeAnchor(f frame, x float64) string {
	switch {
	case x > f.right-28:
		return "end"
	case x < f.left+28 && f.left < 40:
		return "start"
	}
	return "middle"
}

// span returns the earliest and latest of ts, ignoring zero times.
func span(ts ...time.Time) (lo, hi time.Time, ok bool) {
	for _, t := range ts {
		if t.IsZero() {
			continue
		}
		if !ok || t.Before(lo) {
			lo = t
		}
		if !ok || t.After(hi) {
			hi = t
		}
		ok = true
	}
	return lo, hi, ok
}
