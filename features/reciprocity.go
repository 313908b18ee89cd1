package features

import (
	"slices"
	"strings"
)

// reciprocity computes reply_reciprocity, question_reply_share and
// thread_depth over the threads that other people started: a thread is a
// top-level comment (no reply_to, or one naming no comment of the post)
// with every reply below it.
func reciprocity(v *view, s *Signals, w *warnings) {
	if len(v.others) == 0 {
		why := noComments(v)
		w.add(ReplyReciprocity, why)
		w.add(QuestionReplyShare, why)
		w.add(ThreadDepth, why)
		return
	}
	creator := v.h.Creator.ID
	var tops, answered, questions, qAnswered, depthSum int
	for _, cs := range v.comments {
		depth, root := threads(cs)
		// For each top-level comment: deepest comment of its thread, and
		// whether the creator wrote in it.
		deepest := make([]int, len(cs))
		byCreator := make([]bool, len(cs))
		for j, c := range cs {
			r := root[j]
			deepest[r] = max(deepest[r], depth[j])
			if j != r && c.AuthorID == creator {
				byCreator[r] = true
			}
		}
		for j, c := range cs {
			if root[j] != j || c.AuthorID == creator {
				continue
			}
			tops++
			depthSum += deepest[j]
			if byCreator[j] {
				answered++
			}
			if isQuestion(c.Text) {
				questions++
				if byCreator[j] {
					qAnswered++
				}
			}
		}
	}
	if tops == 0 {
		w.add(ReplyReciprocity, "no top-level comments by others")
		w.add(QuestionReplyShare, "no top-level comments by others")
		w.add(ThreadDepth, "no top-level comments by others")
		return
	}
	s.Values[ReplyReciprocity] = float64(answered) / float64(tops)
	s.Values[ThreadDepth] = float64(depthSum) / float64(tops)
	if questions == 0 {
		w.add(QuestionReplyShare, "no questions among top-level comments by others")
	} else {
		s.Values[QuestionReplyShare] = float64(qAnswered) / float64(questions)
	}
}

// isQuestion reports whether a comment asks something: it has "?", "¿",
// "？" or "؟" (each search is a vectorised byte scan).
func isQuestion(text string) bool {
	return strings.IndexByte(text, '?') >= 0 || strings.Contains(text, "¿") ||
		strings.Contains(text, "？") || strings.Contains(text, "؟")
}

// threads returns, for each comment of one post (sorted by id), its depth (1 for a
// top-level comment, 2 for a reply to it, ...) and the index of its
// thread's top-level comment. A reply_to that names no comment of the
// post makes a top-level comment; so does a cycle of replies, at the
// comment where the cycle is found. Each comment is visited once, and
// its parent found by binary search: O(n log n).
func threads(cs []*Comment) (depth, root []int) {
	// cs is sorted by id (see view), so a parent is found by binary
	// search; with duplicate ids, the first one.
	parent := func(j int) int {
		if !cs[j].ReplyTo.OK {
			return -1
		}
		id := cs[j].ReplyTo.V
		p, ok := slices.BinarySearchFunc(cs, id, func(c *Comment, id string) int { return strings.Compare(c.ID, id) })
		if !ok {
			return -1
		}
		return p
	}
	depth = make([]int, len(cs))
	root = make([]int, len(cs))
	onPath := make([]bool, len(cs))
	var path []int
	for j := range cs {
		if depth[j] != 0 {
			continue
		}
		path = path[:0]
		for k := j; ; {
			if depth[k] != 0 {
				break
			}
			if onPath[k] { // a cycle: k becomes a top-level comment
				depth[k], root[k] = 1, k
				break
			}
			onPath[k] = true
			path = append(path, k)
			p := parent(k)
			if p < 0 {
				depth[k], root[k] = 1, k
				break
			}
			k = p
		}
		for i := len(path) - 1; i >= 0; i-- {
			k := path[i]
			onPath[k] = false
			if depth[k] != 0 {
				continue
			}
			p := parent(k)
			depth[k], root[k] = depth[p]+1, root[p]
		}
	}
	return depth, root
}
