package report

import (
	"sort"
	"strings"
)

// unit says how a signal's value reads.
type unit int

const (
	unitNumber  unit = iota // a plain number, two decimals at most
	unitShare               // a share in [0, 1], shown as a percentage
	unitBits                // token entropy in bits
	unitPercent             // already a percentage
)

// signalInfo is what the page says about a signal it knows.
type signalInfo struct {
	name  string
	label string
	unit  unit
}

// catalogue returns the signals the page knows, in the order it lists
// them: audience first, then growth, comments, reciprocity and engagement.
// Signals outside it are listed after, by name.
func catalogue() []signalInfo {
	return []signalInfo{
		{"fake_followers", "Fake followers", unitShare},
		{"follower_fingerprint", "Followers in bought-batch runs", unitShare},
		{"growth_spike_share", "Followers gained in suspicious spikes", unitShare},
		{"growth_spikes", "Growth spikes", unitNumber},
		{"comment_diversity", "Distinct comments", unitShare},
		{"near_duplicate_share", "Near-duplicate or template comments", unitShare},
		{"comment_entropy", "Comment vocabulary, in bits", unitBits},
		{"generic_comment_share", "Generic or emoji-only comments", unitShare},
		{"self_repeat_share", "Comments one account pasted again", unitShare},
		{"pod_score", "Engagement-pod score", unitNumber},
		{"suspicious_commenter_share", "Commenters who look fake", unitShare},
		{"commenter_follower_share", "Commenters who follow", unitShare},
		{"reply_reciprocity", "Comments the creator answers", unitShare},
		{"question_reply_share", "Questions the creator answers", unitShare},
		{"thread_depth", "Conversation depth", unitNumber},
		{"engagement_rate", "Engagement rate", unitShare},
		{"likes_per_comment", "Likes per comment", unitNumber},
		{"views_per_like", "Views per like", unitNumber},
	}
}

// benchmarkSignals are the signals of the "against the tier" chart.
func benchmarkSignals() []string {
	return []string{
		"reply_reciprocity", "question_reply_share", "thread_depth",
		"engagement_rate", "likes_per_comment", "views_per_like",
	}
}

// lookup returns what the page knows about a signal; an unknown one gets
// its name as a label and plain numbers.
func lookup(name string) signalInfo {
	for _, s := range catalogue() {
		if s.name == name {
			return s
		}
	}
	label := strings.ReplaceAll(name, "_", " ")
	if label != "" {
		label = strings.ToUpper(label[:1]) + label[1:]
	}
	return signalInfo{name: name, label: label, unit: unitNumber}
}

// formatValue formats a signal value in its unit.
func (s signalInfo) formatValue(v float64) string {
	switch s.unit {
	case unitShare:
		return percent(v)
	case unitPercent:
		return fixed(v, 1) + "%"
	case unitBits:
		return fixed(v, 2) + " bits"
	}
	return number(v)
}

// orderedSignalNames lists the names of m: the catalogue's first, in its
// order, then the others sorted, so that no map order leaks into the page.
func orderedSignalNames[V any](m map[string]V) []string {
	var names []string
	known := map[string]bool{}
	for _, s := range catalogue() {
		known[s.name] = true
		if _, ok := m[s.name]; ok {
			names = append(names, s.name)
		}
	}
	var rest []string
	for name := range m {
		if !known[name] {
			rest = append(rest, name)
		}
	}
	sort.Strings(rest)
	return append(names, rest...)
}
