package report

import (
	"fmt"
	"math"
	"strings"

	"bonafide/detect"
)

// benchRow is one signal set against its tier's typical value.
type benchRow struct {
	info       signalInfo
	value      float64
	typical    float64
	hasTypical bool
	flag       bool
}

// benchChart draws reply reciprocity and engagement against the typical
// values of the creator's tier: one row per signal, each on its own
// scale, the creator's value as a bar and the typical value as a mark.
// It needs only the report's signals, so it is drawn for a report read
// back from JSON too; detail, when not nil, fills in typical values the
// signals lack.
func benchChart(signals map[string]detect.Signal, detail *detect.Detail, tier string) chart {
	ch := chart{ID: "chart-bench", Heading: "Reciprocity and engagement against the tier"}
	var rows []benchRow
	for _, name := range benchmarkSignals() {
		s, ok := signals[name]
		if !ok || math.IsNaN(s.Value) || math.IsInf(s.Value, 0) {
			continue
		}
		row := benchRow{info: lookup(name), value: s.Value, flag: s.Flag}
		if s.Typical != nil {
			row.typical, row.hasTypical = *s.Typical, true
		} else if detail != nil {
			if v, ok := detail.Typical[name]; ok {
				row.typical, row.hasTypical = v, true
			}
		}
		if row.hasTypical && (math.IsNaN(row.typical) || math.IsInf(row.typical, 0)) {
			row.hasTypical = false
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		ch.Missing = "None of the reciprocity or engagement signals could be computed from the input."
		return ch
	}
	who := "creators of the same tier"
	if tier != "" {
		who = tier + " creators"
	}
	var parts []string
	for _, r := range rows {
		p := r.info.label + ": " + r.info.formatValue(r.value)
		if r.hasTypical {
			p += " (typical for " + who + ": " + r.info.formatValue(r.typical) + ")"
		}
		if r.flag {
			p += ", flagged"
		}
		parts = append(parts, p)
	}
	ch.Summary = strings.Join(parts, "; ") + "."

	const rowH = 40
	h := 24.0 + float64(len(rows))*rowH
	const left, right = 16.0, chartWidth - 16.0
	const labelW, valueW = 270.0, 150.0
	c := newCanvas(ch.ID, chartWidth, h, "Reciprocity and engagement against "+who, ch.Summary)
	for i, r := range rows {
		y := 16 + float64(i)*rowH
		top := math.Max(r.value, 0)
		if r.hasTypical {
			top = math.Max(top, r.typical)
		}
		if top == 0 {
			top = 1
		}
		xs := linear{0, top * 1.15, left + labelW, right - valueW}
		cls := "bench-bar ok"
		if r.flag {
			cls = "bench-bar flagged"
		}
		label := fmt.Sprintf("%s: %s", r.info.label, r.info.formatValue(r.value))
		c.group("bench-row", label)
		c.text(left, y+13, "start", "row-label", r.info.label)
		c.rect(xs.at(0), y, xs.at(top*1.15)-xs.at(0), 18, "track")
		if r.hasTypical {
			c.rect(xs.at(0), y+3, math.Max(0, xs.at(math.Max(r.value, 0))-xs.at(0)), 12, cls)
			x := xs.at(math.Max(r.typical, 0))
			c.line(x, y-4, x, y+22, "typical-mark")
		} else {
			// A bar with nothing to compare with would only show its own scale.
			c.text(xs.at(0)+8, y+13, "start", "note", "no typical value for the tier")
		}
		value := r.info.formatValue(r.value)
		if r.flag {
			value = "⚠ " + value
		}
		c.text(right, y+9, "end", "row-value", value)
		if r.hasTypical {
			c.text(right, y+23, "end", "row-typical", "typical "+r.info.formatValue(r.typical))
		}
		c.end()
	}
	ch.SVG = c.html()
	ch.Legend = []legendItem{
		{"sw-ok", "This creator"},
		{"sw-suspicious", "This creator, flagged as unusual"},
		{"sw-typical", "Typical for " + who},
	}
	return ch
}
