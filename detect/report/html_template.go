package report

// pageTemplate is the page. It links to nothing outside itself: the
// styles are inline, the charts are inline SVG, the fonts are the
// reader's own and there is no script.
const pageTemplate = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="bonafide">
<title>{{.Title}}</title>
<style>
:root {
  --ink: #1c2430; --muted: #515c6b; --line: #d5dbe2; --paper: #ffffff; --wash: #f4f6f8;
  --bad: #b3261e; --bad-bg: #fdecea; --warn: #8a5300; --warn-bg: #fff3d6;
  --good: #1c7a33; --good-bg: #e6f4ea; --accent: #1f5fa8; --accent-bg: #e5eef9;
}
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: var(--wash); color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1000px; margin: 0 auto; padding: 24px 24px 40px; }
h1, h2, h3 { line-height: 1.2; margin: 0; }
h2 { font-size: 20px; margin: 0 0 12px; }
h3 { font-size: 16px; margin: 0 0 8px; }
p { margin: 0 0 8px; }
.card { background: var(--paper); border: 1px solid var(--line); border-radius: 10px; padding: 20px 22px; margin: 0 0 18px; }
.top { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: flex-end; gap: 8px 24px; margin: 0 0 14px; }
.brand { font-size: 13px; letter-spacing: .08em; text-transform: uppercase; color: var(--muted); margin: 0 0 4px; }
.top h1 { font-size: 30px; overflow-wrap: anywhere; }
.meta { display: grid; max-width: 100%; grid-template-columns: auto auto; gap: 0 12px; margin: 0; font-size: 13px; color: var(--muted); }
.meta dt { font-weight: 600; }
.meta dd { margin: 0; overflow-wrap: anywhere; color: var(--ink); }
.verdict { border-radius: 12px; padding: 22px 26px; color: #fff; margin: 0 0 18px; display: grid;
  grid-template-columns: auto 1fr; gap: 6px 28px; align-items: center; border: 2px solid transparent; }
.v-authentic { background: var(--good); }
.v-review { background: var(--warn); }
.v-inauthentic { background: var(--bad); }
.v-unknown { background: #3d4856; }
.score { font-size: 64px; font-weight: 800; line-height: 1; font-variant-numeric: tabular-nums; }
.score small { font-size: 20px; font-weight: 600; opacity: .95; }
.verdict h2 { font-size: 32px; margin: 0 0 4px; }
.verdict p { font-size: 17px; margin: 0; }
.gauge { grid-column: 1 / -1; position: relative; height: 14px; margin: 26px 0 20px; border-radius: 7px;
  background: linear-gradient(90deg, #f3b7b1, #ffe3a3 50%, #b9e2c3); border: 1px solid rgba(255,255,255,.7); }
.gauge .mark { position: absolute; top: -6px; width: 6px; height: 24px; margin-left: -3px; background: #fff;
  border: 2px solid #1c2430; border-radius: 3px; }
.gauge .base { position: absolute; bottom: 16px; font-size: 12px; transform: translateX(-50%); white-space: nowrap; }
.gauge .base::after { content: ""; position: absolute; left: 50%; bottom: -6px; height: 6px; border-left: 1px solid #fff; }
.gauge .ends { position: absolute; top: 16px; font-size: 12px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 12px; margin: 0 0 18px; }
.tile { background: var(--paper); border: 1px solid var(--line); border-left: 6px solid var(--muted); border-radius: 8px; padding: 12px 14px; }
.tile.bad { border-left-color: var(--bad); }
.tile.good { border-left-color: var(--good); }
.tile .label { font-size: 13px; color: var(--muted); font-weight: 600; }
.tile .value { font-size: 28px; font-weight: 800; font-variant-numeric: tabular-nums; }
.tile.bad .value { color: var(--bad); }
.tile.good .value { color: var(--good); }
.tile .note { font-size: 13px; color: var(--muted); }
.interval { position: relative; height: 10px; background: var(--wash); border: 1px solid var(--line); border-radius: 5px; margin: 6px 0; }
.interval .band { position: absolute; top: 0; bottom: 0; background: #f0a9a3; border-radius: 4px; }
.interval .est { position: absolute; top: -4px; width: 3px; height: 16px; margin-left: -1px; background: var(--bad); }
table { width: 100%; border-collapse: collapse; font-size: 14px; }
th, td { text-align: left; padding: 8px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.reasons td.impact { font-weight: 700; }
.reasons .bad td.impact { color: var(--bad); }
.reasons .good td.impact { color: var(--good); }
.reasons .why { font-weight: 600; }
.sig { color: var(--muted); font-size: 12px; }
.scroll { overflow-x: auto; }
.chart-box { overflow-x: auto; }
.chart-box .chart { min-width: 540px; }
.ibar { position: relative; width: 140px; height: 12px; background: var(--wash); border-radius: 3px; margin-top: 4px; }
.ibar::after { content: ""; position: absolute; left: 50%; top: -2px; bottom: -2px; border-left: 1px solid var(--muted); }
.ibar span { position: absolute; top: 0; bottom: 0; border-radius: 2px; }
.bad .ibar span { background: var(--bad); }
.good .ibar span { background: var(--good); }
.sum { color: var(--muted); font-size: 13px; margin: 10px 0 0; }
.notice { background: var(--warn-bg); color: #5c3900; border: 1px solid #e8c77a; border-radius: 8px; padding: 12px 14px; margin: 0 0 16px; }
figure { margin: 0 0 26px; break-inside: avoid; page-break-inside: avoid; }
figure:last-child { margin-bottom: 0; }
figcaption { font-size: 14px; color: var(--muted); margin: 6px 0 0; }
.chart { display: block; width: 100%; height: auto; font-family: inherit; }
.legend { list-style: none; margin: 6px 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 18px; font-size: 13px; }
.legend li::before { content: ""; display: inline-block; width: 12px; height: 12px; margin-right: 6px; vertical-align: -1px; border-radius: 2px; background: var(--sw); }
.sw-series { --sw: var(--accent); } .sw-plain { --sw: #7b8da3; } .sw-real { --sw: #7b8da3; }
.sw-suspicious { --sw: var(--bad); } .sw-organic { --sw: var(--good); } .sw-ok { --sw: var(--accent); }
.sw-typical { --sw: var(--ink); }
.missing { color: var(--muted); font-style: italic; }
.badge { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 12px; font-weight: 700; }
.badge.bad { background: var(--bad-bg); color: var(--bad); }
.badge.good { background: var(--good-bg); color: var(--good); }
.warnings { margin: 0; padding-left: 20px; }
footer { font-size: 12px; color: var(--muted); margin: 20px 0 0; overflow-wrap: anywhere; }
/* Chart marks. */
.chart text { fill: var(--ink); font-size: 12px; }
.chart .tick { fill: var(--muted); font-size: 11px; }
.chart .axis-title { fill: var(--muted); font-size: 12px; }
.chart .grid { stroke: #e6eaee; stroke-width: 1; }
.chart .axis-line { stroke: #9aa5b1; stroke-width: 1; }
.chart .series { fill: none; stroke: var(--accent); stroke-width: 2.5; stroke-linejoin: round; }
.chart .series-dots { fill: none; stroke: var(--accent); stroke-width: 5; stroke-linecap: round; }
.chart .area { fill: var(--accent-bg); }
.chart .suspicious .band-fill { fill: var(--bad); fill-opacity: .16; stroke: var(--bad); stroke-opacity: .5; }
.chart .organic .band-fill { fill: var(--good); fill-opacity: .16; stroke: var(--good); stroke-opacity: .5; }
.chart .suspicious .band-label { fill: var(--bad); font-weight: 700; }
.chart .organic .band-label { fill: var(--good); font-weight: 700; }
.chart .leader { stroke: #9aa5b1; stroke-width: 1; }
.chart .run-col { fill: var(--bad); fill-opacity: .08; }
.chart .run-window { fill: none; stroke: var(--bad); stroke-width: 1.5; stroke-dasharray: 4 3; }
.chart .run-label { fill: var(--bad); font-weight: 700; }
.chart .dots { fill: none; stroke-linecap: round; }
.chart .dots.plain { stroke: #7b8da3; stroke-width: 3; stroke-opacity: .55; }
.chart .dots.bought { stroke: var(--bad); stroke-width: 3.5; stroke-opacity: .85; }
.chart .bar.real { fill: #7b8da3; }
.chart .bar.fake { fill: var(--bad); }
.chart .threshold { stroke: var(--ink); stroke-width: 1.5; stroke-dasharray: 5 4; }
.chart .note { fill: var(--muted); font-size: 12px; }
.chart .track { fill: #eef1f4; }
.chart .mix-genuine { fill: var(--good); } .chart .mix-generic { fill: #e9b949; } .chart .mix-emoji { fill: #f08c3a; }
.chart .mix-duplicate { fill: #b04d0c; } .chart .mix-pod { fill: #8e1b14; }
.chart text.seg-label { fill: #fff; font-weight: 700; }
.chart text.seg-label.mix-generic, .chart text.seg-label.mix-emoji { fill: #1c2430; }
.chart .row-label { font-size: 13px; }
.chart .row-value { font-size: 13px; font-weight: 700; }
.chart .row-typical { fill: var(--muted); font-size: 11px; }
.chart .bench-bar.ok { fill: var(--accent); }
.chart .bench-bar.flagged { fill: var(--bad); }
.chart .typical-mark { stroke: var(--ink); stroke-width: 3; }
@media (max-width: 640px) {
  .verdict { grid-template-columns: 1fr; }
  .score { font-size: 48px; }
  .ibar { width: 90px; }
  main { padding: 16px 12px 32px; }
  .card { padding: 16px 14px; }
}
@media print {
  body { background: #fff; font-size: 12px; }
  main { max-width: none; padding: 0; }
  .card, .tile { border-color: #999; }
  .card { padding: 12px 14px; }
  .verdict { border-color: #000; }
  section, .tiles { break-inside: avoid; }
  .evidence { break-before: page; }
  .tiles { grid-template-columns: repeat(4, 1fr); }
  a { color: inherit; text-decoration: none; }
}
</style>
</head>
<body>
<main>
<header class="top" id="creator">
  <div>
    <p class="brand">bonafide · authenticity report</p>
    <h1>{{.Name}}</h1>
  </div>
  <dl class="meta" aria-label="Report details">
    <dt>Platform</dt><dd>{{.Platform}}</dd>
    <dt>Creator id</dt><dd>{{.CreatorID}}</dd>
    {{- if .Tier}}<dt>Tier</dt><dd>{{.Tier}}</dd>{{end}}
    <dt>Observed</dt><dd>{{.ObservedAt}}</dd>
    <dt>Model</dt><dd>{{.Model}}</dd>
  </dl>
</header>

<section class="verdict {{.Verdict.Class}}" id="verdict" aria-labelledby="verdict-heading">
  <div class="score" aria-label="Authenticity score {{.Score}} out of 100">{{.Score}}<small> / 100</small></div>
  <div>
    <h2 id="verdict-heading">{{.Verdict.Word}}</h2>
    <p>{{.Verdict.Advice}}</p>
  </div>
  <div class="gauge" role="img" aria-label="Score {{.Score}} on a scale from 0 (inauthentic) to 100 (authentic){{if .HasBase}}; baseline {{.Baseline}}{{end}}">
    <span class="ends" style="left: 0">0 · inauthentic</span>
    <span class="ends" style="right: 0">authentic · 100</span>
    {{- if .HasBase}}<span class="base" style="{{.BaselineAt}}">baseline {{.Baseline}}</span>{{end}}
    <span class="mark" style="{{.ScoreAt}}"></span>
  </div>
</section>

<section id="glance" aria-labelledby="glance-heading">
  <h2 id="glance-heading">At a glance</h2>
  <div class="tiles">
  {{- range .Tiles}}
    <div class="tile {{.Tone}}">
      <div class="label">{{.Label}}</div>
      <div class="value">{{.Value}}</div>
      {{- with .Interval}}
      <div class="interval" role="img" aria-label="{{.Label}}"><span class="band" style="{{.Band}}"></span><span class="est" style="{{.Marker}}"></span></div>
      {{- end}}
      <div class="note">{{.Note}}</div>
    </div>
  {{- end}}
  </div>
</section>

<section class="card" id="reasons" aria-labelledby="reasons-heading">
  <h2 id="reasons-heading">Why this score</h2>
  {{- if .Reasons}}
  <div class="scroll"><table class="reasons">
    <thead><tr><th scope="col">Reason</th><th scope="col" class="num">Impact (points)</th></tr></thead>
    <tbody>
    {{- range .Reasons}}
      <tr class="{{.Tone}}">
        <td><div class="why">{{.Text}}</div><div class="sig">{{.Label}}</div></td>
        <td class="num impact">{{.Impact}}<div class="ibar" aria-hidden="true"><span style="{{.Bar}}"></span></div></td>
      </tr>
    {{- end}}
    </tbody>
  </table></div>
  <p class="sum">{{.ReasonsSum}}</p>
  {{- else}}
  <p class="missing">The report gives no reasons.</p>
  {{- end}}
</section>

<section class="card evidence" id="evidence" aria-labelledby="evidence-heading">
  <h2 id="evidence-heading">The evidence</h2>
  {{- if .NoDetail}}
  <p class="notice" role="note">The charts of the follower series, the follower fingerprint, the fake probabilities and the comment mix need the full run: this report was read back from JSON, which does not carry that detail. Run <code>bonafide vet --html</code> on the creator's history to draw them.</p>
  {{- end}}
  {{- range .Charts}}
  <figure id="{{.ID}}-figure" aria-labelledby="{{.ID}}-heading">
    <h3 id="{{.ID}}-heading">{{.Heading}}</h3>
    {{- if .Missing}}
    <p class="missing">{{.Missing}}</p>
    {{- else}}
    <div class="chart-box">{{.SVG}}</div>
    {{- if .Legend}}
    <ul class="legend" aria-label="Legend">{{range .Legend}}<li class="{{.Class}}">{{.Label}}</li>{{end}}</ul>
    {{- end}}
    <figcaption>{{.Summary}}</figcaption>
    {{- end}}
  </figure>
  {{- end}}
</section>

<section class="card" id="signals" aria-labelledby="signals-heading">
  <h2 id="signals-heading">All signals</h2>
  {{- if .Signals}}
  <div class="scroll"><table>
    <thead><tr><th scope="col">Signal</th><th scope="col" class="num">This creator</th><th scope="col" class="num">Typical</th><th scope="col" class="num">Percentile</th><th scope="col">Flag</th></tr></thead>
    <tbody>
    {{- range .Signals}}
      <tr><td>{{.Label}} <span class="sig">({{.Name}})</span></td><td class="num">{{.Value}}</td><td class="num">{{or .Typical "–"}}</td><td class="num">{{or .Percentile "–"}}</td><td>{{if .Flag}}<span class="badge bad">unusual</span>{{else}}<span class="badge good">normal</span>{{end}}</td></tr>
    {{- end}}
    </tbody>
  </table></div>
  {{- else}}
  <p class="missing">No signal could be computed.</p>
  {{- end}}
</section>

<section class="card" id="spikes" aria-labelledby="spikes-heading">
  <h2 id="spikes-heading">Growth spikes</h2>
  {{- if .Spikes}}
  <div class="scroll"><table>
    <thead><tr><th scope="col">When</th><th scope="col" class="num">Gained</th><th scope="col" class="num">Expected</th><th scope="col">Kind</th><th scope="col">Explained by</th></tr></thead>
    <tbody>
    {{- range .Spikes}}
      <tr><td>{{.When}}</td><td class="num">{{.Gained}}</td><td class="num">{{.Expected}}</td><td>{{if .Suspicious}}<span class="badge bad">{{.Kind}}</span>{{else}}<span class="badge good">{{.Kind}}</span>{{end}}</td><td>{{or .ExplainedBy "–"}}</td></tr>
    {{- end}}
    </tbody>
  </table></div>
  {{- else}}
  <p class="missing">No spike in the follower count.</p>
  {{- end}}
</section>

{{- if .Warnings}}
<section class="card" id="warnings" aria-labelledby="warnings-heading">
  <h2 id="warnings-heading">Warnings</h2>
  <ul class="warnings">
  {{- range .Warnings}}
    <li>{{.}}</li>
  {{- end}}
  </ul>
</section>
{{- end}}

<footer id="about">
  <p>The score runs from 0 to 100, higher is more authentic, and is calibrated: among creators scored around 30, about 70% are inauthentic. Each reason's impact is in score points. The fake share is of the whole follower base, corrected for the follower model's known error rates, with a 90% interval.</p>
  <p>Format {{.Format}} · model {{.Model}} · input sha256 {{.InputSHA}}</p>
</footer>
</main>
</body>
</html>
`
