package batch

// Fuzz tests of the decoders of outside data that are not exported: the
// input framing, the cache's creator entries and the creator-id reader.
// They live inside the package because the framing has no API of its own.

import (
	"bytes"
	"compress/flate"
	"encoding/json"
	"strings"
	"testing"
)

func FuzzFraming(f *testing.F) {
	for _, s := range []string{
		"",
		"{}",
		"{\"a\":1}\n{\"b\":2}\n",
		"{\"a\":1}\r\n\r\n  \n{\"b\":2}",
		"{\n  \"a\": 1\n}\n",
		"\n\n{\"a\":1}\n",
		"[1,2]\n3\n",
		"\x1f\x8b\x08\x00garbage",
		"not json at all\nsecond line",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		const maxDoc = 1 << 12
		fr := newFramer([]string{"-"}, bytes.NewReader(in), maxDoc)
		var docs []rawDoc
		for {
			d, ok := fr.next()
			if !ok {
				break
			}
			if (d.err == nil) == (d.data == nil) && !(d.err == nil && len(d.data) == 0) {
				t.Fatalf("document %d has both or neither of data and err: %+v", len(docs), d)
			}
			docs = append(docs, d)
			if len(docs) > len(in)+1 {
				t.Fatalf("%d documents from %d bytes", len(docs), len(in))
			}
		}
		fr.close()
		if bytes.HasPrefix(in, []byte{0x1f, 0x8b}) {
			return // compressed: the framing of the content is checked below on plain input
		}
		lines := false
		for _, d := range docs {
			lines = lines || d.line > 0
		}
		if !lines {
			if len(docs) != 1 || (docs[0].err == nil && !bytes.Equal(docs[0].data, in)) {
				t.Fatalf("whole-document input gave %d documents", len(docs))
			}
			return
		}
		// JSON Lines: the documents are the non-blank lines, in order,
		// numbered as in the input.
		var want [][]byte
		var nums []int
		for i, l := range bytes.Split(in, []byte("\n")) {
			if len(bytes.TrimSpace(l)) > 0 {
				want, nums = append(want, l), append(nums, i+1)
			}
		}
		if len(docs) != len(want) {
			t.Fatalf("%d documents for %d non-blank lines", len(docs), len(want))
		}
		for i, d := range docs {
			if d.line != nums[i] {
				t.Fatalf("document %d: line %d, want %d", i, d.line, nums[i])
			}
			if d.err == nil && !bytes.Equal(d.data, want[i]) {
				t.Fatalf("document %d = %q, want %q", i, d.data, want[i])
			}
			if d.err != nil && len(want[i]) <= maxDoc {
				t.Fatalf("document %d: %v for a line of %d bytes", i, d.err, len(want[i]))
			}
		}
	})
}

func FuzzCreatorEntry(f *testing.F) {
	var z codec
	defer z.close()
	f.Add(creatorEntry{kind: entryReport, verdict: "authentic", line: []byte(`{"a":1}`)}.encode(&z))
	f.Add(creatorEntry{kind: entryReport, verdict: "review", line: bytes.Repeat([]byte(`{"a":[1,2,3]},`), 300)}.encode(&z))
	f.Add(creatorEntry{kind: entryError, creatorID: "c1", field: "posts[0].id", message: "expected a string"}.encode(&z))
	f.Add([]byte("R\x09authentic\x07{\"a\":1}"))    // a report entry as earlier builds wrote it
	f.Add(deflatedEntry(f, "authentic", `{"a":1}`)) // and a deflated one
	f.Add([]byte{'R', 200, 1})
	f.Add([]byte{'Z', 1, 'x', 0xff})
	f.Add([]byte{'D', 1, 'x', 0x28, 0xb5, 0x2f, 0xfd, 0xff})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		e, ok := decodeCreatorEntry(nil, b)
		if !ok {
			return
		}
		again, ok := decodeCreatorEntry(&z, e.encode(&z))
		if !ok || again.kind != e.kind || again.verdict != e.verdict || !bytes.Equal(again.line, e.line) ||
			again.creatorID != e.creatorID || again.field != e.field || again.message != e.message {
			t.Fatalf("decode, encode and decode of %q gives %+v, want %+v", b, again, e)
		}
	})
}

// deflatedEntry is a report entry as builds that deflated lines wrote it.
func deflatedEntry(tb testing.TB, verdict, line string) []byte {
	b := []byte{entryDeflated, byte(len(verdict))}
	b = append(b, verdict...)
	buf := bytes.NewBuffer(b)
	w, err := flate.NewWriter(buf, flate.BestSpeed)
	if err != nil {
		tb.Fatal(err)
	}
	w.Write([]byte(line))
	w.Close()
	return buf.Bytes()
}

func TestDeflatedEntriesStillRead(t *testing.T) {
	for _, line := range []string{`{"a":1}`, strings.Repeat(`{"format":"bonafide/report@1"},`, 200)} {
		e, ok := decodeCreatorEntry(nil, deflatedEntry(t, "authentic", line))
		if !ok || e.kind != entryReport || e.verdict != "authentic" || string(e.line) != line {
			t.Fatalf("deflated entry of %d bytes read as %+v, %v", len(line), e, ok)
		}
	}
}

func FuzzCreatorIDOf(f *testing.F) {
	f.Add("1784", []byte(`{"platform":"x","creator":{"handle":"h","id":"1784"}}`))
	f.Add("", []byte(`{"creator":{"id":17}}`))
	f.Add("c", []byte(`{"creator":[`))
	f.Fuzz(func(t *testing.T, id string, data []byte) {
		creatorIDOf(data) // must not panic on anything
		doc, err := json.Marshal(map[string]any{"platform": "x", "creator": map[string]any{"followers": 3, "id": id}})
		if err != nil {
			return
		}
		var want struct{ Creator struct{ ID string } }
		json.Unmarshal(doc, &want)
		if got := creatorIDOf(doc); got != want.Creator.ID {
			t.Fatalf("creatorIDOf(%s) = %q, want %q", doc, got, want.Creator.ID)
		}
	})
}
