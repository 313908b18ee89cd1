package features_test

import (
	"slices"
	"testing"

	"bonafide/features"
)

func TestEngagement(t *testing.T) {
	some := features.SomeInt
	posts := func() []features.Post {
		return []features.Post{
			{ID: "p1", CreatedAt: date(2026, 11, 1), Likes: some(100), CommentsCount: some(10), Views: some(1000)},
			// comments_count absent: the two listed comments count.
			{ID: "p2", CreatedAt: date(2026, 11, 2), Likes: some(200), Comments: []features.Comment{
				{ID: "a", AuthorID: "x", Text: "hi"}, {ID: "b", AuthorID: "y", Text: "yo"}}},
			// likes unknown: left out of every ratio.
			{ID: "p3", CreatedAt: date(2026, 11, 3), Views: some(5000), CommentsCount: some(40)},
			{ID: "p4", CreatedAt: date(2026, 11, 4), Likes: some(50), CommentsCount: some(0), Views: some(400)},
		}
	}
	noLikes := posts()
	for i := range noLikes {
		noLikes[i].Likes = features.OptInt{}
	}
	noViews := posts()
	for i := range noViews {
		noViews[i].Views = features.OptInt{}
	}
	noComments := posts()[3:]

	for _, tc := range []struct {
		name      string
		posts     []features.Post
		followers int64
		want      map[string]float64 // -1: not computed
		warn      []string
	}{
		{"by hand", posts(), 1000, map[string]float64{
			features.EngagementRate:  0.11,       // median of 0.11, 0.202, 0.05
			features.LikesPerComment: 350.0 / 12, // p1, p2, p4
			features.ViewsPerLike:    1400.0 / 150,
		}, nil},
		{"no followers", posts(), 0, map[string]float64{
			features.EngagementRate:  -1,
			features.LikesPerComment: 350.0 / 12,
		}, []string{"engagement_rate: creator has no followers"}},
		{"no likes", noLikes, 1000, map[string]float64{
			features.EngagementRate: -1, features.LikesPerComment: -1, features.ViewsPerLike: -1,
		}, []string{"engagement_rate: no post has a like count", "likes_per_comment: no post has a like count",
			"views_per_like: no post has both views and likes"}},
		{"no views", noViews, 1000, map[string]float64{features.ViewsPerLike: -1},
			[]string{"views_per_like: no post has both views and likes"}},
		{"no comments", noComments, 1000, map[string]float64{
			features.EngagementRate: 0.05, features.LikesPerComment: -1, features.ViewsPerLike: 8,
		}, []string{"likes_per_comment: no comments on posts with a like count"}},
		{"no posts", nil, 1000, map[string]float64{
			features.EngagementRate: -1, features.LikesPerComment: -1, features.ViewsPerLike: -1,
		}, []string{"engagement_rate: no posts given", "likes_per_comment: no posts given", "views_per_like: no posts given"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := &features.History{ObservedAt: observed, Creator: features.Creator{ID: "me", Followers: tc.followers}, Posts: tc.posts}
			s := features.Extract(h, nil)
			for k, want := range tc.want {
				got, ok := s.Values[k]
				switch {
				case want < 0 && ok:
					t.Errorf("%s = %v, want not computed", k, got)
				case want >= 0 && (!ok || diff(got, want) > 1e-12):
					t.Errorf("%s = %v (computed %v), want %v", k, got, ok, want)
				}
			}
			for _, w := range tc.warn {
				if !slices.Contains(s.Warnings, w) {
					t.Errorf("warnings %q lack %q", s.Warnings, w)
				}
			}
		})
	}
}
