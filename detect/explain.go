package detect

import (
	"fmt"
	"strings"
)

// pathElem is one feature on the path of TreeSHAP: the feature, the share
// of training rows that follow the path where the feature is unknown
// (zero), whether x follows it (one), and the permutation weight.
type pathElem struct {
	feature   int
	zero, one float64
	weight    float64
}

// Attributions returns the exact Shapley values of the model's raw margin
// for a CreatorInputs vector, one per model input (Inputs order), and the
// expected margin they are measured from: expected plus the sum of the
// values is the margin, exactly (up to float rounding). Values come from
// path-dependent TreeSHAP (Lundberg, Erion and Lee 2018, Algorithm 2),
// which weighs the branches x does not take by their training cover.
func (m *CreatorModel) Attributions(all []float64) (phi []float64, expected float64) {
	return m.shap(m.inputs(all)), m.expected
}

// shap returns the TreeSHAP values of the margin for the model's own
// input vector x: from the leaf tables when the model has them (see
// leafTables), else by the recursion of Algorithm 2. Both give the same
// bits.
func (m *CreatorModel) shap(x []float64) []float64 {
	if m.leaves == nil {
		return m.shapRecursive(x)
	}
	phi := make([]float64, len(m.Inputs))
	m.leaves.add(m.Trees, x, phi)
	return phi
}

// shapRecursive is path-dependent TreeSHAP as Algorithm 2 writes it.
func (m *CreatorModel) shapRecursive(x []float64) []float64 {
	phi := make([]float64, len(m.Inputs))
	depth := 0
	for _, nodes := range m.Trees {
		depth = max(depth, treeDepth(nodes, 0))
	}
	// Each level of the recursion takes two paths of at most depth+2
	// elements from the arena: the one it extends and the one it unwinds.
	arena := make([]pathElem, 2*(depth+2)*(depth+3))
	for _, nodes := range m.Trees {
		treeSHAP(nodes, x, phi, 0, nil, 1, 1, -1, arena)
	}
	return phi
}

// treeDepth is the number of splits on the longest path below node j.
func treeDepth(nodes []TreeNode, j int) int {
	n := &nodes[j]
	if n.Feature < 0 {
		return 0
	}
	return 1 + max(treeDepth(nodes, n.Left), treeDepth(nodes, n.Right))
}

// treeSHAP adds to phi the attributions of the subtree at node j, reached
// along path with the given zero and one fractions for feature.
//
// arena is scratch space for the paths of this node and those below it;
// the node's own path lives at its start, so the children, which use
// what follows, leave it intact.
func treeSHAP(nodes []TreeNode, x, phi []float64, j int, path []pathElem, zero, one float64, feature int, arena []pathElem) {
	path = extendPath(arena[:len(path)+1], path, zero, one, feature)
	arena = arena[len(path):]
	n := &nodes[j]
	if n.Feature < 0 {
		for i := 1; i < len(path); i++ {
			phi[path[i].feature] += leafAddend(path, i, n.Value)
		}
		return
	}
	hot, cold := n.Right, n.Left
	if goLeft(n, x) {
		hot, cold = n.Left, n.Right
	}
	inZero, inOne := 1.0, 1.0
	for k := 1; k < len(path); k++ {
		if path[k].feature == n.Feature {
			inZero, inOne = path[k].zero, path[k].one
			path = unwindPath(arena[:len(path)], path, k)
			arena = arena[len(path)+1:]
			break
		}
	}
	cover := max(n.Cover, 1e-12)
	treeSHAP(nodes, x, phi, hot, path, inZero*nodes[hot].Cover/cover, inOne, n.Feature, arena)
	treeSHAP(nodes, x, phi, cold, path, inZero*nodes[cold].Cover/cover, 0, n.Feature, arena)
}

// extendPath writes into out (len(path)+1 elements) a copy of path with
// one more feature, and returns it.
func extendPath(out, path []pathElem, zero, one float64, feature int) []pathElem {
	l := len(path)
	copy(out, path)
	out[l] = pathElem{feature: feature, zero: zero, one: one}
	if l == 0 {
		out[l].weight = 1
	}
	for i := l - 1; i >= 0; i-- {
		out[i+1].weight += one * out[i].weight * float64(i+1) / float64(l+1)
		out[i].weight = zero * out[i].weight * float64(l-i) / float64(l+1)
	}
	return out
}

// unwindPath writes into out (len(path) elements) a copy of path without
// element k, and returns it.
func unwindPath(out, path []pathElem, k int) []pathElem {
	d := len(path) - 1
	copy(out, path)
	one, zero := out[k].one, out[k].zero
	next := out[d].weight
	for i := d - 1; i >= 0; i-- {
		if one != 0 {
			tmp := out[i].weight
			out[i].weight = next * float64(d+1) / (float64(i+1) * one)
			next = tmp - out[i].weight*zero*float64(d-i)/float64(d+1)
		} else {
			out[i].weight = out[i].weight * float64(d+1) / (zero * float64(d-i))
		}
	}
	for i := k; i < d; i++ {
		out[i].feature, out[i].zero, out[i].one = out[i+1].feature, out[i+1].zero, out[i+1].one
	}
	return out[:d]
}

// unwoundSum is the total weight of path with element k unwound.
func unwoundSum(path []pathElem, k int) float64 {
	d := len(path) - 1
	one, zero := path[k].one, path[k].zero
	next := path[d].weight
	var total float64
	for i := d - 1; i >= 0; i-- {
		if one != 0 {
			tmp := next * float64(d+1) / (float64(i+1) * one)
			total += tmp
			next = path[i].weight - tmp*zero*float64(d-i)/float64(d+1)
		} else if zero != 0 {
			total += path[i].weight / zero * float64(d+1) / float64(d-i)
		}
	}
	return total
}

// describe sets each signal against its norm and writes the reasons.
func (e *Engine) describe(r *Report, ev Evidence, impacts []impact) {
	norms := &e.creator.Norms
	points := make(map[string]float64, len(impacts))
	for _, im := range impacts {
		points[im.reason] = im.points
	}
	for name, sg := range r.Signals {
		q, _ := norms.Lookup(ev.Platform, r.Tier, name)
		if q == nil {
			continue
		}
		t, p := round(q.Median(), 4), round(q.Percentile(sg.Value), 1)
		sg.Typical, sg.Percentile = &t, &p
		// Flagged: outside the central 90% of comparable creators, on the
		// side that lowered the score.
		sg.Flag = (p >= 95 || p <= 5) && points[name] < 0
		r.Signals[name] = sg
	}
	for _, im := range impacts {
		r.Reasons = append(r.Reasons, Reason{Signal: im.reason, Impact: im.points, Text: e.reasonText(im.reason, ev, r)})
	}
}

// tierLabels say who a tier compares a creator with.
var tierLabels = map[string]string{
	"nano":    "nano creators (under 5k followers)",
	"micro-s": "micro creators (5k-20k)",
	"micro-l": "micro creators (20k-50k)",
	"mid":     "mid-tier creators (50k-500k)",
	"macro":   "macro creators (500k-1M)",
	"mega":    "mega creators (over 1M)",
}

// platformNames are the platforms as people write them.
var platformNames = map[string]string{
	"instagram": "Instagram", "tiktok": "TikTok", "youtube": "YouTube", "x": "X", "twitch": "Twitch",
}

func platformName(p string) string {
	if n, ok := platformNames[p]; ok {
		return n
	}
	return p
}

// groupLabel says in words which creators a norm cell describes.
func groupLabel(cell string) string {
	platform, tier, _ := strings.Cut(cell, "/")
	who := "creators"
	if l, ok := tierLabels[tier]; ok {
		who = l
	}
	if platform == anyKey {
		if tier == anyKey {
			return "reference creators"
		}
		return who + " on any platform"
	}
	return who + " on " + platformName(platform)
}

// signalPhrases describe a signal's value; %s is the value as formatted
// by the signal's format.
var signalPhrases = map[string]struct {
	phrase string
	share  bool // formatted as a percentage
	format string
}{
	"growth_spike_share":         {"%s of today's followers arrived in suspicious spikes that no post explains", true, ""},
	"follower_fingerprint":       {"%s of the listed followers sit in runs of accounts created together shortly before following", true, ""},
	"comment_diversity":          {"%s of other people's comments are distinct texts", true, ""},
	"near_duplicate_share":       {"%s of comments repeat a template", true, ""},
	"comment_entropy":            {"The comments' vocabulary carries %s bits of entropy", false, "%.1f"},
	"generic_comment_share":      {"%s of comments are generic praise, emoji or mentions only", true, ""},
	"pod_score":                  {"%s of comments come from a fixed group that comments on most posts within minutes", true, ""},
	"reply_reciprocity":          {"The creator answers in %s of the threads others start", true, ""},
	"question_reply_share":       {"The creator answers %s of the questions asked", true, ""},
	"thread_depth":               {"Threads run %s comments deep on average", false, "%.2f"},
	"commenter_follower_share":   {"%s of the commenters follow the creator", true, ""},
	"suspicious_commenter_share": {"%s of the commenters with known profiles look fake", true, ""},
	"engagement_rate":            {"A post draws likes and comments from %s of the followers", true, ""},
	"likes_per_comment":          {"Posts get %s likes per comment", false, "%.0f"},
	"views_per_like":             {"Posts get %s views per like", false, "%.1f"},
	"self_repeat_share":          {"%s of comments are texts one account pasted more than once", true, ""},
}

func formatValue(share bool, format string, v float64) string {
	if share {
		if v > 0 && v < 0.01 {
			return fmt.Sprintf("%.1f%%", 100*v)
		}
		return pct(v)
	}
	return fmt.Sprintf(format, v)
}

// reasonText says in plain words what a reason is about, with the typical
// value of comparable creators beside the creator's own.
func (e *Engine) reasonText(reason string, ev Evidence, r *Report) string {
	norms := &e.creator.Norms
	switch reason {
	case "fake_followers":
		s := ev.Share
		if !s.OK {
			return "No followers were given, so the share of fake followers is unknown."
		}
		whose := "sampled followers"
		switch s.Method {
		case "all":
			whose = "followers"
		case "recent":
			whose = "the most recent followers"
		}
		// The values as the report gives them, so the text and the
		// numbers agree.
		text := fmt.Sprintf("About %s of %s look fake (90%% interval %s-%s)", pct(round(s.Estimate, 4)), whose, pct(round(s.Low, 4)), pct(round(s.High, 4)))
		if q, cell := norms.Lookup(ev.Platform, r.Tier, "fake_followers"); q != nil {
			text += fmt.Sprintf("; typical for %s: %s", groupLabel(cell), pct(q.Median()))
		}
		switch {
		case s.countless:
			text += "; most followers show no follower, following or post count, so it likely runs low and weighs as unknown"
		case !s.Counts():
			text += fmt.Sprintf("; too few followers (%d) for the share to count, so it weighs as unknown", s.Basis)
		}
		return text + "."
	case "follower_tier":
		return fmt.Sprintf("Creators of this size and platform (%d followers on %s) differ in how often they are inauthentic.", ev.Followers, platformName(ev.Platform))
	}
	ph, ok := signalPhrases[reason]
	sg, has := r.Signals[reason]
	if !ok || !has {
		if _, known := ev.Signals.Values[reason]; !known {
			return fmt.Sprintf("%s could not be computed; its absence moved the score.", reason)
		}
		return fmt.Sprintf("%s is %.3g.", reason, ev.Signals.Values[reason])
	}
	text := fmt.Sprintf(ph.phrase, formatValue(ph.share, ph.format, sg.Value))
	if q, cell := norms.Lookup(ev.Platform, r.Tier, reason); q != nil {
		text += fmt.Sprintf("; typical for %s: %s", groupLabel(cell), formatValue(ph.share, ph.format, q.Median()))
	}
	return text + "."
}
