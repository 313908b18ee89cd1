package batch_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"bonafide/detect/batch"
)

func TestMetricsAreTextfileCollectorFormat(t *testing.T) {
	s := batch.Summary{
		Documents: 10, Scored: 8, Rejected: 2, Resumed: 3,
		Verdicts:    map[string]int64{"review": 3, "authentic": 5},
		CreatorHits: 4, CreatorMisses: 6, FollowerHits: 90, FollowerMisses: 10, Seconds: 1.5,
	}
	end := time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC)
	got := s.Metrics(end)
	sample := regexp.MustCompile(`^([a-z_]+)(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? [0-9][0-9.e+-]*$`)
	declared := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSuffix(string(got), "\n"), "\n") {
		if name, ok := strings.CutPrefix(l, "# TYPE "); ok {
			declared[strings.Fields(name)[0]] = true
			continue
		}
		if strings.HasPrefix(l, "# HELP ") {
			continue
		}
		m := sample.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("not a sample line: %q", l)
		}
		if !declared[m[1]] {
			t.Errorf("%s has no TYPE line before its samples", m[1])
		}
	}
	for _, want := range []string{
		`bonafide_batch_documents{result="rejected"} 2`,
		`bonafide_batch_verdicts{verdict="authentic"} 5`,
		`bonafide_batch_cache_lookups{cache="follower",result="hit"} 90`,
		"bonafide_batch_last_run_timestamp_seconds " + strconv.FormatInt(end.Unix(), 10),
	} {
		if !bytes.Contains(got, []byte(want+"\n")) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if strings.Index(string(got), `verdict="authentic"`) > strings.Index(string(got), `verdict="review"`) {
		t.Error("verdicts are not in sorted order")
	}

	dir := t.TempDir()
	path := filepath.Join(dir, "bonafide.prom")
	if err := s.WriteMetricsFile(path, end); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(readFile(t, path), got) {
		t.Error("metrics file differs from Metrics")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("%d files left in the folder, want only the metrics file", len(ents))
	}
}

func TestProgressLine(t *testing.T) {
	tests := []struct {
		name string
		p    batch.Progress
		want []string
		not  []string
	}{
		{"half way", batch.Progress{Done: 100, BytesRead: 50, BytesTotal: 100, Elapsed: 10 * time.Second},
			[]string{"[###############...............]  50%", "100 docs", "10.0/s", "ETA 10s"}, []string{"rejected"}},
		{"standard input", batch.Progress{Done: 7, Rejected: 2, BytesRead: 50, Elapsed: time.Second},
			[]string{"7 docs", "7.0/s", "2 rejected"}, []string{"[", "ETA"}},
		{"resumed", batch.Progress{Done: 100, Resumed: 80, BytesRead: 1, BytesTotal: 1, Elapsed: 2 * time.Second, Final: true},
			[]string{"100%", "10.0/s", "done in 2s"}, []string{"ETA"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := batch.NewBar(nil, 30).Line(tt.p)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("Line = %q, want it to contain %q", got, w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(got, w) {
					t.Errorf("Line = %q, want no %q", got, w)
				}
			}
		})
	}
}

func TestBarRedrawsInPlace(t *testing.T) {
	var b bytes.Buffer
	bar := batch.NewBar(&b, 10)
	bar.Update(batch.Progress{Done: 1000, Elapsed: time.Second})
	bar.Update(batch.Progress{Done: 1, Elapsed: time.Second, Final: true})
	out := b.String()
	if strings.Count(out, "\r") != 2 || !strings.HasSuffix(out, "\n") {
		t.Fatalf("bar output %q: want two carriage returns and a final newline", out)
	}
	first := strings.Split(out, "\r")[1]
	second := strings.TrimSuffix(strings.Split(out, "\r")[2], "\n")
	if len(second) < len(first) {
		t.Errorf("a shorter line does not blank the rest of the longer one: %q then %q", first, second)
	}
}
