package training

import (
	"fmt"
	"math"
	"strings"
)

// Card is a model card: what a bundle was trained on and under which
// licences, how well it did on held-out data, what it is for and where it
// fails. It is written as Markdown (into the bundle and beside it) and as
// JSON.
type Card struct {
	Name         string       `json:"name"`
	Learner      string       `json:"learner"`
	Seed         uint64       `json:"seed"`
	Schema       string       `json:"feature_schema"`
	TrainingData []SetInfo    `json:"training_data"`
	LicenceNote  string       `json:"licence_note"`
	Metrics      TrainMetrics `json:"metrics"`
	IntendedUse  string       `json:"intended_use"`
	Limits       []string     `json:"known_limits"`
}

// commercialOK lists the licences that allow commercial use.
var commercialOK = []string{"CC BY 4.0", "CC0"}

// NewCard writes the card of a bundle trained as m says.
func NewCard(name string, m TrainMetrics) Card {
	c := Card{
		Name:         name,
		Learner:      m.Learner,
		Seed:         m.Seed,
		Schema:       m.Schema,
		TrainingData: m.Sets,
		Metrics:      m,
		IntendedUse: "Estimating the share of fake or bought accounts among a creator's followers, as one input of " +
			"bonafide's authenticity report. It scores one follower profile at a time with P(fake); the report " +
			"corrects the count of followers called fake with the held-out error rates given under Metrics. It is not meant " +
			"to judge any single account on its own: a person should review before acting on one account.",
		Limits: []string{
			"The training sets are small, old (2013-2020) and collected by researchers in their own ways; fake accounts sold today may look different.",
			"Same-set cross-validation is optimistic: the sets differ in how they were collected, so scores on a new source are lower (see leave-one-dataset-out in `bonafide eval`).",
			"Sets carry different columns; a feature a set lacks is missing for all its rows, so the model may partly learn which set a row came from.",
			"Post aggregates (captions, engagement, posting rhythm) come from Purba 2020 only and are missing for followers read from creator-history documents.",
			"Twitter sets are 2013-2017 profiles; other platforms (TikTok, YouTube, Twitch) have no labelled follower data here.",
			"Held-out error rates are measured on the training sets' mix of fake and real accounts; they transfer to other populations only approximately.",
		},
	}
	var restricted []string
	for _, s := range m.Sets {
		ok := false
		for _, l := range commercialOK {
			if strings.HasPrefix(s.Licence, l) {
				ok = true
			}
		}
		if !ok {
			restricted = append(restricted, fmt.Sprintf("%s (%s)", s.Name, s.Licence))
		}
	}
	if len(restricted) > 0 {
		c.LicenceNote = "NOT FOR COMMERCIAL USE as trained: these training sets are non-commercial, research-only or of unknown licence: " +
			strings.Join(restricted, "; ") + ". A model trained on them may not be fit for commercial use. " +
			"Retrain on data you may use (`bonafide train --sets your.jsonl`) before commercial use."
	} else {
		c.LicenceNote = "Every training set allows commercial use under its licence; check its attribution terms."
	}
	return c
}

// Markdown renders the card.
func (c Card) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Model card: %s\n\n", c.Name)
	fmt.Fprintf(&b, "Follower model (P(fake) per follower account). Learner `%s`, seed %d, feature schema `%s`.\n\n",
		c.Learner, c.Seed, short(c.Schema))
	if c.Metrics.Blind != "" {
		fmt.Fprintf(&b, "An account with `%s` is read twice, with and without it, and the two probabilities averaged: "+
			"only some training sets carry it, so on its own it would send the account down what those sets taught alone.\n\n", c.Metrics.Blind)
	}
	fmt.Fprintf(&b, "## Licence\n\n**%s**\n\n", c.LicenceNote)
	b.WriteString("## Training data\n\n| set | platform | rows kept (fake / real) | duplicates dropped | licence |\n|---|---|---|---|---|\n")
	for _, s := range c.TrainingData {
		fmt.Fprintf(&b, "| %s | %s | %d / %d | %d | %s |\n", s.Name, s.Platform, s.Fake, s.Real, s.Dropped, s.Licence)
	}
	b.WriteString("\n")
	for _, s := range c.TrainingData {
		if s.Citation != "" {
			fmt.Fprintf(&b, "- %s: %s. %s.\n", s.Name, s.Citation, s.Note)
		}
	}
	m := c.Metrics
	fmt.Fprintf(&b, "\n## Metrics (stratified %d-fold cross-validation, out-of-fold, threshold %s)\n\n", m.Folds, num(m.Threshold))
	b.WriteString("| rows | ROC-AUC | PR-AUC | F1 | MCC | precision at 95% recall | ECE | TPR | FPR |\n|---|---|---|---|---|---|---|---|---|\n")
	row := func(name string, x Metrics) {
		fmt.Fprintf(&b, "| %s (%d) | %s | %s | %s | %s | %s | %s | %s | %s |\n", name, x.N, num(x.ROCAUC), num(x.PRAUC),
			num(x.F1), num(x.MCC), num(x.PrecisionAt95Recall), num(x.ECE), num(x.Recall), num(x.FPR))
	}
	row("all", m.CV)
	for _, s := range m.PerSet {
		row(s.Set, s.Metrics)
	}
	fmt.Fprintf(&b, "\nConfusion at the threshold (all rows): TP %d, FP %d, TN %d, FN %d. "+
		"The bundle's held-out rates for adjusted classify-and-count: TPR %s, FPR %s.\n",
		m.CV.Confusion.TP, m.CV.Confusion.FP, m.CV.Confusion.TN, m.CV.Confusion.FN, num(m.Rates.TPR), num(m.Rates.FPR))
	b.WriteString("Same-set cross-validation is optimistic; `bonafide eval --mode lodo` gives leave-one-dataset-out figures.\n")
	fmt.Fprintf(&b, "\n## Intended use\n\n%s\n\n## Known limits\n\n", c.IntendedUse)
	for _, l := range c.Limits {
		fmt.Fprintf(&b, "- %s\n", l)
	}
	return b.String()
}

// num formats a measure with three decimals, "n/a" when undefined.
func num(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "n/a"
	}
	return fmt.Sprintf("%.3f", x)
}

func short(digest string) string {
	if len(digest) > 12 {
		return digest[:12]
	}
	return digest
}
