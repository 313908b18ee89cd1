package features_test

import (
	"fmt"
	"time"

	"bonafide/features"
)

func ExampleExtract() {
	posted := time.Date(2026, 11, 20, 17, 0, 0, 0, time.UTC)
	h := &features.History{
		Platform:   "instagram",
		ObservedAt: time.Date(2026, 11, 24, 6, 0, 0, 0, time.UTC),
		Creator:    features.Creator{ID: "1784", Handle: "greenleaf.skin", Followers: 23800},
		Posts: []features.Post{{
			ID: "p1", CreatedAt: posted, Likes: features.SomeInt(1040), CommentsCount: features.SomeInt(4),
			Comments: []features.Comment{
				{ID: "c1", AuthorID: "9001", Text: "Does it work on oily skin?"},
				{ID: "c2", AuthorID: "1784", Text: "It does! Use a pea-sized amount.", ReplyTo: features.SomeString("c1")},
				{ID: "c3", AuthorID: "9002", Text: "Nice pic!!"},
				{ID: "c4", AuthorID: "9003", Text: "nice pic 😍"},
			},
		}},
	}
	s := features.Extract(h, nil)
	for _, k := range features.Names() {
		if v, ok := s.Values[k]; ok {
			fmt.Printf("%s = %.3f\n", k, v)
		}
	}
	fmt.Printf("mix: %+v\n", s.CommentMix)
	fmt.Println(s.Warnings[0])
	// Output:
	// comment_diversity = 0.667
	// near_duplicate_share = 0.000
	// comment_entropy = 3.096
	// generic_comment_share = 0.667
	// reply_reciprocity = 0.333
	// question_reply_share = 1.000
	// thread_depth = 1.333
	// engagement_rate = 0.044
	// likes_per_comment = 260.000
	// self_repeat_share = 0.000
	// mix: {Genuine:1 Generic:2 EmojiOnly:0 Template:0 Pod:0}
	// growth_spike_share: needs at least 8 follower-series snapshots (0 given)
}
