// Package detect turns a creator's History into a Report: it scores the
// followers with the bundle's follower model, estimates the fake share
// with an interval, extracts the signals, scores authenticity and explains
// the score. It does no I/O of its own beyond what it is given, keeps no
// state between calls, and never imports a learning library.
package detect

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"math"

	"github.com/rs/zerolog"

	"bonafide/detect/model"
	"bonafide/features"
)

// ErrNoModel is returned when the engine is built without a bundle.
// Errors may be wrapped with more detail; test with errors.Is.
var ErrNoModel = errors.New("detect: no model loaded")

// Options tune an Engine. The zero value is valid.
type Options struct {
	// FollowerScore, if non-nil, wraps the scoring of each follower: it
	// is given the platform, the follower and a func that scores it with
	// the model, and returns P(fake). The batch runner uses it to cache
	// scores of followers shared by many creators. It may be called
	// concurrently from several Vet calls.
	FollowerScore func(platform string, f *features.Follower, vector []float64, score func() float64) float64
}

// An Engine scores creator histories with one model bundle. It is safe
// for concurrent use.
type Engine struct {
	bundle  *model.Bundle
	creator *CreatorModel // nil: the provisional score
	rates   ShareRates    // the fake-share correction's rates
	model   string        // name and digest, as the report gives it
	opts    Options
	log     zerolog.Logger
}

// New returns an Engine that scores with b.
func New(b *model.Bundle, opts Options, log zerolog.Logger) (*Engine, error) {
	if b == nil || b.Follower == nil {
		return nil, ErrNoModel
	}
	cm, err := ParseCreatorModel(b.Creator)
	if err != nil {
		return nil, fmt.Errorf("bundle %s: %w", b.Name, err)
	}
	rates := RatesOf(b)
	if cm != nil {
		rates = cm.Rates
	}
	return &Engine{
		bundle:  b,
		creator: cm,
		rates:   rates,
		model:   ModelName(b),
		opts:    opts,
		log:     log.With().Str("component", "detect").Logger(),
	}, nil
}

// Model identifies the bundle: its name and content digest.
func (e *Engine) Model() string { return e.model }

// ModelName is what Model returns for an engine of b, without building one.
func ModelName(b *model.Bundle) string { return b.Name + "@" + b.Digest() }

// Vet scores one decoded document. The report is a pure function of the
// document and the bundle.
func (e *Engine) Vet(ctx context.Context, doc features.Document) (Report, error) {
	if doc.Err != nil {
		return Report{}, doc.Err
	}
	h := doc.History
	if h == nil {
		return Report{}, errors.New("vet: document has no history")
	}
	if err := ctx.Err(); err != nil {
		return Report{}, err
	}
	ev, err := e.Evidence(ctx, h)
	if err != nil {
		return Report{}, fmt.Errorf("vet %s: %w", h.Creator.ID, err)
	}
	sig, share := ev.Signals, ev.Share

	r := Report{
		Format:        ReportFormat,
		CreatorID:     h.Creator.ID,
		Platform:      h.Platform,
		Handle:        h.Creator.Handle,
		ObservedAt:    h.ObservedAt.UTC().Format("2006-01-02T15:04:05Z07:00"),
		Model:         e.model,
		InputSHA256:   hex.EncodeToString(doc.SHA256[:]),
		FakeFollowers: share.report(),
		Signals:       map[string]Signal{},
		GrowthSpikes:  []Spike{},
		Reasons:       []Reason{},
		Warnings:      []string{},
		Tier:          Tier(h.Creator.Followers),
	}
	for _, w := range doc.Warnings {
		r.Warnings = append(r.Warnings, w.String())
	}
	r.Warnings = append(r.Warnings, sig.Warnings...)
	r.Warnings = append(r.Warnings, share.Warnings...)
	for _, s := range sig.Spikes {
		sp := Spike{
			Start:     s.Start.UTC().Format("2006-01-02"),
			End:       s.End.UTC().Format("2006-01-02"),
			Gained:    s.Gained,
			Expected:  s.Expected,
			Kind:      s.Kind,
			Unchecked: s.Unchecked,
		}
		if s.ExplainedBy != "" {
			by := s.ExplainedBy
			sp.ExplainedBy = &by
		}
		r.GrowthSpikes = append(r.GrowthSpikes, sp)
	}
	for name, v := range sig.Values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		r.Signals[name] = Signal{Value: round(v, 4)}
	}
	e.score(&r, ev)
	r.Detail = detail(h, ev.Probs, sig, r.Signals)
	e.log.Debug().Str("creator", r.CreatorID).Float64("authenticity", r.Authenticity).Str("verdict", r.Verdict).Msg("vetted")
	return r, nil
}

// scoreFollowers returns P(fake) for each follower, in list order.
//
// Each follower is read without the follower model's blind feature (the
// account's age, model.Ensemble.Blind): an account's age at observation
// is the time since it followed plus its age when it followed, so the
// most recent followers of any creator are younger than its older base
// and read as faker, and a document without creation dates (Instagram
// shows none) would be read unlike one with them. Without it, a
// follower's P(fake) does not depend on when it followed nor on whether
// its creation date is known; the creation dates still serve the growth
// scan (bought batches).
func (e *Engine) scoreFollowers(ctx context.Context, h *features.History) ([]float64, error) {
	probs := make([]float64, len(h.Followers))
	buf := make([]float64, 0, len(features.ProfileNames()))
	blind := e.bundle.Follower.Blind()
	// One closure for every follower: it reads buf as the loop sets it.
	fn := func() float64 { return e.bundle.Follower.Predict(buf) }
	for i := range h.Followers {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		f := &h.Followers[i]
		buf = features.ProfileOf(*f, h.ObservedAt).Vector(buf[:0])
		if blind >= 0 && blind < len(buf) {
			buf[blind] = math.NaN()
		}
		if e.opts.FollowerScore != nil {
			probs[i] = e.opts.FollowerScore(h.Platform, f, buf, fn)
		} else {
			probs[i] = fn()
		}
	}
	return probs, nil
}

// Tier names the follower tier of a creator with n followers: nano
// (<5k), micro-s (5k-20k), micro-l (20k-50k), mid (50k-500k), macro
// (500k-1M) or mega.
func Tier(n int64) string {
	switch {
	case n < 5_000:
		return "nano"
	case n < 20_000:
		return "micro-s"
	case n < 50_000:
		return "micro-l"
	case n < 500_000:
		return "mid"
	case n < 1_000_000:
		return "macro"
	default:
		return "mega"
	}
}

// round rounds v to d decimals, so reports do not carry float noise.
func round(v float64, d int) float64 {
	p := math.Pow(10, float64(d))
	return math.Round(v*p) / p
}

// detail gathers what the charts need beyond the report.
func detail(h *features.History, probs []float64, sig features.Signals, signals map[string]Signal) *Detail {
	d := &Detail{
		Series:    make([]SeriesPoint, len(h.Series)),
		Followers: make([]FollowerPoint, len(h.Followers)),
		Runs:      make([]Run, len(sig.Fingerprint)),
		Comments: CommentMix{
			Pod:       sig.CommentMix.Pod,
			Duplicate: sig.CommentMix.Template,
			EmojiOnly: sig.CommentMix.EmojiOnly,
			Generic:   sig.CommentMix.Generic,
			Genuine:   sig.CommentMix.Genuine,
		},
		Typical: map[string]float64{},
	}
	for i, p := range h.Series {
		d.Series[i] = SeriesPoint{At: p.At, Followers: p.Followers}
	}
	for i := range h.Followers {
		d.Followers[i] = FollowerPoint{CreatedAt: h.Followers[i].CreatedAt.V, PFake: probs[i]}
	}
	for i, r := range sig.Fingerprint {
		d.Runs[i] = Run{Start: r.Start, End: r.End, WindowStart: r.WindowStart, WindowEnd: r.WindowEnd}
		for j := r.Start; j < r.End && j < len(d.Followers); j++ {
			d.Followers[j].InRun = true
		}
	}
	for name, s := range signals {
		if s.Typical != nil {
			d.Typical[name] = *s.Typical
		}
	}
	return d
}
