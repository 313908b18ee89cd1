package batch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"
)

// Summary is what a run did. Counts cover the whole output, documents
// written by a resumed run's predecessors included; cache counts and
// Seconds cover this process only.
type Summary struct {
	Documents int64            `json:"documents"`
	Scored    int64            `json:"scored"`
	Rejected  int64            `json:"rejected"`
	Verdicts  map[string]int64 `json:"verdicts"`
	Resumed   int64            `json:"resumed"` // documents a previous run had written

	CreatorHits    int64 `json:"creator_cache_hits"`
	CreatorMisses  int64 `json:"creator_cache_misses"`
	FollowerHits   int64 `json:"follower_cache_hits"`
	FollowerMisses int64 `json:"follower_cache_misses"`
	CorruptValues  int64 `json:"corrupt_cache_values"`

	Model   string  `json:"model"`
	Seconds float64 `json:"seconds"`
}

// FollowerHitRate is the share of follower lookups served by the cache,
// or 0 when there were none.
func (s Summary) FollowerHitRate() float64 {
	n := s.FollowerHits + s.FollowerMisses
	if n == 0 {
		return 0
	}
	return float64(s.FollowerHits) / float64(n)
}

// WriteText writes the summary for a person, a few lines.
func (s Summary) WriteText(w io.Writer) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%d documents: %d scored, %d rejected", s.Documents, s.Scored, s.Rejected)
	if s.Resumed > 0 {
		fmt.Fprintf(&b, " (%d from before the resume)", s.Resumed)
	}
	b.WriteString("\n")
	if len(s.Verdicts) > 0 {
		b.WriteString("verdicts:")
		for _, k := range sortedKeys(s.Verdicts) {
			fmt.Fprintf(&b, " %s %d", k, s.Verdicts[k])
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "cache: creators %d hits, %d misses; followers %d hits, %d misses (%.1f%% hit rate)",
		s.CreatorHits, s.CreatorMisses, s.FollowerHits, s.FollowerMisses, 100*s.FollowerHitRate())
	if s.CorruptValues > 0 {
		fmt.Fprintf(&b, "; %d corrupt values recomputed", s.CorruptValues)
	}
	fmt.Fprintf(&b, "\ntime: %s\n", time.Duration(s.Seconds*float64(time.Second)).Round(time.Millisecond))
	_, err := w.Write(b.Bytes())
	return err
}

// WriteJSONFile writes the summary as indented JSON to path, atomically.
func (s Summary) WriteJSONFile(path string) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("encode summary: %w", err)
	}
	return writeAtomic(path, append(b, '\n'))
}

// Metrics returns the summary in the Prometheus text exposition format,
// as node_exporter's textfile collector reads it. end is the time the
// run finished.
func (s Summary) Metrics(end time.Time) []byte {
	var b bytes.Buffer
	metric := func(name, typ, help string) {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, typ)
	}
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

	metric("bonafide_batch_documents", "gauge", "Documents in the output of the last batch run, by result.")
	fmt.Fprintf(&b, "bonafide_batch_documents{result=\"scored\"} %d\n", s.Scored)
	fmt.Fprintf(&b, "bonafide_batch_documents{result=\"rejected\"} %d\n", s.Rejected)
	metric("bonafide_batch_verdicts", "gauge", "Scored documents of the last batch run, by verdict.")
	for _, k := range sortedKeys(s.Verdicts) {
		fmt.Fprintf(&b, "bonafide_batch_verdicts{verdict=%q} %d\n", k, s.Verdicts[k])
	}
	metric("bonafide_batch_resumed_documents", "gauge", "Documents written before the last run resumed.")
	fmt.Fprintf(&b, "bonafide_batch_resumed_documents %d\n", s.Resumed)
	metric("bonafide_batch_cache_lookups", "gauge", "Cache lookups of the last batch run, by cache and result.")
	fmt.Fprintf(&b, "bonafide_batch_cache_lookups{cache=\"creator\",result=\"hit\"} %d\n", s.CreatorHits)
	fmt.Fprintf(&b, "bonafide_batch_cache_lookups{cache=\"creator\",result=\"miss\"} %d\n", s.CreatorMisses)
	fmt.Fprintf(&b, "bonafide_batch_cache_lookups{cache=\"follower\",result=\"hit\"} %d\n", s.FollowerHits)
	fmt.Fprintf(&b, "bonafide_batch_cache_lookups{cache=\"follower\",result=\"miss\"} %d\n", s.FollowerMisses)
	metric("bonafide_batch_cache_corrupt_values", "gauge", "Cache values that failed their checksum and were recomputed.")
	fmt.Fprintf(&b, "bonafide_batch_cache_corrupt_values %d\n", s.CorruptValues)
	metric("bonafide_batch_duration_seconds", "gauge", "Wall time of the last batch run.")
	fmt.Fprintf(&b, "bonafide_batch_duration_seconds %s\n", num(s.Seconds))
	metric("bonafide_batch_last_run_timestamp_seconds", "gauge", "When the last batch run ended, in Unix seconds.")
	fmt.Fprintf(&b, "bonafide_batch_last_run_timestamp_seconds %d\n", end.Unix())
	return b.Bytes()
}

// WriteMetricsFile writes Metrics to path through a temporary file in the
// same folder and a rename, so the textfile collector never reads half a
// file.
func (s Summary) WriteMetricsFile(path string, end time.Time) error {
	return writeAtomic(path, s.Metrics(end))
}

func writeAtomic(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	_, err = tmp.Write(b)
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func sortedKeys(m map[string]int64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
