package features

import (
	"math"
	"slices"
)

// commentInfo is what the comment-text signals learnt about each of
// view.others, for the comment mix.
type commentInfo struct {
	kinds []TextKind // ClassifyText of each comment
	group []int      // template group (index into others of its first member)
	size  []int      // size[g]: comments in group g
}

// noComments explains why comment signals are missing.
func noComments(v *view) string {
	if len(v.posts) == 0 {
		return "no posts given"
	}
	for _, cs := range v.comments {
		if len(cs) > 0 {
			return "no comments by anyone but the creator"
		}
	}
	return "no comments given"
}

// commentText computes comment_diversity, near_duplicate_share,
// comment_entropy and generic_comment_share over other people's comments.
func commentText(v *view, s *Signals, w *warnings) commentInfo {
	if len(v.others) == 0 {
		why := noComments(v)
		for _, k := range []string{CommentDiversity, NearDuplicateShare, CommentEntropy, GenericCommentShare, SelfRepeatShare} {
			w.add(k, why)
		}
		return commentInfo{}
	}
	n := len(v.others)
	info := commentInfo{kinds: make([]TextKind, n), size: make([]int, n)}
	keys := make([]string, n)
	tokens := make(map[string]int, 2*n)
	generic := 0
	var sc tokenizer
	for i, r := range v.others {
		t := sc.scan(r.c.Text)
		info.kinds[i] = classify(t)
		// Tagging friends is a person speaking to people, and the mark of
		// giveaway entries, not a generic reaction to the post.
		if k := info.kinds[i]; k.Generic() && k != TextMentionOnly {
			generic++
		}
		keys[i] = templateKey(t)
		for _, word := range t.words {
			tokens[word]++
		}
		for _, e := range t.emoji {
			tokens[string(e)]++
		}
	}
	// Generic comments do not count as templates (below), so they are
	// grouped only with equal texts, which saves their MinHash.
	exact := make([]bool, n)
	for i, k := range info.kinds {
		exact[i] = k.Generic()
	}
	var distinct int
	info.group, distinct = groupKeys(keys, exact)
	for _, g := range info.group {
		info.size[g]++
	}
	// Templates count among specific comments: generic ones ("wow", "nice
	// song") repeat naturally across an audience and are counted by
	// generic_comment_share. A generic text counts only when one account
	// wrote it more than once: pasting the same praise again is not a
	// reaction to a post.
	pasted := pastedGroups(v, info, true)
	dup := 0
	for i, g := range info.group {
		if info.size[g] > 1 && (!info.kinds[i].Generic() || pasted[g]) {
			dup++
		}
	}
	// self_repeat_share: the comments of templates that one account wrote
	// twice or more, whatever their kind.
	self := 0
	repeated := pastedGroups(v, info, false)
	for _, g := range info.group {
		if repeated[g] {
			self++
		}
	}
	s.Values[CommentDiversity] = float64(distinct) / float64(n)
	s.Values[NearDuplicateShare] = float64(dup) / float64(n)
	s.Values[GenericCommentShare] = float64(generic) / float64(n)
	s.Values[SelfRepeatShare] = float64(self) / float64(n)
	if h, ok := entropy(tokens); ok {
		s.Values[CommentEntropy] = h
	} else {
		w.add(CommentEntropy, "comments have no words or emoji")
	}
	return info
}

// pastedGroups reports, for each group of repeated texts (indexed as
// info.group's values; generic texts only with genericOnly), whether one
// account wrote two or more comments of it. Mention-only comments are left
// out: tagging friends again is no paste.
func pastedGroups(v *view, info commentInfo, genericOnly bool) []bool {
	type pair struct{ group, author int }
	var seen map[pair]struct{}
	out := make([]bool, len(info.group))
	for i, g := range info.group {
		if k := info.kinds[i]; out[g] || info.size[g] < 2 || genericOnly && !k.Generic() || k == TextMentionOnly {
			continue
		}
		if seen == nil {
			seen = make(map[pair]struct{})
		}
		p := pair{g, v.others[i].author}
		if _, ok := seen[p]; ok {
			out[g] = true
			continue
		}
		seen[p] = struct{}{}
	}
	return out
}

// entropy returns the Shannon entropy, in bits, of the token counts. It
// sums in a fixed order (sorted counts), so the result does not depend on
// map iteration.
func entropy(counts map[string]int) (float64, bool) {
	cs := make([]int, 0, len(counts))
	total := 0
	for _, c := range counts {
		cs = append(cs, c)
		total += c
	}
	if total == 0 {
		return 0, false
	}
	slices.Sort(cs)
	var sum float64
	for _, c := range cs {
		sum += float64(c) * math.Log2(float64(c))
	}
	h := math.Log2(float64(total)) - sum/float64(total)
	if h < 0 { // rounding, for a single token type
		h = 0
	}
	return h, true
}

// commentMix counts other people's comments by kind (see CommentMix).
func commentMix(v *view, info commentInfo, s *Signals) {
	if len(info.kinds) == 0 {
		return
	}
	for i, r := range v.others {
		_, inPod := slices.BinarySearch(s.Pod, r.c.AuthorID)
		switch k := info.kinds[i]; {
		case inPod:
			s.CommentMix.Pod++
		case k == TextEmojiOnly:
			s.CommentMix.EmojiOnly++
		case k.Generic():
			s.CommentMix.Generic++
		case info.size[info.group[i]] > 1:
			s.CommentMix.Template++
		default:
			s.CommentMix.Genuine++
		}
	}
}

// commenters computes commenter_follower_share and
// suspicious_commenter_share over the distinct authors of other people's
// comments.
func commenters(v *view, fake func(string) (float64, bool), s *Signals, w *warnings) {
	if len(v.others) == 0 {
		why := noComments(v)
		w.add(CommenterFollowerShare, why)
		w.add(SuspiciousCommenterShare, why)
		return
	}
	authors := v.authors

	if why := followerListIncomplete(v.h); why != "" {
		w.add(CommenterFollowerShare, why)
	} else {
		follows := make([]bool, len(authors))
		in := 0
		for i := range v.h.Followers {
			if a, ok := v.authorIndex[v.h.Followers[i].ID]; ok && !follows[a] {
				follows[a] = true
				in++
			}
		}
		s.Values[CommenterFollowerShare] = float64(in) / float64(len(authors))
	}

	if fake == nil {
		w.add(SuspiciousCommenterShare, "no follower scores given")
		return
	}
	known, bad := 0, 0
	for _, a := range authors {
		p, ok := fake(a)
		if !ok || math.IsNaN(p) {
			continue
		}
		known++
		if p > 0.5 {
			bad++
		}
	}
	if known == 0 {
		w.add(SuspiciousCommenterShare, "no commenter's profile is known")
		return
	}
	s.Values[SuspiciousCommenterShare] = float64(bad) / float64(known)
}

// followerListIncomplete says why h.Followers is not the whole follower
// base, or returns "" when it is.
func followerListIncomplete(h *History) string {
	if len(h.Followers) == 0 {
		return "no followers given"
	}
	method := h.Sample.Method
	if method == "" {
		population := h.Creator.Followers
		if h.Sample.Population.OK {
			population = h.Sample.Population.V
		}
		method = SampleRandom
		if int64(len(h.Followers)) >= population {
			method = SampleAll
		}
	}
	if method != SampleAll {
		return "follower list is a sample (method " + method + "), not the whole list"
	}
	return ""
}
