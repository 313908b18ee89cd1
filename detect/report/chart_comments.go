package report

import (
	"fmt"
	"strings"

	"bonafide/detect"
)

// commentClass is one slice of the comment mix.
type commentClass struct {
	class string // CSS class: colour with meaning, green genuine to red pod
	label string
	n     int
}

func commentClasses(m detect.CommentMix) []commentClass {
	return []commentClass{
		{"mix-genuine", "Genuine", m.Genuine},
		{"mix-generic", "Generic praise", m.Generic},
		{"mix-emoji", "Emoji only", m.EmojiOnly},
		{"mix-duplicate", "Duplicate or template", m.Duplicate},
		{"mix-pod", "Engagement pod", m.Pod},
	}
}

// commentsChart draws what the comments are made of as one stacked bar
// with a labelled row per class under it.
func commentsChart(m detect.CommentMix) chart {
	ch := chart{ID: "chart-comments", Heading: "What the comments are made of"}
	classes := commentClasses(m)
	total := 0
	for _, k := range classes {
		total += k.n
	}
	if total == 0 {
		ch.Missing = "The input had no comments from other people, so there is no mix to draw."
		return ch
	}
	var parts []string
	for _, k := range classes {
		parts = append(parts, fmt.Sprintf("%s %s (%s)", strings.ToLower(k.label), count(int64(k.n)), percent(float64(k.n)/float64(total))))
	}
	ch.Summary = fmt.Sprintf("Of %s comments by other people: %s.", count(int64(total)), strings.Join(parts, ", "))

	const rowH = 26
	h := 70.0 + float64(len(classes))*rowH
	f := frame{left: 16, top: 12, right: chartWidth - 16, bottom: 52}
	c := newCanvas(ch.ID, chartWidth, h, "What the comments are made of", ch.Summary)
	xs := linear{0, float64(total), f.left, f.right}
	acc := 0
	c.group("stack", "")
	for _, k := range classes {
		if k.n == 0 {
			continue
		}
		x0, x1 := xs.at(float64(acc)), xs.at(float64(acc+k.n))
		acc += k.n
		c.rect(x0, f.top, x1-x0, f.height(), "seg "+k.class)
		if x1-x0 >= 44 {
			c.text((x0+x1)/2, f.top+f.height()/2+5, "middle", "seg-label "+k.class, percent(float64(k.n)/float64(total)))
		}
	}
	c.end()

	// One row per class: swatch, label, bar against the total, count.
	const labelW = 190
	bar := linear{0, float64(total), f.left + labelW, f.right - 110}
	for i, k := range classes {
		y := f.bottom + 18 + float64(i)*rowH
		c.group("row", "")
		c.rect(f.left, y, 12, 12, "seg "+k.class)
		c.text(f.left+20, y+11, "start", "row-label", k.label)
		c.rect(bar.at(0), y, bar.at(float64(total))-bar.at(0), 12, "track")
		if k.n > 0 {
			c.rect(bar.at(0), y, bar.at(float64(k.n))-bar.at(0), 12, "seg "+k.class)
		}
		c.text(f.right, y+11, "end", "row-value", count(int64(k.n))+" · "+percent(float64(k.n)/float64(total)))
		c.end()
	}
	ch.SVG = c.html()
	return ch
}
