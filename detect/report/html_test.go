package report_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"bonafide/detect"
	"bonafide/detect/report"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// fromJSON round-trips r through its JSON encoding, as a report read back
// from `vet --json` or a batch output: Detail is lost.
func fromJSON(t testing.TB, r detect.Report) detect.Report {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back detect.Report
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	return back
}

func render(t testing.TB, r detect.Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := report.HTML(&buf, r); err != nil {
		t.Fatalf("HTML: %v", err)
	}
	return buf.Bytes()
}

// node is an element of the parsed page.
type node struct {
	name     string
	attrs    map[string]string
	text     strings.Builder // all text inside, children included
	children []*node
}

// parse reads the page with encoding/xml in its lenient HTML mode. The page
// is written so that this works (every element closed, attributes quoted);
// a parse error is a test failure.
func parse(t testing.TB, page []byte) *node {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(page))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	root := &node{name: "#root"}
	stack := []*node{root}
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("parse page: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				name := a.Name.Local
				if a.Name.Space != "" {
					name = a.Name.Space + ":" + name
				}
				n.attrs[name] = a.Value
			}
			top := stack[len(stack)-1]
			top.children = append(top.children, n)
			stack = append(stack, n)
		case xml.EndElement:
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			for _, n := range stack {
				n.text.Write(tok)
			}
		}
	}
	if len(stack) != 1 {
		t.Fatalf("page leaves %d elements open, innermost <%s>", len(stack)-1, stack[len(stack)-1].name)
	}
	return root
}

func (n *node) walk(f func(n *node, depth int) bool) { n.walkDepth(f, 0) }

func (n *node) walkDepth(f func(*node, int) bool, depth int) {
	if !f(n, depth) {
		return
	}
	for _, c := range n.children {
		c.walkDepth(f, depth+1)
	}
}

func (n *node) find(name string) []*node {
	var out []*node
	n.walk(func(c *node, _ int) bool {
		if c.name == name {
			out = append(out, c)
		}
		return true
	})
	return out
}

var space = regexp.MustCompile(`\s+`)

func clean(s string) string { return strings.TrimSpace(space.ReplaceAllString(s, " ")) }

// outline is the page's structure as text: title, headings, sections,
// figures, every chart with its accessible name and description, figure
// captions, tables with their headers and row counts, and the count of
// charts. It leaves out coordinates, so the golden file changes only when
// what a reader gets changes.
func outline(root *node) string {
	var b strings.Builder
	charts := 0
	root.walk(func(n *node, _ int) bool {
		switch n.name {
		case "title":
			fmt.Fprintf(&b, "title: %s\n", clean(n.text.String()))
		case "section", "figure", "header", "footer":
			fmt.Fprintf(&b, "%s#%s", n.name, n.attrs["id"])
			if v := n.attrs["aria-labelledby"]; v != "" {
				fmt.Fprintf(&b, " labelledby=%s", v)
			}
			b.WriteString("\n")
		case "h1", "h2", "h3":
			fmt.Fprintf(&b, "  %s: %s\n", n.name, clean(n.text.String()))
		case "svg":
			charts++
			fmt.Fprintf(&b, "  svg#%s role=%s labelledby=%s describedby=%s\n", n.attrs["id"], n.attrs["role"], n.attrs["aria-labelledby"], n.attrs["aria-describedby"])
			for _, c := range n.children {
				if c.name == "title" || c.name == "desc" {
					fmt.Fprintf(&b, "    %s: %s\n", c.name, clean(c.text.String()))
				}
			}
			for _, g := range n.find("g") {
				if l := g.attrs["aria-label"]; l != "" {
					fmt.Fprintf(&b, "    mark: %s\n", l)
				}
			}
			return false
		case "dl":
			var pairs []string
			for i, c := range n.children {
				if c.name == "dt" && i+1 < len(n.children) {
					pairs = append(pairs, clean(c.text.String())+"="+clean(n.children[i+1].text.String()))
				}
			}
			fmt.Fprintf(&b, "  details: %s\n", strings.Join(pairs, "; "))
			return false
		case "figcaption", "p":
			if n.attrs["class"] != "brand" {
				fmt.Fprintf(&b, "  %s: %s\n", n.name, clean(n.text.String()))
			}
		case "ul":
			var items []string
			for _, li := range n.children {
				items = append(items, clean(li.text.String()))
			}
			fmt.Fprintf(&b, "  list %s: %s\n", n.attrs["class"], strings.Join(items, " | "))
		case "table":
			var head []string
			for _, th := range n.find("th") {
				head = append(head, clean(th.text.String()))
			}
			fmt.Fprintf(&b, "  table (%s): %d rows\n", strings.Join(head, ", "), len(n.find("tr"))-1)
			for _, tr := range n.find("tr")[1:] {
				var cells []string
				for _, td := range tr.find("td") {
					cells = append(cells, clean(td.text.String()))
				}
				fmt.Fprintf(&b, "    row: %s\n", strings.Join(cells, " | "))
			}
			return false
		case "div":
			switch n.attrs["class"] {
			case "score":
				fmt.Fprintf(&b, "  score: %s (%s)\n", clean(n.text.String()), n.attrs["aria-label"])
			case "tile bad", "tile good", "tile neutral":
				fmt.Fprintf(&b, "  %s: %s\n", n.attrs["class"], clean(n.text.String()))
			}
			if n.attrs["role"] == "img" {
				fmt.Fprintf(&b, "  img: %s\n", n.attrs["aria-label"])
			}
		}
		return true
	})
	fmt.Fprintf(&b, "charts: %d\n", charts)
	return b.String()
}

// TestHTMLStructure compares the page's outline with a golden file; run
// with -update to rewrite it after an intended change.
func TestHTMLStructure(t *testing.T) {
	noTypical := sampleReport()
	noTypical.Signals = map[string]detect.Signal{"reply_reciprocity": {Value: 0.5}}
	noTypical.Detail.Typical = nil
	noTypical.Detail.Comments = detect.CommentMix{}
	noTypical.Detail.Series = noTypical.Detail.Series[:1]
	noTypical.Detail.Followers = nil
	noTypical.Detail.Runs = nil
	noTypical.GrowthSpikes = nil
	noTypical.Reasons = nil
	noTypical.Warnings = nil
	noTypical.FakeFollowers = detect.FakeShare{}
	noTypical.Verdict = detect.VerdictAuthentic
	noTypical.Authenticity = 88

	cases := []struct {
		name   string
		report detect.Report
		charts int
	}{
		{"sample", sampleReport(), 5},
		{"from_json", fromJSON(t, sampleReport()), 1},
		{"sparse", noTypical, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			page := render(t, tc.report)
			got := outline(parse(t, page))
			if want := fmt.Sprintf("charts: %d\n", tc.charts); !strings.HasSuffix(got, want) {
				t.Errorf("outline ends %q, want %q", got[strings.LastIndex(got[:len(got)-1], "\n")+1:], want)
			}
			path := filepath.Join("testdata", tc.name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("read golden (run with -update to create it): %v", err)
			}
			if got != string(want) {
				t.Errorf("outline differs from %s (run with -update if intended):\n%s", path, diff(string(want), got))
			}
		})
	}
}

// diff lists the lines that differ, enough to see what changed.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, c string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			c = g[i]
		}
		if a != c {
			fmt.Fprintf(&b, "line %d:\n- %s\n+ %s\n", i+1, a, c)
		}
	}
	return b.String()
}

// TestHTMLAccessibleCharts checks every chart names itself: an SVG with
// role img, labelled by its own title and desc, both with text; and every
// figure has a heading and a caption.
func TestHTMLAccessibleCharts(t *testing.T) {
	for _, r := range []detect.Report{sampleReport(), fromJSON(t, sampleReport())} {
		root := parse(t, render(t, r))
		ids := map[string]*node{}
		root.walk(func(n *node, _ int) bool {
			if id := n.attrs["id"]; id != "" {
				if ids[id] != nil {
					t.Errorf("id %q used twice", id)
				}
				ids[id] = n
			}
			return true
		})
		svgs := root.find("svg")
		if len(svgs) == 0 {
			t.Fatal("no chart")
		}
		for _, s := range svgs {
			if s.attrs["role"] != "img" {
				t.Errorf("svg %s: role %q, want img", s.attrs["id"], s.attrs["role"])
			}
			for attr, want := range map[string]string{"aria-labelledby": "title", "aria-describedby": "desc"} {
				ref := s.attrs[attr]
				n := ids[ref]
				switch {
				case n == nil:
					t.Errorf("svg %s: %s names missing id %q", s.attrs["id"], attr, ref)
				case n.name != want:
					t.Errorf("svg %s: %s %q is a <%s>, want <%s>", s.attrs["id"], attr, ref, n.name, want)
				case len(clean(n.text.String())) < 20:
					t.Errorf("svg %s: %s %q is too short to tell what the chart shows", s.attrs["id"], n.name, clean(n.text.String()))
				}
			}
		}
		for _, f := range root.find("figure") {
			if len(f.find("h3")) != 1 {
				t.Errorf("figure %s: want one heading", f.attrs["id"])
			}
			if len(f.find("svg")) == 1 && len(f.find("figcaption")) != 1 {
				t.Errorf("figure %s: a chart needs a caption", f.attrs["id"])
			}
		}
	}
}

// TestHTMLSelfContained checks the page links to nothing: no src, href,
// url(), @import or script, so it reads the same offline.
func TestHTMLSelfContained(t *testing.T) {
	for _, r := range []detect.Report{sampleReport(), fromJSON(t, sampleReport())} {
		page := render(t, r)
		for _, bad := range []string{"<script", "src=", "href=", "url(", "@import", "<link", "<iframe", "<img", "http://", "https://"} {
			if i := bytes.Index(bytes.ToLower(page), []byte(bad)); i >= 0 && !isSVGNamespace(page, i) {
				t.Errorf("page contains %q near %q", bad, page[max(0, i-40):min(len(page), i+60)])
			}
		}
		if !bytes.Contains(page, []byte("@media print")) {
			t.Error("page has no print styles")
		}
	}
}

// isSVGNamespace reports whether the match at i is the SVG namespace name,
// which is an identifier, not something fetched.
func isSVGNamespace(page []byte, i int) bool {
	return bytes.HasPrefix(page[i:], []byte("http://www.w3.org/2000/svg"))
}

// TestHTMLEscapes feeds hostile text through every field that comes from
// the input and checks that none of it becomes markup.
func TestHTMLEscapes(t *testing.T) {
	evil := `<script>alert(1)</script><img src=x onerror=alert(2)>"'&`
	r := sampleReport()
	r.Handle = evil
	r.CreatorID = evil
	r.Platform = evil
	r.Model = evil
	r.ObservedAt = evil
	r.Tier = evil
	r.GrowthSpikes[0].ExplainedBy = &evil
	r.GrowthSpikes = append(r.GrowthSpikes, detect.Spike{Start: evil, End: evil, Kind: evil})
	r.Reasons[0].Text = evil
	r.Reasons[1].Signal = evil
	r.Warnings = []string{evil}
	r.FakeFollowers.Method = &evil
	r.Signals[evil] = detect.Signal{Value: 1}
	page := render(t, r)
	for _, bad := range []string{"<script", "<img", "onerror=alert(2)>"} {
		if bytes.Contains(page, []byte(bad)) {
			t.Errorf("hostile input reached the page as markup: found %q", bad)
		}
	}
	root := parse(t, page)
	found := 0
	root.walk(func(n *node, _ int) bool {
		if n.name == "h1" && strings.Contains(n.text.String(), evil) {
			found++
		}
		return true
	})
	if found != 1 {
		t.Errorf("the handle should show as text in the h1, escaped; found it %d times", found)
	}
}

// TestHTMLDeterministic renders the same report twice, and a copy whose
// maps were filled in another order, and wants the same bytes.
func TestHTMLDeterministic(t *testing.T) {
	a := render(t, sampleReport())
	b := render(t, sampleReport())
	if !bytes.Equal(a, b) {
		t.Fatal("two renders of the same report differ")
	}
	r := sampleReport()
	reordered := map[string]detect.Signal{"zz_custom": {Value: 2}, "aa_custom": {Value: 1}}
	for k, v := range r.Signals {
		reordered[k] = v
	}
	r.Signals = reordered
	c := render(t, r)
	for range 5 {
		if d := render(t, r); !bytes.Equal(c, d) {
			t.Fatal("renders with extra signals differ between runs")
		}
	}
	if i, j := bytes.Index(c, []byte("aa_custom")), bytes.Index(c, []byte("zz_custom")); i < 0 || j < i {
		t.Errorf("unknown signals should be listed after the known ones, sorted by name (aa at %d, zz at %d)", i, j)
	}
}

// TestHTMLOddReports renders reports at the edges of what the engine may
// produce: the page must still parse, say something for each section and
// never print NaN or Inf.
func TestHTMLOddReports(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		name   string
		edit   func(r *detect.Report)
		charts int
		want   string // text the page must contain
	}{
		{"empty report", func(r *detect.Report) { *r = detect.Report{} }, 0, "No verdict"},
		{"no detail, no signals", func(r *detect.Report) { r.Detail, r.Signals = nil, nil }, 0, "need the full run"},
		{"not a number", func(r *detect.Report) {
			r.Authenticity = nan
			r.Baseline = nan
			r.Signals["engagement_rate"] = detect.Signal{Value: nan, Typical: &nan}
			r.Signals["reply_reciprocity"] = detect.Signal{Value: 0.2, Typical: &nan}
			r.Reasons[0].Impact = nan
			r.FakeFollowers.Estimate, r.FakeFollowers.Low = &nan, &nan
			r.Detail.Followers[3].PFake = nan
		}, 5, "Comments the creator answers"},
		{"many spikes", func(r *detect.Report) {
			r.GrowthSpikes = nil
			for d := 2; d <= 28; d += 2 {
				r.GrowthSpikes = append(r.GrowthSpikes, detect.Spike{
					Start: fmt.Sprintf("2026-10-%02d", d), End: fmt.Sprintf("2026-10-%02d", d+1),
					Gained: 1000, Expected: 50, Kind: "suspicious"})
			}
		}, 5, "Spike 14"},
		{"runs out of range", func(r *detect.Report) {
			r.Detail.Runs = append(r.Detail.Runs, detect.Run{Start: 1990, End: 5000}, detect.Run{Start: 7, End: 3})
		}, 5, "Run 2: 10 accounts"},
		{"unknown verdict and spike kind", func(r *detect.Report) {
			r.Verdict = "maybe"
			r.GrowthSpikes[0].Kind = "odd"
			r.GrowthSpikes[0].Start = "not a date"
		}, 5, "maybe"},
		{"no follower scored", func(r *detect.Report) {
			for i := range r.Detail.Followers {
				r.Detail.Followers[i].PFake = nan
			}
		}, 4, "No follower could be scored."},
		{"one follower, no dates", func(r *detect.Report) {
			r.Detail.Followers = []detect.FollowerPoint{{PFake: 1}}
			r.Detail.Runs = nil
		}, 4, "no followers with a known account creation date"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := sampleReport()
			tc.edit(&r)
			page := render(t, r)
			root := parse(t, page)
			if n := len(root.find("svg")); n != tc.charts {
				t.Errorf("%d charts, want %d", n, tc.charts)
			}
			for _, bad := range []string{"NaN", "Inf", "%!"} {
				if bytes.Contains(page, []byte(bad)) {
					i := bytes.Index(page, []byte(bad))
					t.Errorf("page shows %q near %q", bad, page[max(0, i-60):min(len(page), i+20)])
				}
			}
			if !bytes.Contains(page, []byte(tc.want)) {
				t.Errorf("page does not say %q", tc.want)
			}
			for _, id := range []string{"verdict", "glance", "reasons", "evidence", "signals", "spikes"} {
				if !bytes.Contains(page, []byte(`id="`+id+`"`)) {
					t.Errorf("section %q is missing", id)
				}
			}
		})
	}
}

// TestHTMLAxisLabels checks the follower axis at several magnitudes:
// every tick label is different from its neighbours (no "2M, 2M, 2M").
func TestHTMLAxisLabels(t *testing.T) {
	cases := []struct {
		name     string
		from, to int64
	}{
		{"nano", 12, 48},
		{"micro", 9_800, 17_600},
		{"flat micro", 10_000, 10_003},
		{"mega, slow", 1_954_067, 2_022_831},
		{"mega, fast", 1_200_000, 9_400_000},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := sampleReport()
			r.GrowthSpikes = nil
			var series []detect.SeriesPoint
			for i := range 30 {
				series = append(series, detect.SeriesPoint{
					At:        date("2026-03-01").AddDate(0, 0, i),
					Followers: tc.from + (tc.to-tc.from)*int64(i)/29,
				})
			}
			r.Detail.Series = series
			root := parse(t, render(t, r))
			var labels []string
			for _, svg := range root.find("svg") {
				if svg.attrs["id"] != "chart-growth" {
					continue
				}
				for _, g := range svg.find("g") {
					if g.attrs["class"] == "axis y" {
						for _, txt := range g.find("text") {
							labels = append(labels, clean(txt.text.String()))
						}
					}
				}
			}
			t.Logf("y labels: %q", labels)
			if len(labels) < 3 {
				t.Fatalf("only %d y labels: %q", len(labels), labels)
			}
			for i := 1; i < len(labels); i++ {
				if labels[i] == labels[i-1] {
					t.Errorf("y labels repeat: %q", labels)
					break
				}
			}
		})
	}
}

// TestHTMLContrast reads the page's colour variables and checks that text
// set in them meets WCAG AA (4.5:1) on the backgrounds it is set on.
func TestHTMLContrast(t *testing.T) {
	page := string(render(t, sampleReport()))
	vars := map[string]string{"white": "#ffffff"}
	for _, m := range regexp.MustCompile(`--([a-z-]+): (#[0-9a-f]{6})`).FindAllStringSubmatch(page, -1) {
		vars[m[1]] = m[2]
	}
	pairs := []struct{ text, background string }{
		{"ink", "paper"}, {"ink", "wash"}, {"muted", "paper"}, {"muted", "wash"},
		{"bad", "paper"}, {"good", "paper"}, {"accent", "paper"},
		{"bad", "bad-bg"}, {"good", "good-bg"},
		{"white", "bad"}, {"white", "good"}, {"white", "warn"},
	}
	for _, p := range pairs {
		fg, bg := vars[p.text], vars[p.background]
		if fg == "" || bg == "" {
			t.Errorf("colour variable %q or %q not found in the page", p.text, p.background)
			continue
		}
		if r := contrast(fg, bg); r < 4.5 {
			t.Errorf("%s (%s) on %s (%s): contrast %.2f, want at least 4.5", p.text, fg, p.background, bg, r)
		}
	}
}

// contrast is the WCAG 2 contrast ratio of two #rrggbb colours.
func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

func luminance(hex string) float64 {
	var rgb [3]float64
	for i := range rgb {
		var v int
		fmt.Sscanf(hex[1+2*i:3+2*i], "%02x", &v)
		c := float64(v) / 255
		if c <= 0.03928 {
			rgb[i] = c / 12.92
		} else {
			rgb[i] = math.Pow((c+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*rgb[0] + 0.7152*rgb[1] + 0.0722*rgb[2]
}

// TestHTMLLargeAudience checks that the page stays bounded in size when
// the follower list grows: the fingerprint merges dots per grid cell, so
// doubling the followers past the point where the plot is full adds
// almost nothing.
func TestHTMLLargeAudience(t *testing.T) {
	if testing.Short() {
		t.Skip("builds reports with 100,000 and 200,000 followers")
	}
	sizes := map[int]int{}
	for _, n := range []int{100_000, 200_000} {
		r := sampleReport()
		big := make([]detect.FollowerPoint, 0, n)
		for len(big) < n {
			big = append(big, r.Detail.Followers...)
		}
		r.Detail.Followers = big
		r.Detail.Runs = nil
		sizes[n] = len(render(t, r))
	}
	if sizes[100_000] > 600_000 {
		t.Errorf("page for 100,000 followers is %d bytes; want under 600,000", sizes[100_000])
	}
	if float64(sizes[200_000]) > 1.25*float64(sizes[100_000]) {
		t.Errorf("page grows from %d to %d bytes when the followers double; want it bounded", sizes[100_000], sizes[200_000])
	}
}

// FuzzHTML renders reports with arbitrary text in the input's fields and
// checks that the page never carries markup from it, always parses and
// keeps its charts.
func FuzzHTML(f *testing.F) {
	f.Add("lena.bakes", "C9xQ2mLpTz", "About 27% of followers look fake.", "pod_score", 31.4)
	f.Add(`<script>x</script>`, `"><svg onload=1>`, "</table></section>", "<b>", -5.0)
	f.Add("", "", "", "", 1e308)
	f.Add("\x00\xff", "&amp;", "]]>", "a b", 100.0)
	base := sampleReport()
	f.Fuzz(func(t *testing.T, handle, post, text, signal string, score float64) {
		r := base
		r.Handle = handle
		r.Authenticity = score
		r.GrowthSpikes = []detect.Spike{{Start: post, End: "2026-10-04", Kind: "organic", Gained: 10, ExplainedBy: &post}}
		r.Reasons = []detect.Reason{{Signal: signal, Impact: score, Text: text}}
		r.Signals = map[string]detect.Signal{signal: {Value: score, Flag: true}, "reply_reciprocity": {Value: score}}
		var buf bytes.Buffer
		if err := report.HTML(&buf, r); err != nil {
			t.Fatalf("HTML: %v", err)
		}
		page := buf.Bytes()
		for _, in := range []string{handle, post, text, signal} {
			if strings.ContainsAny(in, "<>") && bytes.Contains(page, []byte(in)) {
				t.Fatalf("input %q reached the page unescaped", in)
			}
		}
		if n := bytes.Count(page, []byte("<svg ")); n != 5 {
			t.Fatalf("page has %d charts, want 5", n)
		}
	})
}

// BenchmarkHTML renders the sample report (2,000 followers, 112 days)
// and one with 200,000 followers; compare the two in the same run.
func BenchmarkHTML(b *testing.B) {
	big := sampleReport()
	var followers []detect.FollowerPoint
	for len(followers) < 200_000 {
		followers = append(followers, big.Detail.Followers...)
	}
	big.Detail.Followers = followers
	big.Detail.Runs = nil
	for _, bc := range []struct {
		name string
		r    detect.Report
	}{{"followers=2000", sampleReport()}, {"followers=200000", big}, {"from_json", fromJSON(b, sampleReport())}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			var n int
			for b.Loop() {
				var buf bytes.Buffer
				if err := report.HTML(&buf, bc.r); err != nil {
					b.Fatal(err)
				}
				n = buf.Len()
			}
			b.ReportMetric(float64(n), "page-bytes")
		})
	}
}
