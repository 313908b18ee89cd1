package features_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"bonafide/features"
)

// genDoc writes a plausible document with the given number of followers,
// posts and comments per post. Required times are full RFC 3339 (as
// encoding/json's time.Time wants); optional ones mix dates and times.
// The creator (and its follower count) comes before the followers, as in
// the spec's field order, unless creatorLast is set.
func genDoc(w io.Writer, followers, posts, comments int, creatorLast bool) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	creator := fmt.Sprintf(`"creator":{"id":"1784","handle":"greenleaf.skin","name":"Green Leaf","followers":%d,"following":612,"posts":418,"created_at":"2019-03-01","verified":false,"category":"beauty"},`, followers)
	bw.WriteString(`{"format":"creator-history/v1","platform":"instagram","observed_at":"2026-11-24T06:00:00Z",`)
	if !creatorLast {
		bw.WriteString(creator)
	}
	bw.WriteString(`"follower_series":[`)
	for i := range 90 {
		if i > 0 {
			bw.WriteByte(',')
		}
		at := time.Date(2026, 8, 26, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i)
		fmt.Fprintf(bw, `{"at":"%s","followers":%d}`, at.Format(time.RFC3339), followers-90+i)
	}
	bw.WriteString(`],"followers":[`)
	var b []byte
	for i := range followers {
		b = b[:0]
		if i > 0 {
			b = append(b, ',')
		}
		id := 1_000_000_000 + i*7919
		b = append(b, `{"id":"`...)
		b = strconv.AppendInt(b, int64(id), 10)
		b = append(b, `","username":"user_`...)
		b = strconv.AppendInt(b, int64(id%1000003), 36)
		b = append(b, `","has_avatar":`...)
		b = strconv.AppendBool(b, i%3 != 0)
		if i%4 == 0 {
			b = append(b, `,"bio":"coffee ☕ and travel ✈️ `...)
			b = strconv.AppendInt(b, int64(i%97), 10)
			b = append(b, '"')
		}
		b = append(b, `,"followers":`...)
		b = strconv.AppendInt(b, int64(i*31%5000), 10)
		b = append(b, `,"following":`...)
		b = strconv.AppendInt(b, int64(i*17%7500), 10)
		b = append(b, `,"posts":`...)
		b = strconv.AppendInt(b, int64(i%300), 10)
		b = append(b, `,"created_at":"`...)
		b = append(b, "20"...)
		b = append2(b, 10+i%16)
		b = append(b, '-')
		b = append2(b, 1+i%12)
		b = append(b, '-')
		b = append2(b, 1+i%28)
		if i%2 == 0 {
			b = append(b, `T10:15:00Z`...)
		}
		b = append(b, `"}`...)
		bw.Write(b)
	}
	bw.WriteString(`],"follower_sample":{"method":"all"},"posts":[`)
	for p := range posts {
		if p > 0 {
			bw.WriteByte(',')
		}
		fmt.Fprintf(bw, `{"id":"p%d","created_at":"2026-11-%02dT17:00:00Z","likes":%d,"views":%d,"comments_count":%d,"caption":"Post number %d ✨ #skincare #routine","sponsored":%t,"comments":[`,
			p, 1+p%23, 1000+p, 20000+p*3, comments, p, p%5 == 0)
		for c := range comments {
			if c > 0 {
				bw.WriteByte(',')
			}
			fmt.Fprintf(bw, `{"id":"c%d","author_id":"%d","author":"user_%d","text":"Love this! 😍 Does it work on oily skin? %d","created_at":"2026-11-%02dT18:%02d:00Z"`,
				c, 1_000_000_000+c*7919, c, c, 1+p%23, c%60)
			if c%10 == 9 {
				fmt.Fprintf(bw, `,"reply_to":"c%d"`, c-1)
			}
			bw.WriteString(`}`)
		}
		bw.WriteString(`]}`)
	}
	bw.WriteString("]")
	if creatorLast {
		bw.WriteString("," + strings.TrimSuffix(creator, ","))
	}
	bw.WriteString("}\n")
	return bw.Flush()
}

// append2 appends a number below 100 as two digits.
func append2(b []byte, v int) []byte {
	return append(b, byte('0'+v/10), byte('0'+v%10))
}

func benchDoc(b *testing.B) []byte {
	var buf bytes.Buffer
	if err := genDoc(&buf, 20_000, 100, 50, false); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkDecode decodes one document of 20,000 followers and 100 posts of
// 50 comments (about 4 MB) with Decode (decoding and validation) and with
// encoding/json's Unmarshal into the same History (decoding only).
func BenchmarkDecode(b *testing.B) {
	data := benchDoc(b)
	b.Run("bonafide", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := features.Decode(bytes.NewReader(data)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			var h features.History
			if err := json.Unmarshal(data, &h); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkDecodeVsStdlib runs Decode and encoding/json's Unmarshal in
// turn on the same bytes and reports both speeds and their ratio
// (speedup = Unmarshal's time / Decode's time), so that both come from the
// same moments of a shared machine.
func BenchmarkDecodeVsStdlib(b *testing.B) {
	data := benchDoc(b)
	var ours, std time.Duration
	for b.Loop() {
		t0 := time.Now()
		if _, _, err := features.Decode(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		var h features.History
		if err := json.Unmarshal(data, &h); err != nil {
			b.Fatal(err)
		}
		ours += t1.Sub(t0)
		std += time.Since(t1)
	}
	mb := float64(len(data)) * float64(b.N) / 1e6
	b.ReportMetric(mb/ours.Seconds(), "bonafide-MB/s")
	b.ReportMetric(mb/std.Seconds(), "stdlib-MB/s")
	b.ReportMetric(std.Seconds()/ours.Seconds(), "speedup")
}
