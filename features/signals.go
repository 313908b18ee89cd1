package features

import (
	"cmp"
	"slices"
	"time"
)

// Signal keys, as they appear in the report's "signals" object. Names
// returns them in their fixed order.
const (
	GrowthSpikeShare         = "growth_spike_share"
	FollowerFingerprint      = "follower_fingerprint"
	CommentDiversity         = "comment_diversity"
	NearDuplicateShare       = "near_duplicate_share"
	CommentEntropy           = "comment_entropy"
	GenericCommentShare      = "generic_comment_share"
	PodScore                 = "pod_score"
	ReplyReciprocity         = "reply_reciprocity"
	QuestionReplyShare       = "question_reply_share"
	ThreadDepth              = "thread_depth"
	CommenterFollowerShare   = "commenter_follower_share"
	SuspiciousCommenterShare = "suspicious_commenter_share"
	EngagementRate           = "engagement_rate"
	LikesPerComment          = "likes_per_comment"
	ViewsPerLike             = "views_per_like"
	SelfRepeatShare          = "self_repeat_share"
)

// GrowthSpikes is the report key of the spike list (Signals.Spikes); it
// is a list, not a value, so it is not among Names.
const GrowthSpikes = "growth_spikes"

// Names lists every key Extract can put in Signals.Values, in a fixed
// order: growth, follower fingerprint, comment text, pods, reciprocity,
// commenters, engagement, then the signals added since (self_repeat_share). The order is part of the contract with the
// creator model; adding a signal appends to it.
func Names() []string {
	return []string{
		GrowthSpikeShare,
		FollowerFingerprint,
		CommentDiversity,
		NearDuplicateShare,
		CommentEntropy,
		GenericCommentShare,
		PodScore,
		ReplyReciprocity,
		QuestionReplyShare,
		ThreadDepth,
		CommenterFollowerShare,
		SuspiciousCommenterShare,
		EngagementRate,
		LikesPerComment,
		ViewsPerLike,
		SelfRepeatShare,
	}
}

// Signals is what Extract found in one History.
type Signals struct {
	// Values holds each computed signal by its report key (see Names). A
	// signal that could not be computed is absent, and Warnings says why.
	Values map[string]float64
	// Spikes are the growth spikes of the follower series, oldest first.
	Spikes []Spike
	// Fingerprint are the runs of the follower fingerprint, in list order.
	Fingerprint []Run
	// Pod are the author ids of the engagement-pod group found, sorted;
	// empty when there is none.
	Pod []string
	// CommentMix counts other people's comments by kind, for a chart.
	CommentMix CommentMix
	// Warnings says why a signal was not computed, or what limits one that
	// was (pod_score without comment times), one line each, prefixed with
	// the signal's key ("comment_diversity: no comments given"), in Names
	// order.
	Warnings []string
}

// Spike kinds.
const (
	SpikeOrganic    = "organic"
	SpikeSuspicious = "suspicious"
)

// Spike is a burst in the follower series: one or more consecutive
// snapshot intervals whose daily gain stood far above the rolling norm.
type Spike struct {
	Start, End time.Time // the snapshots before and after the burst
	Gained     int64     // followers gained from Start to End
	Expected   int64     // what the rolling median rate predicts for the same span
	Kind       string    // SpikeOrganic or SpikeSuspicious
	// ExplainedBy is the id of the post that explains an organic spike (a
	// post that went viral, or a giveaway); "" for suspicious spikes.
	ExplainedBy string
	// Giveaway is set when ExplainedBy is a giveaway post.
	Giveaway bool
	// Unchecked is set on a spike that began before the earliest listed
	// post of a list that may be partial (a document's recent posts): no
	// post could be checked against it, so it is not called suspicious
	// (Kind is SpikeOrganic, ExplainedBy empty) unless the follower list
	// shows a bought batch in it.
	Unchecked bool
}

// Run is a run of consecutive followers (History.Followers[Start:End])
// whose accounts were all created in a narrow window, shortly before they
// followed: the mark of a bought batch.
type Run struct {
	Start, End             int       // half-open indices into History.Followers
	WindowStart, WindowEnd time.Time // earliest and latest account creation in the run
}

// CommentMix counts other people's comments (not the creator's) by kind.
// Each comment is counted once, in the first kind that applies, in this
// order: Pod, EmojiOnly, Generic, Template, Genuine.
type CommentMix struct {
	Genuine   int // says something specific, and is not a repeated template
	Generic   int // mention-only, short generic praise, or short without content
	EmojiOnly int // no words: emoji, punctuation or empty
	Template  int // specific, but the same template as another comment
	Pod       int // written by a member of the engagement pod found
}

// Extract computes every signal it can from h. fake, if non-nil, gives
// P(fake) for a follower id whose profile is known (the engine passes the
// follower model's scores); signals needing it are skipped (with a
// warning) when it is nil. Extract is pure and deterministic: it does not
// modify h, reads no clock, and gives the same result for any order of
// the posts and of the comments within a post.
func Extract(h *History, fake func(followerID string) (p float64, ok bool)) Signals {
	v := newView(h)
	s := Signals{Values: make(map[string]float64, len(Names()))}
	var w warnings

	growth(v, &s, &w)
	fingerprint(v, &s, &w)
	c := commentText(v, &s, &w)
	pods(v, &s, &w)
	commentMix(v, c, &s)
	reciprocity(v, &s, &w)
	commenters(v, fake, &s, &w)
	engagement(v, &s, &w)

	s.Warnings = w.sorted()
	return s
}

// warnings collects why signals were not computed.
type warnings struct{ lines []warning }

type warning struct {
	order int
	text  string
}

// add records that signal key was not computed, and why.
func (w *warnings) add(key, why string) {
	order := slices.Index(Names(), key)
	if order < 0 {
		order = len(Names())
	}
	w.lines = append(w.lines, warning{order, key + ": " + why})
}

// sorted returns the warnings in Names order.
func (w *warnings) sorted() []string {
	slices.SortStableFunc(w.lines, func(a, b warning) int { return cmp.Compare(a.order, b.order) })
	out := make([]string, len(w.lines))
	for i, l := range w.lines {
		out[i] = l.text
	}
	return out
}

// view is a History in a canonical order, so that no signal depends on
// the order of posts or comments in the document.
type view struct {
	h      *History
	series []SeriesPoint // sorted by At
	posts  []*Post       // sorted by CreatedAt, then ID
	// comments[i] are the comments of posts[i], sorted by ID (then author
	// and text, for documents that break the uniqueness rule).
	comments [][]*Comment
	// others are the comments not written by the creator, post by post,
	// in canonical order.
	others []ref
	// authors are the distinct authors of others, in order of first
	// appearance; ref.author indexes it, and authorIndex maps an author
	// id to its index.
	authors     []string
	authorIndex map[string]int
}

// ref is a comment with the index (in view.posts) of its post and the
// index (in view.authors) of its author.
type ref struct {
	post   int
	author int
	c      *Comment
}

func newView(h *History) *view {
	v := &view{h: h}
	v.series = slices.Clone(h.Series)
	slices.SortStableFunc(v.series, func(a, b SeriesPoint) int { return a.At.Compare(b.At) })

	v.posts = make([]*Post, len(h.Posts))
	for i := range h.Posts {
		v.posts[i] = &h.Posts[i]
	}
	slices.SortFunc(v.posts, func(a, b *Post) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	v.comments = make([][]*Comment, len(v.posts))
	total := 0
	for _, p := range v.posts {
		total += len(p.Comments)
	}
	index := make(map[string]int, total)
	v.authorIndex = index
	v.others = make([]ref, 0, total)
	for i, p := range v.posts {
		cs := make([]*Comment, len(p.Comments))
		for j := range p.Comments {
			cs[j] = &p.Comments[j]
		}
		slices.SortFunc(cs, compareComments)
		v.comments[i] = cs
		for _, c := range cs {
			if c.AuthorID == h.Creator.ID {
				continue
			}
			a, ok := index[c.AuthorID]
			if !ok {
				a = len(v.authors)
				index[c.AuthorID] = a
				v.authors = append(v.authors, c.AuthorID)
			}
			v.others = append(v.others, ref{post: i, author: a, c: c})
		}
	}
	return v
}

func compareComments(a, b *Comment) int {
	if c := cmp.Compare(a.ID, b.ID); c != 0 {
		return c
	}
	if c := cmp.Compare(a.AuthorID, b.AuthorID); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Text, b.Text); c != 0 {
		return c
	}
	if c := cmp.Compare(a.ReplyTo.V, b.ReplyTo.V); c != 0 {
		return c
	}
	return a.CreatedAt.V.Compare(b.CreatedAt.V)
}

// median returns the median of xs, sorting xs in place; 0 for none.
func median(xs []float64) float64 {
	n := len(xs)
	if n == 0 {
		return 0
	}
	slices.Sort(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}
