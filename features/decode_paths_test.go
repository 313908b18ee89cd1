package features_test

import (
	"reflect"
	"strings"
	"testing"

	"bonafide/features"
)

// TestDecodeErrorPaths checks the field an error names where the decoder
// has to find its way back out of a nested value: a field after a list or
// an object, a required field missing after them, keys in another order
// than the spec's, and the checks of unique ids and times, which name the
// element they clash with.
func TestDecodeErrorPaths(t *testing.T) {
	const head = `{"platform":"instagram","observed_at":"2026-11-24T06:00:00Z","creator":{"id":"c","followers":10}`
	const comment = `{"id":"c0","author_id":"a","text":"t"}`
	tests := []struct {
		name, doc, want string
	}{
		{"post field after its comments",
			head + `,"posts":[{"id":"p0","created_at":"2026-11-01","comments":[` + comment + `],"likes":-1}]}`,
			"posts[0].likes: expected a non-negative integer, found -1"},
		{"post field missing after its comments",
			head + `,"posts":[{"id":"p0","comments":[` + comment + `]}]}`,
			"posts[0].created_at: expected an RFC 3339 time or a date, found nothing"},
		{"post comments twice",
			head + `,"posts":[{"id":"p0","comments":[],"created_at":"2026-11-01","comments":null}]}`,
			"posts[0].comments: expected each field once, found it twice"},
		{"document field after the followers",
			`{"followers":[{"id":"f0"}],"platform":"Instagram","observed_at":"2026-11-24T06:00:00Z","creator":{"id":"c","followers":10}}`,
			`platform: expected a lower-case word (letters and digits, starting with a letter), found "Instagram"`},
		{"creator missing after lists",
			`{"platform":"x","observed_at":"2026-11-24T06:00:00Z","follower_series":[{"at":"2026-11-01","followers":1}],"posts":[]}`,
			"creator: expected an object, found nothing"},
		{"platform missing after nulls",
			`{"observed_at":"2026-11-24T06:00:00Z","creator":{"id":"c","followers":10},"posts":null,"followers":null,"format":null}`,
			"platform: expected a lower-case word (letters and digits, starting with a letter), found nothing"},
		{"follower field twice, keys out of order",
			head + `,"followers":[{"id":"f0"},{"last_active_at":null,"username":"u","id":"f1","username":"v"}]}`,
			"followers[1].username: expected each field once, found it twice"},
		{"creator field twice, keys out of order",
			`{"platform":"instagram","observed_at":"2026-11-24T06:00:00Z","creator":{"followers":10,"handle":"h","followers":11}}`,
			"creator.followers: expected each field once, found it twice"},
		{"follower id of an earlier follower",
			head + `,"followers":[{"id":"f0"},{"name":"x","id":"f0"}]}`,
			`followers[1].id: expected an id no other follower has, found "f0", the id of followers[0]`},
		{"post id of an earlier post",
			head + `,"posts":[{"id":"p0","created_at":"2026-11-01","comments":[` + comment + `]},{"comments":[` + comment + `],"id":"p0","created_at":"2026-11-02"}]}`,
			`posts[1].id: expected an id no other post has, found "p0", the id of posts[0]`},
		{"comment id of an earlier comment of the same post",
			head + `,"posts":[{"id":"p0","created_at":"2026-11-01","comments":[` + comment + `]},{"id":"p1","created_at":"2026-11-02","comments":[{"id":"c1","author_id":"a","text":"t"},{"text":"u","author_id":"b","id":"c1"}]}]}`,
			`posts[1].comments[1].id: expected an id no other comment of this post has, found "c1", the id of comments[0]`},
		{"comment field missing after reply_to",
			head + `,"posts":[{"id":"p0","created_at":"2026-11-01","comments":[{"id":"c0","reply_to":null,"author_id":"a"}]}]}`,
			"posts[0].comments[0].text: expected a string, found nothing"},
		{"comment replying to itself",
			head + `,"posts":[{"id":"p0","created_at":"2026-11-01","comments":[{"id":"c0","author_id":"a","text":"t","reply_to":"c0"}]}]}`,
			`posts[0].comments[0].reply_to: expected the id of another comment of this post, found "c0", the comment's own id`},
		{"snapshot time of an earlier snapshot, after an unknown field",
			head + `,"follower_series":[{"at":"2026-11-01","followers":1},{"x":{"y":[1]},"followers":2,"at":"2026-11-01"}]}`,
			"follower_series[1].at: expected a time no other snapshot has, found 2026-11-01T00:00:00Z, the time of follower_series[0]"},
		{"observed_at before the creator's created_at",
			`{"platform":"instagram","creator":{"id":"c","followers":1,"created_at":"2026-12-01"},"observed_at":"2026-11-24T06:00:00Z"}`,
			"observed_at: expected a time not before creator.created_at (2026-12-01T00:00:00Z), found 2026-11-24T06:00:00Z"},
		{"creator's created_at after observed_at",
			`{"platform":"instagram","observed_at":"2026-11-24T06:00:00Z","creator":{"id":"c","followers":1,"created_at":"2026-12-01"}}`,
			"creator.created_at: expected a time not after observed_at (2026-11-24T06:00:00Z), found 2026-12-01T00:00:00Z"},
		{"sample field after the followers",
			head + `,"followers":[{"id":"f"}],"follower_sample":{"population":1.5}}`,
			"follower_sample.population: expected a non-negative integer, found 1.5"},
		{"unknown document field after the sample",
			head + `,"follower_sample":{"method":"all"},"odd key":[1,}`,
			`["odd key"]: expected a JSON value, found the character ` + "`}`"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, _, err := features.Decode(strings.NewReader(tt.doc))
			if err == nil {
				t.Fatalf("accepted, want %s\n%+v", tt.want, h)
			}
			if err.Error() != tt.want {
				t.Errorf("got  %s\nwant %s", err, tt.want)
			}
		})
	}
}

// TestDecodeFieldOrder checks that the order of an object's fields does not
// matter: the same document with the fields of every object in reverse
// order decodes to the same History.
func TestDecodeFieldOrder(t *testing.T) {
	inOrder := `{"format":"creator-history/v1","platform":"instagram","observed_at":"2026-11-24T06:00:00Z",` +
		`"creator":{"id":"c","handle":"h","name":"n","followers":3,"following":4,"posts":2,"created_at":"2020-01-02","verified":true,"category":"beauty"},` +
		`"follower_series":[{"at":"2026-11-01","followers":1,"following":2},{"at":"2026-11-02","followers":3}],` +
		`"followers":[{"id":"f0","username":"u","name":"n","bio":"b","has_avatar":true,"external_url":false,"private":false,"verified":false,"followers":5,"following":6,"posts":7,"created_at":"2021-01-01","followed_at":"2026-01-01","last_active_at":"2026-11-01"},{"id":"f1"}],` +
		`"follower_sample":{"method":"all","population":2},` +
		`"posts":[{"id":"p0","created_at":"2026-11-01T10:00:00Z","likes":1,"views":2,"comments_count":2,"caption":"c","sponsored":false,` +
		`"comments":[{"id":"c0","author_id":"a","author":"x","text":"t","created_at":"2026-11-01T11:00:00Z","likes":3},{"id":"c1","author_id":"b","text":"u","reply_to":"c0"}]}]}`
	reversed := `{"posts":[{"comments":[{"likes":3,"created_at":"2026-11-01T11:00:00Z","text":"t","author":"x","author_id":"a","id":"c0"},{"reply_to":"c0","text":"u","author_id":"b","id":"c1"}],` +
		`"sponsored":false,"caption":"c","comments_count":2,"views":2,"likes":1,"created_at":"2026-11-01T10:00:00Z","id":"p0"}],` +
		`"follower_sample":{"population":2,"method":"all"},` +
		`"followers":[{"last_active_at":"2026-11-01","followed_at":"2026-01-01","created_at":"2021-01-01","posts":7,"following":6,"followers":5,"verified":false,"private":false,"external_url":false,"has_avatar":true,"bio":"b","name":"n","username":"u","id":"f0"},{"id":"f1"}],` +
		`"follower_series":[{"following":2,"followers":1,"at":"2026-11-01"},{"followers":3,"at":"2026-11-02"}],` +
		`"creator":{"category":"beauty","verified":true,"created_at":"2020-01-02","posts":2,"following":4,"followers":3,"name":"n","handle":"h","id":"c"},` +
		`"observed_at":"2026-11-24T06:00:00Z","platform":"instagram","format":"creator-history/v1"}`
	want, _, err := features.Decode(strings.NewReader(inOrder))
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := features.Decode(strings.NewReader(reversed))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("reversed fields decode to\n%+v\nwant\n%+v", got, want)
	}
	if len(want.Followers) != 2 || !want.Followers[0].LastActiveAt.OK || len(want.Posts[0].Comments) != 2 || !want.Posts[0].Comments[1].ReplyTo.OK {
		t.Errorf("the document did not decode in full: %+v", want)
	}
}
