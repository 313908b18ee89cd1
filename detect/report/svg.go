package report

import (
	"html/template"
	"math"
	"strconv"
	"strings"
	"time"
)

// canvas builds one inline SVG chart. Every string that reaches the output
// goes through template.HTMLEscapeString, so text from the input (handles,
// post ids) cannot break out of the markup. Styling is by class: the page's
// stylesheet gives the classes their colours, so a chart follows @media print.
type canvas struct {
	b    strings.Builder
	w, h float64
}

// newCanvas opens an SVG of w by h user units with an accessible name
// (title) and description (desc); id must be unique within the page.
func newCanvas(id string, w, h float64, title, desc string) *canvas {
	c := &canvas{w: w, h: h}
	c.raw(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" id="`)
	c.esc(id)
	c.raw(`" viewBox="0 0 `)
	c.num(w)
	c.raw(" ")
	c.num(h)
	c.raw(`" aria-labelledby="`)
	c.esc(id + "-title")
	c.raw(`" aria-describedby="`)
	c.esc(id + "-desc")
	c.raw(`"><title id="`)
	c.esc(id + "-title")
	c.raw(`">`)
	c.esc(title)
	c.raw(`</title><desc id="`)
	c.esc(id + "-desc")
	c.raw(`">`)
	c.esc(desc)
	c.raw("</desc>\n")
	return c
}

func (c *canvas) raw(s string) { c.b.WriteString(s) }
func (c *canvas) esc(s string) { c.b.WriteString(template.HTMLEscapeString(s)) }
func (c *canvas) num(v float64) {
	c.b.WriteString(coord(v))
}

// attr writes ` name="value"` with the value escaped.
func (c *canvas) attr(name, value string) {
	c.raw(" " + name + `="`)
	c.esc(value)
	c.raw(`"`)
}

func (c *canvas) numAttr(name string, v float64) {
	c.raw(" " + name + `="`)
	c.num(v)
	c.raw(`"`)
}

// rect draws a rectangle; a negative width or height is normalised.
func (c *canvas) rect(x, y, w, h float64, class string) {
	if w < 0 {
		x, w = x+w, -w
	}
	if h < 0 {
		y, h = y+h, -h
	}
	c.raw("<rect")
	c.numAttr("x", x)
	c.numAttr("y", y)
	c.numAttr("width", w)
	c.numAttr("height", h)
	c.attr("class", class)
	c.raw("/>\n")
}

func (c *canvas) line(x1, y1, x2, y2 float64, class string) {
	c.raw("<line")
	c.numAttr("x1", x1)
	c.numAttr("y1", y1)
	c.numAttr("x2", x2)
	c.numAttr("y2", y2)
	c.attr("class", class)
	c.raw("/>\n")
}

func (c *canvas) path(d, class string) {
	if d == "" {
		return
	}
	c.raw("<path")
	c.attr("d", d)
	c.attr("class", class)
	c.raw("/>\n")
}

// text writes a label; anchor is "start", "middle" or "end".
func (c *canvas) text(x, y float64, anchor, class, s string) {
	c.raw("<text")
	c.numAttr("x", x)
	c.numAttr("y", y)
	if anchor != "" && anchor != "start" {
		c.attr("text-anchor", anchor)
	}
	if class != "" {
		c.attr("class", class)
	}
	c.raw(">")
	c.esc(s)
	c.raw("</text>\n")
}

// group opens a <g> with a class and an optional accessible label; close
// it with end.
func (c *canvas) group(class, label string) {
	c.raw("<g")
	if class != "" {
		c.attr("class", class)
	}
	if label != "" {
		c.attr("aria-label", label)
	}
	c.raw(">\n")
}

func (c *canvas) end() { c.raw("</g>\n") }

// html closes the SVG and returns it for the page template. The content is
// safe: every string in it was escaped on the way in.
func (c *canvas) html() template.HTML {
	c.raw("</svg>")
	return template.HTML(c.b.String()) // #nosec: built from escaped parts only
}

// pathBuilder accumulates path data.
type pathBuilder struct{ b strings.Builder }

func (p *pathBuilder) move(x, y float64) {
	p.b.WriteString("M")
	p.b.WriteString(coord(x))
	p.b.WriteString(" ")
	p.b.WriteString(coord(y))
}

func (p *pathBuilder) lineTo(x, y float64) {
	p.b.WriteString("L")
	p.b.WriteString(coord(x))
	p.b.WriteString(" ")
	p.b.WriteString(coord(y))
}

// dot adds a zero-length segment; with a round line cap it draws a dot
// far more compactly than a <circle>.
func (p *pathBuilder) dot(x, y float64) {
	p.move(x, y)
	p.b.WriteString("h0")
}

func (p *pathBuilder) close() { p.b.WriteString("Z") }

func (p *pathBuilder) String() string { return p.b.String() }

// coord formats a coordinate with one decimal, without a trailing ".0".
func coord(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		v = 0
	}
	v = math.Round(v*10) / 10
	if v == 0 {
		return "0" // no "-0"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// linear maps a domain [d0, d1] onto a range [r0, r1].
type linear struct{ d0, d1, r0, r1 float64 }

func (s linear) at(v float64) float64 {
	if s.d1 == s.d0 {
		return (s.r0 + s.r1) / 2
	}
	return s.r0 + (v-s.d0)/(s.d1-s.d0)*(s.r1-s.r0)
}

// timeScale maps instants onto a range, by Unix seconds.
type timeScale struct {
	t0, t1 time.Time
	r0, r1 float64
}

func (s timeScale) at(t time.Time) float64 {
	return linear{float64(s.t0.Unix()), float64(s.t1.Unix()), s.r0, s.r1}.at(float64(t.Unix()))
}

// niceTicks returns about n round values (1, 2 or 5 times a power of ten)
// covering [lo, hi], the first at or below lo and the last at or above hi.
func niceTicks(lo, hi float64, n int) []float64 {
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return []float64{0, 1}
	}
	if hi < lo {
		lo, hi = hi, lo
	}
	if hi == lo {
		if lo == 0 {
			return []float64{0, 1}
		}
		lo, hi = lo-math.Abs(lo)*0.1, hi+math.Abs(hi)*0.1
	}
	if n < 2 {
		n = 2
	}
	raw := (hi - lo) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag * 10
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if raw <= m*mag {
			step = m * mag
			break
		}
	}
	first := math.Floor(lo/step) * step
	var ticks []float64
	for i := 0; i < 100; i++ {
		v := first + float64(i)*step
		// Round away float noise so that labels read 0.3, not 0.30000000000000004.
		v = math.Round(v/step*1e6) / 1e6 * step
		ticks = append(ticks, v)
		if v >= hi-step*1e-9 {
			break
		}
	}
	return ticks
}

// timeTicks returns round instants (day, week, month or year starts)
// covering [t0, t1], about n of them, with the layout to label them.
func timeTicks(t0, t1 time.Time, n int) ([]time.Time, string) {
	t0, t1 = t0.UTC(), t1.UTC()
	span := t1.Sub(t0)
	day := 24 * time.Hour
	if n < 2 {
		n = 2
	}
	switch {
	case span <= time.Duration(n)*day:
		return stepTicks(truncDay(t0), t1, day), "2 Jan"
	case span <= time.Duration(n)*7*day:
		start := truncDay(t0)
		for start.Weekday() != time.Monday {
			start = start.AddDate(0, 0, -1)
		}
		step := 7 * day
		for span/step > time.Duration(n) {
			step *= 2
		}
		return stepTicks(start, t1, step), "2 Jan"
	}
	months := 1
	for _, m := range []int{1, 2, 3, 6, 12, 24, 60} {
		months = m
		if float64(span)/float64(30*day*time.Duration(m)) <= float64(n) {
			break
		}
	}
	start := time.Date(t0.Year(), t0.Month(), 1, 0, 0, 0, 0, time.UTC)
	if months >= 12 {
		years := months / 12
		start = time.Date(t0.Year()/years*years, 1, 1, 0, 0, 0, 0, time.UTC) // 2015, 2020, not 2017, 2022
	}
	var ticks []time.Time
	for t := start; !t.After(t1) && len(ticks) < 100; t = t.AddDate(0, months, 0) {
		if !t.Before(t0) {
			ticks = append(ticks, t)
		}
	}
	if months >= 12 {
		return ticks, "2006"
	}
	return ticks, "Jan 2006"
}

func truncDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func stepTicks(start, end time.Time, step time.Duration) []time.Time {
	var ticks []time.Time
	for t := start; !t.After(end) && len(ticks) < 100; t = t.Add(step) {
		ticks = append(ticks, t)
	}
	return ticks
}
