package report

// The HTML page for a brand manager: inline SVG charts, no scoring.
// Everything it shows comes from the report (and from its Detail, when the
// report comes straight from the engine). It reads no clock, so the same
// report always renders to the same bytes. (The package doc is in text.go.)

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"

	"bonafide/detect"
	"bonafide/features"
)

// HTML writes r as one self-contained HTML page: no script, font, style
// sheet or image is fetched from anywhere, so the page reads offline and
// prints (it has print styles). Charts are inline SVG drawn from r.Detail;
// when r.Detail is nil (a report read back from JSON) the page still shows
// everything the report carries and says that the charts need the full
// run. Every text from the input is escaped. The output is deterministic.
func HTML(w io.Writer, r detect.Report) error {
	t, err := template.New("page").Parse(pageTemplate)
	if err != nil {
		return fmt.Errorf("parse page template: %w", err)
	}
	if err := t.Execute(w, newPage(r)); err != nil {
		return fmt.Errorf("render html report: %w", err)
	}
	return nil
}

// page is what the template shows.
type page struct {
	Title      string
	Name       string // "@handle", or the creator id when no handle
	Handle     string
	CreatorID  string
	Platform   string
	ObservedAt string
	Model      string
	Tier       string
	InputSHA   string
	Format     string

	Verdict verdictView
	Score   string
	// ScoreAt places the score's marker on the 0-100 bar.
	ScoreAt    template.CSS
	Baseline   string
	BaselineAt template.CSS
	HasBase    bool

	Tiles []tile

	Reasons    []reasonView
	ReasonsSum string

	Charts   []chart
	NoDetail bool

	Signals  []signalRow
	Spikes   []spikeRow
	Warnings []string
}

type verdictView struct {
	Class  string
	Word   string
	Advice string
}

// tile is one key figure of the "at a glance" row.
type tile struct {
	Label string
	Value string
	Note  string
	Tone  string // "bad", "good" or "neutral"
	// Interval, when set, draws the fake share's interval on a 0-100% bar.
	Interval *intervalView
}

type intervalView struct {
	Band   template.CSS // left and width of the interval
	Marker template.CSS // left of the estimate
	Label  string
}

type reasonView struct {
	Label  string
	Signal string
	Text   string
	Impact string
	Tone   string
	Bar    template.CSS
}

type signalRow struct {
	Name       string
	Label      string
	Value      string
	Typical    string
	Percentile string
	Flag       bool
}

type spikeRow struct {
	When        string
	Gained      string
	Expected    string
	Kind        string
	Suspicious  bool
	ExplainedBy string
}

func newPage(r detect.Report) page {
	p := page{
		Handle:     r.Handle,
		CreatorID:  r.CreatorID,
		Platform:   r.Platform,
		ObservedAt: when(r.ObservedAt),
		Model:      r.Model,
		Tier:       r.Tier,
		InputSHA:   r.InputSHA256,
		Format:     r.Format,
		Verdict:    verdictOf(r.Verdict),
		Score:      fixed(math.Round(r.Authenticity), 0),
		ScoreAt:    cssLeft(r.Authenticity),
		NoDetail:   r.Detail == nil,
		Warnings:   r.Warnings,
	}
	p.Name = r.CreatorID
	if r.Handle != "" {
		p.Name = "@" + r.Handle
	}
	p.Title = "Authenticity report: " + p.Name
	if r.Platform != "" {
		p.Title += " on " + r.Platform
	}
	if r.Baseline > 0 {
		p.HasBase = true
		p.Baseline = fixed(r.Baseline, 1)
		p.BaselineAt = cssLeft(r.Baseline)
	}
	spikes := spikeViews(r.GrowthSpikes)
	p.Tiles = tiles(r, spikes)
	p.Reasons, p.ReasonsSum = reasons(r)

	if r.Detail != nil {
		p.Charts = append(p.Charts,
			growthChart(r.Detail.Series, spikes),
			fingerprintChart(r.Detail.Followers, r.Detail.Runs),
			fakeChart(r.Detail.Followers, r.FakeFollowers),
			commentsChart(r.Detail.Comments),
		)
	}
	p.Charts = append(p.Charts, benchChart(r.Signals, r.Detail, r.Tier))

	for _, name := range orderedSignalNames(r.Signals) {
		s := r.Signals[name]
		info := lookup(name)
		row := signalRow{Name: name, Label: info.label, Value: info.formatValue(s.Value), Flag: s.Flag}
		if s.Typical != nil {
			row.Typical = info.formatValue(*s.Typical)
		}
		if s.Percentile != nil {
			row.Percentile = ordinal(*s.Percentile)
		}
		p.Signals = append(p.Signals, row)
	}
	for _, s := range spikes {
		row := spikeRow{
			When:       s.Start + " – " + s.End,
			Gained:     signedCount(s.Gained),
			Expected:   count(s.Expected),
			Kind:       s.Kind,
			Suspicious: s.suspicious(),
		}
		if s.datesOK {
			row.When = dayRange(s.start, s.end)
		}
		switch {
		case s.ExplainedBy != nil && *s.ExplainedBy != "":
			row.ExplainedBy = "post " + *s.ExplainedBy
		case s.Unchecked:
			row.ExplainedBy = "not checked: before the earliest listed post"
		}
		p.Spikes = append(p.Spikes, row)
	}
	return p
}

// when formats the observation time for a reader ("20 Nov 2026, 12:00
// UTC"), or returns it as given when it does not parse.
func when(s string) string {
	t, err := features.ParseTime(s)
	if err != nil {
		return s
	}
	if len(s) == len("2006-01-02") {
		return day(t)
	}
	return t.Format("2 Jan 2006, 15:04 UTC")
}

func verdictOf(v string) verdictView {
	switch v {
	case detect.VerdictAuthentic:
		return verdictView{"v-authentic", "Authentic", "The audience and its engagement look real. The usual contract checks apply."}
	case detect.VerdictReview:
		return verdictView{"v-review", "Needs review", "Some signals are unusual. Read the reasons below before you sign."}
	case detect.VerdictInauthentic:
		return verdictView{"v-inauthentic", "Inauthentic", "Much of this audience or its engagement looks bought. Do not sign on these numbers."}
	}
	word := v
	if word == "" {
		word = "No verdict"
	}
	return verdictView{"v-unknown", word, "The report carries no verdict this page knows."}
}

// cssLeft places a marker at v on a 0-100 scale.
func cssLeft(v float64) template.CSS {
	return template.CSS("left: " + fixed(clamp(v, 0, 100), 2) + "%")
}

func clamp(v, lo, hi float64) float64 {
	if math.IsNaN(v) {
		return lo
	}
	return math.Min(hi, math.Max(lo, v))
}

// toneOf says whether a signal counts against the creator: flagged, or
// named by a reason that lowered the score.
func toneOf(r detect.Report, name string) string {
	for _, re := range r.Reasons {
		if re.Signal == name && re.Impact <= -1 {
			return "bad"
		}
	}
	s, ok := r.Signals[name]
	switch {
	case ok && s.Flag:
		return "bad"
	case ok && s.Typical != nil:
		return "good" // measured against the tier and found normal
	}
	return "neutral"
}

func tiles(r detect.Report, spikes []spikeView) []tile {
	var out []tile

	fake := tile{Label: "Fake followers", Value: "not measured", Note: "No follower list was given.", Tone: "neutral"}
	if f := r.FakeFollowers; f.Estimate != nil {
		fake.Value = percent(*f.Estimate)
		fake.Tone = toneOf(r, "fake_followers")
		var note []string
		if f.Low != nil && f.High != nil {
			note = append(note, percent(*f.Low)+" to "+percent(*f.High)+" (90% interval)")
			lo, hi := clamp(*f.Low*100, 0, 100), clamp(*f.High*100, 0, 100)
			fake.Interval = &intervalView{
				Band:   template.CSS("left: " + fixed(lo, 2) + "%; width: " + fixed(math.Max(hi-lo, 0.5), 2) + "%"),
				Marker: cssLeft(*f.Estimate * 100),
				Label:  "Estimate " + percent(*f.Estimate) + ", 90% interval " + percent(*f.Low) + " to " + percent(*f.High),
			}
		}
		if f.Basis != nil {
			n := count(int64(*f.Basis)) + " followers scored"
			if f.Method != nil && *f.Method != "" {
				n += ", " + *f.Method + " sample"
			}
			note = append(note, n)
		}
		fake.Note = strings.Join(note, " · ")
	}
	out = append(out, fake)

	growth := tile{Label: "Suspicious growth", Tone: "good"}
	var sus []spikeView
	var gained int64
	for _, s := range spikes {
		if s.suspicious() {
			sus = append(sus, s)
			gained += s.Gained
		}
	}
	switch {
	case len(sus) == 0 && len(spikes) == 0:
		growth.Value, growth.Note = "none", "No spike in the follower count."
	case len(sus) == 0:
		growth.Value, growth.Note = "none", fmt.Sprintf("%d organic %s, explained by posts.", len(spikes), plural(len(spikes), "spike", "spikes"))
	default:
		growth.Tone = "bad"
		growth.Value = signedCount(gained)
		growth.Note = fmt.Sprintf("followers in %d suspicious %s", len(sus), plural(len(sus), "spike", "spikes"))
		if len(sus) == 1 && sus[0].datesOK {
			growth.Note += ", " + dayRange(sus[0].start, sus[0].end)
		}
		growth.Note += "."
	}
	out = append(out, growth)

	for _, name := range []string{"engagement_rate", "reply_reciprocity"} {
		s, ok := r.Signals[name]
		if !ok {
			continue
		}
		info := lookup(name)
		t := tile{Label: info.label, Value: info.formatValue(s.Value), Tone: toneOf(r, name)}
		if s.Typical != nil {
			t.Note = "Typical for the tier: " + info.formatValue(*s.Typical) + "."
		}
		out = append(out, t)
	}
	return out
}

func reasons(r detect.Report) ([]reasonView, string) {
	top := 0.0
	sum := 0.0
	for _, re := range r.Reasons {
		if !math.IsNaN(re.Impact) {
			top = math.Max(top, math.Abs(re.Impact))
		}
		sum += re.Impact
	}
	var out []reasonView
	for _, re := range r.Reasons {
		v := reasonView{Label: lookup(re.Signal).label, Signal: re.Signal, Text: re.Text, Impact: impact(re.Impact), Tone: "neutral"}
		w := 0.0
		if top > 0 && !math.IsInf(top, 0) && !math.IsNaN(re.Impact) {
			w = math.Abs(re.Impact) / top * 50
		}
		switch {
		case re.Impact < 0:
			v.Tone = "bad"
			v.Bar = template.CSS("right: 50%; width: " + fixed(w, 2) + "%")
		default:
			v.Tone = "good"
			v.Bar = template.CSS("left: 50%; width: " + fixed(w, 2) + "%")
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, ""
	}
	s := fmt.Sprintf("These reasons add up to %s points", impact(sum))
	if r.Baseline > 0 {
		s += fmt.Sprintf(" from a baseline of %s, giving %s", fixed(r.Baseline, 1), fixed(r.Authenticity, 1))
	}
	return out, s + "."
}
