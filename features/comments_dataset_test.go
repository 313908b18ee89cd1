package features_test

import (
	"encoding/csv"
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
			byClass := map[string][]string{}
			for _, r := range rows[1:] {
				byClass[r[4]] = append(byClass[r[4]], r[3])
			}
			share := func(texts []string) (dup, generic float64) {
				g := features.TemplateGroups(texts)
				size := map[int]int{}
				for _, x := range g {
					size[x]++
				}
				for i, x := range g {
					switch {
					case features.ClassifyText(texts[i]).Generic():
						generic++
					case size[x] > 1:
						dup++ // as near_duplicate_share counts: specific texts only
					}
				}
				n := float64(len(texts))
				return dup / n, generic / n
			}
			spamDup, spamGeneric := share(byClass["1"])
			hamDup, hamGeneric := share(byClass["0"])
			t.Logf("spam %d: near-duplicate %.3f, generic %.3f; ham %d: near-duplicate %.3f, generic %.3f",
				len(byClass["1"]), spamDup, spamGeneric, len(byClass["0"]), hamDup, hamGeneric)
			if spamDup <= hamDup {
				t.Errorf("near-duplicate share: spam %.3f <= ham %.3f", spamDup, hamDup)
			}
			if hamGeneric <= spamGeneric {
				t.Errorf("generic share: ham %.3f <= spam %.3f", hamGeneric, spamGeneric)
			}
		})
	}
}
