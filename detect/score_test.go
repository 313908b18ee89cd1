package detect_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"bonafide/detect"
	"bonafide/detect/model"
	"bonafide/features"
)

// engineWith returns an engine on the default follower model with the
// hand-built creator model of testModel and norms measured on the
// committed authentic samples.
func engineWith(t *testing.T, samples []sample) *detect.Engine {
	t.Helper()
	b, err := model.Default(features.ProfileSchema())
	if err != nil {
		t.Fatal(err)
	}
	bare, err := detect.New(b, detect.Options{}, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	var values []map[string]float64
	var platforms, tiers []string
	for _, s := range samples {
		ev, err := bare.Evidence(context.Background(), s.doc.History)
		if err != nil {
			t.Fatal(err)
		}
		v := map[string]float64{"fake_followers": ev.Share.Estimate}
		for k, x := range ev.Signals.Values {
			v[k] = x
		}
		values = append(values, v)
		platforms = append(platforms, s.doc.History.Platform)
		tiers = append(tiers, detect.Tier(s.doc.History.Creator.Followers))
	}
	m := testModel(t)
	m.Norms = detect.BuildNorms(values, platforms, tiers, 3)
	m.Rates = detect.ShareRates{TPR: 0.8, FPR: 0.03, Positives: 500, Negatives: 500, TPRRange: [2]float64{0.7, 0.9}}
	raw, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	withModel := *b
	withModel.Creator = raw
	e, err := detect.New(&withModel, detect.Options{}, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	if got := e.Rates(); got != m.Rates {
		t.Errorf("engine corrects with %+v, want the creator model's %+v", got, m.Rates)
	}
	return e
}

// TestVetWithACreatorModel vets the committed samples with a creator
// model: the score is 100 × (1 − P(inauthentic)), the impacts add up to
// the distance from the baseline, every signal gets its norm, a flag
// needs a reason that lowered the score, and the texts set the creator
// beside the typical value.
func TestVetWithACreatorModel(t *testing.T) {
	samples := loadSamples(t)
	e := engineWith(t, samples)
	m := testModel(t)
	for _, s := range samples {
		t.Run(s.name, func(t *testing.T) {
			r, err := e.Vet(context.Background(), s.doc)
			if err != nil {
				t.Fatal(err)
			}
			ev, err := e.Evidence(context.Background(), s.doc.History)
			if err != nil {
				t.Fatal(err)
			}
			all := ev.Vector(nil)
			want := 100 * (1 - 1/(1+math.Exp(-(m.PlattA*m.Margin(all)+m.PlattB))))
			if math.Abs(r.Authenticity-want) > 0.006 {
				t.Errorf("authenticity %v, want %v", r.Authenticity, want)
			}
			var sum float64
			impact := map[string]float64{}
			for _, re := range r.Reasons {
				sum += re.Impact
				impact[re.Signal] = re.Impact
				if re.Signal != "fake_followers" && !strings.Contains(re.Text, "typical for") {
					t.Errorf("reason without a typical value: %q", re.Text)
				}
			}
			if d := math.Abs(sum - (r.Authenticity - r.Baseline)); d > 0.0051 {
				t.Errorf("impacts add up to %v, score - baseline = %v", sum, r.Authenticity-r.Baseline)
			}
			for name, sg := range r.Signals {
				if sg.Typical == nil || sg.Percentile == nil {
					t.Errorf("%s has no norm", name)
				}
				if sg.Flag && impact[name] >= 0 {
					t.Errorf("%s flagged without lowering the score (impact %v)", name, impact[name])
				}
			}
			for _, w := range r.Warnings {
				if strings.Contains(w, "provisional") {
					t.Errorf("provisional warning with a creator model: %s", w)
				}
			}
		})
	}
}
