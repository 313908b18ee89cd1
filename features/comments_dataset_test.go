package features_test

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"bonafide/features"
	"bonafide/training"
)

// datasets returns the labelled sets' folder, or skips the test when the
// sets are not beside the module.
func datasets(t *testing.T) string {
	t.Helper()
	dir, err := training.FindDatasets(".")
	if err != nil {
		t.Skip(err)
	}
	return dir
}

// TestCommentSignalsOnYouTubeSpam measures the comment-text signals on the
// YouTube Spam Collection (Alberto et al. 2015; 1,956 comments on five
// videos, labelled spam or ham by hand). Spam there is self-promotion
// ("check out my channel"), which repeats across accounts; ham is fans'
// reactions, often short generic praise. So spam must show more
// templates, and ham more generic comments, on every video.
func TestCommentSignalsOnYouTubeSpam(t *testing.T) {
	dir := filepath.Join(datasets(t), "youtube-spam-collection")
	files, err := filepath.Glob(filepath.Join(dir, "Youtube0*.csv"))
	if err != nil || len(files) != 5 {
		t.Fatalf("want 5 files in %s, found %d (%v)", dir, len(files), err)
	}
	for _, name := range files {
		t.Run(filepath.Base(name), func(t *testing.T) {
			f, err := os.Open(name)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rows, err := csv.NewReader(f).ReadAll()
			if err != nil {
				t.Fatalf("read %s: %v", name, err)
			}
			// One history per class: the video is one post, the rows its
			// comments, so the signals are computed as Extract does.
			byClass := map[string]*features.History{}
			for i, r := range rows[1:] {
				h := byClass[r[4]]
				if h == nil {
					h = &features.History{Creator: features.Creator{ID: "video"}, Posts: []features.Post{{ID: "v"}}}
					byClass[r[4]] = h
				}
				h.Posts[0].Comments = append(h.Posts[0].Comments,
					features.Comment{ID: fmt.Sprint(i), AuthorID: r[1], Text: r[3]})
			}
			share := func(h *features.History) (dup, generic, self float64) {
				s := features.Extract(h, nil)
				return s.Values[features.NearDuplicateShare], s.Values[features.GenericCommentShare], s.Values[features.SelfRepeatShare]
			}
			spamDup, spamGeneric, spamSelf := share(byClass["1"])
			hamDup, hamGeneric, hamSelf := share(byClass["0"])
			t.Logf("spam %d: near-duplicate %.3f, generic %.3f, self-repeat %.3f; ham %d: near-duplicate %.3f, generic %.3f, self-repeat %.3f",
				len(byClass["1"].Posts[0].Comments), spamDup, spamGeneric, spamSelf, len(byClass["0"].Posts[0].Comments), hamDup, hamGeneric, hamSelf)
			if spamSelf <= hamSelf {
				t.Errorf("self-repeat share: spam %.3f <= ham %.3f", spamSelf, hamSelf)
			}
			if spamDup <= hamDup {
				t.Errorf("near-duplicate share: spam %.3f <= ham %.3f", spamDup, hamDup)
			}
			if hamGeneric <= spamGeneric {
				t.Errorf("generic share: ham %.3f <= spam %.3f", hamGeneric, spamGeneric)
			}
		})
	}
}
