package features

// postComments returns the post's comment count: comments_count when
// given, else the number of comments listed (a lower bound).
func postComments(p *Post) int64 {
	if p.CommentsCount.OK {
		return p.CommentsCount.V
	}
	return int64(len(p.Comments))
}

// engagement computes engagement_rate, likes_per_comment and
// views_per_like from the posts' counts.
func engagement(v *view, s *Signals, w *warnings) {
	if len(v.posts) == 0 {
		for _, k := range []string{EngagementRate, LikesPerComment, ViewsPerLike} {
			w.add(k, "no posts given")
		}
		return
	}
	followers := v.h.Creator.Followers
	var rates []float64
	// Sums in float64: counts near the int64 limit must not overflow.
	var likes, comments, vLikes, views float64
	withLikes, withViews := 0, 0
	for _, p := range v.posts {
		if !p.Likes.OK {
			continue
		}
		withLikes++
		l, c := float64(p.Likes.V), float64(postComments(p))
		if followers > 0 {
			rates = append(rates, (l+c)/float64(followers))
		}
		likes += l
		comments += c
		if p.Views.OK {
			withViews++
			views += float64(p.Views.V)
			vLikes += l
		}
	}
	switch {
	case withLikes == 0:
		w.add(EngagementRate, "no post has a like count")
	case followers <= 0:
		w.add(EngagementRate, "creator has no followers")
	default:
		s.Values[EngagementRate] = median(rates)
	}
	switch {
	case withLikes == 0:
		w.add(LikesPerComment, "no post has a like count")
	case comments == 0:
		w.add(LikesPerComment, "no comments on posts with a like count")
	default:
		s.Values[LikesPerComment] = likes / comments
	}
	switch {
	case withViews == 0:
		w.add(ViewsPerLike, "no post has both views and likes")
	case vLikes == 0:
		w.add(ViewsPerLike, "no likes on posts with views")
	default:
		s.Values[ViewsPerLike] = views / vLikes
	}
}
