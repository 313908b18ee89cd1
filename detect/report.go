package detect

import "time"

// ReportFormat is the value of the "format" field of every report line.
const ReportFormat = "authenticity-report/v1"

// Verdicts.
const (
	VerdictAuthentic   = "authentic"
	VerdictReview      = "review"
	VerdictInauthentic = "inauthentic"
)

// Report is what the engine says about one creator: the output contract of
// spec/report.md (authenticity report v1). Its JSON encoding is
// deterministic: maps are written with sorted keys and floats are rounded
// before they are stored here.
type Report struct {
	Format        string            `json:"format"`
	CreatorID     string            `json:"creator_id"`
	Platform      string            `json:"platform"`
	Handle        string            `json:"handle"`
	ObservedAt    string            `json:"observed_at"`
	Model         string            `json:"model"`
	InputSHA256   string            `json:"input_sha256"`
	Authenticity  float64           `json:"authenticity"`
	Verdict       string            `json:"verdict"`
	FakeFollowers FakeShare         `json:"fake_followers"`
	Signals       map[string]Signal `json:"signals"`
	GrowthSpikes  []Spike           `json:"growth_spikes"`
	Reasons       []Reason          `json:"reasons"`
	Warnings      []string          `json:"warnings"`

	// Extensions (the contract allows added fields).

	// Baseline is the score every reason's impact is measured from: the
	// impacts add up to Authenticity - Baseline.
	Baseline float64 `json:"baseline"`
	// Tier is the follower tier the creator is compared within.
	Tier string `json:"tier"`

	// Detail feeds the charts; it is not written to JSON.
	Detail *Detail `json:"-"`
}

// FakeShare is the estimated share of the whole follower base that is
// fake, with a 90% interval. All fields are null when no followers were
// given.
type FakeShare struct {
	Estimate *float64 `json:"estimate"`
	Low      *float64 `json:"low"`
	High     *float64 `json:"high"`
	Basis    *int     `json:"basis"`
	Method   *string  `json:"method"`
}

// Signal is one signal's value for the creator, set against comparable
// creators (same platform and follower tier).
type Signal struct {
	Value      float64  `json:"value"`
	Typical    *float64 `json:"typical"`
	Percentile *float64 `json:"percentile"`
	Flag       bool     `json:"flag"`
}

// Spike is one burst in the follower series.
type Spike struct {
	Start       string  `json:"start"`
	End         string  `json:"end"`
	Gained      int64   `json:"gained"`
	Expected    int64   `json:"expected"`
	Kind        string  `json:"kind"`
	ExplainedBy *string `json:"explained_by"`

	// Extension (the contract allows added fields).

	// Unchecked marks a spike that began before the earliest listed post
	// of a list that may be partial: no post could be checked against it,
	// so it is not called suspicious (kind organic, explained_by null),
	// and a warning says so.
	Unchecked bool `json:"unchecked,omitempty"`
}

// Reason is one fact that moved the score, with its impact in score
// points (negative lowers authenticity).
type Reason struct {
	Signal string  `json:"signal"`
	Impact float64 `json:"impact"`
	Text   string  `json:"text"`
}

// ErrorLine is the one line a batch writes for a document that could not
// be scored.
type ErrorLine struct {
	Format    string    `json:"format"`
	Line      int       `json:"line,omitempty"`
	Source    string    `json:"source,omitempty"`
	CreatorID string    `json:"creator_id,omitempty"`
	Error     ErrorBody `json:"error"`
}

// ErrorBody names the field at fault and what was wrong with it.
type ErrorBody struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Detail is what the charts of a report need beyond the report itself:
// the series, each follower's fake probability and creation date, the
// fingerprint runs and what the comments are made of. It is not part of
// the JSON contract (the report omits it) and is nil for a report read
// back from JSON.
type Detail struct {
	Series    []SeriesPoint   // the creator's follower count, oldest first
	Followers []FollowerPoint // in list order (oldest follower first)
	Runs      []Run           // follower-fingerprint runs, by list index
	Comments  CommentMix
	// Typical values of the tier for the reciprocity and engagement chart,
	// by signal name (absent when not known).
	Typical map[string]float64
}

// SeriesPoint is one snapshot of the follower count.
type SeriesPoint struct {
	At        time.Time
	Followers int64
}

// FollowerPoint is one follower as the charts draw it.
type FollowerPoint struct {
	CreatedAt time.Time // zero when unknown
	PFake     float64
	InRun     bool // inside a follower-fingerprint run
}

// Run is a half-open range [Start, End) of follower list indices whose
// accounts were created together shortly before they followed.
type Run struct {
	Start, End             int
	WindowStart, WindowEnd time.Time
}

// CommentMix counts what the comments are made of; each comment is
// counted once, in the first class that fits, in this order: pod,
// duplicate or template, emoji-only, generic, genuine.
type CommentMix struct {
	Pod       int
	Duplicate int
	EmojiOnly int
	Generic   int
	Genuine   int
}
