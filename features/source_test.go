package features_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"bonafide/features"
)

func gz(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// line returns a one-line document of creator id.
func line(id string) string {
	return `{"platform":"x","observed_at":"2026-11-24","creator":{"id":"` + id + `","followers":1}}`
}

// badLine returns a one-line document of creator id with a bad follower.
func badLine(id string) string {
	return `{"platform":"x","observed_at":"2026-11-24","creator":{"id":"` + id + `","followers":1},"followers":[{"id":""}]}`
}

// summary describes a document as "source line index creator ok|error".
func summary(dir string, d features.Document) string {
	src := strings.TrimPrefix(d.Source, dir+string(filepath.Separator))
	res := "ok"
	if d.Err != nil {
		res = strings.ReplaceAll(d.Err.Error(), dir+string(filepath.Separator), "")
		if d.History != nil {
			res += " (and a History)"
		}
	} else if d.History == nil || d.History.Creator.ID != d.CreatorID {
		res = "no History or another creator"
	}
	return fmt.Sprintf("%s %d %d %s %s", src, d.Line, d.Index, d.CreatorID, res)
}

func readAll(t *testing.T, dir string, paths []string, stdin io.Reader) ([]string, []features.Document) {
	t.Helper()
	src, err := features.Open(paths, stdin)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var got []string
	var docs []features.Document
	for {
		d, ok := src.Next(context.Background())
		if !ok {
			break
		}
		got = append(got, summary(dir, d))
		docs = append(docs, d)
	}
	return got, docs
}

func TestSource(t *testing.T) {
	pretty := "{\n  \"platform\": \"x\",\n  \"observed_at\": \"2026-11-24\",\n  \"creator\": {\"id\": \"p\", \"followers\": 1}\n}\n"
	lines := line("a") + "\n" + badLine("b") + "\n\n  \n" + line("c") + "\n"
	tests := []struct {
		name  string
		files map[string][]byte // written to a fresh folder
		args  []string          // file names in that folder, or "-"
		stdin []byte
		want  []string
	}{
		{"one .json", map[string][]byte{"a.json": []byte(pretty)}, []string{"a.json"}, nil,
			[]string{"a.json 0 0 p ok"}},
		{"gzip by name", map[string][]byte{"a.json.gz": gz(t, []byte(pretty))}, []string{"a.json.gz"}, nil,
			[]string{"a.json.gz 0 0 p ok"}},
		{"gzip by magic bytes", map[string][]byte{"a.json": gz(t, []byte(pretty))}, []string{"a.json"}, nil,
			[]string{"a.json 0 0 p ok"}},
		{"JSON Lines with a bad line and blank lines", map[string][]byte{"a.jsonl": []byte(lines)}, []string{"a.jsonl"}, nil,
			[]string{"a.jsonl 1 0 a ok", "a.jsonl 2 1 b a.jsonl: line 2: followers[0].id: expected a non-empty string, found \"\"", "a.jsonl 5 2 c ok"}},
		{"JSON Lines gzipped, CRLF, no final line break", map[string][]byte{"a.jsonl.gz": gz(t, []byte(line("a")+"\r\n"+line("b")))}, []string{"a.jsonl.gz"}, nil,
			[]string{"a.jsonl.gz 1 0 a ok", "a.jsonl.gz 2 1 b ok"}},
		{"JSON Lines: a document over two lines", map[string][]byte{"a.jsonl": []byte(line("a") + "\n{\"platform\":\"x\",\n\"observed_at\":\"2026-11-24\"}\n" + line("c") + "\n")}, []string{"a.jsonl"}, nil,
			[]string{"a.jsonl 1 0 a ok",
				"a.jsonl 2 1  a.jsonl: line 2: expected a field name, found the end of the line",
				"a.jsonl 3 2  a.jsonl: line 3: expected a JSON object, found \"observed_at\"",
				"a.jsonl 4 3 c ok"}},
		{"JSON Lines: two documents on a line", map[string][]byte{"a.jsonl": []byte(line("a") + " " + line("b") + "\n" + line("c"))}, []string{"a.jsonl"}, nil,
			[]string{"a.jsonl 1 0 a a.jsonl: line 1: expected the end of the line after the document, found an object", "a.jsonl 2 1 c ok"}},
		{"JSON Lines: truncated last line", map[string][]byte{"a.jsonl": []byte(line("a") + "\n" + line("b")[:40])}, []string{"a.jsonl"}, nil,
			[]string{"a.jsonl 1 0 a ok", "a.jsonl 2 1  a.jsonl: line 2: observed_at: expected the closing quote of the string, found the end of the input"}},
		{"two documents in a .json", map[string][]byte{"a.json": []byte(line("a") + "\n" + line("b") + "\n")}, []string{"a.json"}, nil,
			[]string{"a.json 0 0 a a.json: expected the end of the input after the document, found an object"}},
		{"folder: sorted, filtered, not recursive", map[string][]byte{
			"d/b.jsonl": []byte(line("b1") + "\n" + line("b2") + "\n"), "d/a.json": []byte(line("a")), "d/c.json.gz": gz(t, []byte(line("c"))),
			"d/notes.txt": []byte("x"), "d/.hidden.json": []byte(line("h")), "d/sub/e.json": []byte(line("e")), "d/z.jsonl.gz": gz(t, []byte(line("z"))),
		}, []string{"d"}, nil,
			[]string{"d/a.json 0 0 a ok", "d/b.jsonl 1 1 b1 ok", "d/b.jsonl 2 2 b2 ok", "d/c.json.gz 0 3 c ok", "d/z.jsonl.gz 1 4 z ok"}},
		{"missing file, then a good one", map[string][]byte{"a.json": []byte(line("a"))}, []string{"nope.json", "a.json"}, nil,
			[]string{"nope.json 0 0  open nope.json: no such file or directory", "a.json 0 1 a ok"}},
		{"truncated gzip", map[string][]byte{"a.json.gz": gz(t, []byte(pretty))[:30], "b.json": []byte(line("b"))}, []string{"a.json.gz", "b.json"}, nil,
			[]string{"a.json.gz 0 0  a.json.gz: read: unexpected EOF", "b.json 0 1 b ok"}},
		{"empty file", map[string][]byte{"a.json": nil}, []string{"a.json"}, nil,
			[]string{"a.json 0 0  a.json: expected a JSON object, found the end of the input"}},
		{"stdin: one pretty document", nil, []string{"-"}, []byte(pretty),
			[]string{"- 0 0 p ok"}},
		{"stdin: one line", nil, []string{"-"}, []byte(line("a") + "\n\n"),
			[]string{"- 0 0 a ok"}},
		{"stdin: JSON Lines", nil, []string{"-"}, []byte(lines),
			[]string{"- 1 0 a ok", "- 2 1 b -: line 2: followers[0].id: expected a non-empty string, found \"\"", "- 5 2 c ok"}},
		{"stdin: JSON Lines, bad first line", nil, []string{"-"}, []byte(badLine("b") + "\n" + line("c")),
			[]string{"- 1 0 b -: line 1: followers[0].id: expected a non-empty string, found \"\"", "- 2 1 c ok"}},
		{"stdin: gzipped JSON Lines", nil, []string{"-"}, gz(t, []byte(lines)),
			[]string{"- 1 0 a ok", "- 2 1 b -: line 2: followers[0].id: expected a non-empty string, found \"\"", "- 5 2 c ok"}},
		{"stdin: a pretty document and trailing data", nil, []string{"-"}, []byte(pretty + "x"),
			[]string{"- 0 0 p -: expected the end of the input after the document, found x"}},
		{"stdin: a line and trailing data", nil, []string{"-"}, []byte(line("a") + "\nx"),
			[]string{"- 0 0 a -: expected the end of the input after the document, found x"}},
		{"stdin then files", map[string][]byte{"a.json": []byte(line("a"))}, []string{"-", "a.json"}, []byte(line("s")),
			[]string{"- 0 0 s ok", "a.json 0 1 a ok"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, b := range tt.files {
				p := filepath.Join(dir, name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			var args []string
			for _, a := range tt.args {
				if a != "-" {
					a = filepath.Join(dir, a)
				}
				args = append(args, a)
			}
			got, _ := readAll(t, dir, args, bytes.NewReader(tt.stdin))
			if !slices.Equal(got, tt.want) {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestSourceDigest checks that a document's SHA256 is that of its bytes:
// the whole file, or the line without its line break.
func TestSourceDigest(t *testing.T) {
	dir := t.TempDir()
	pretty := "{\"platform\": \"x\",\n \"observed_at\": \"2026-11-24\", \"creator\": {\"id\": \"p\", \"followers\": 1}}\n\n"
	a, b := "  "+line("a")+" ", badLine("b")
	files := map[string]string{"one.json": pretty, "lines.jsonl": a + "\n\n" + b + "\n"}
	for name, s := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "one.json.gz"), gz(t, []byte(pretty)), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		args  []string
		stdin string
		want  []string // the bytes each document's digest covers
	}{
		{"whole file", []string{"one.json"}, "", []string{pretty}},
		{"gzipped file: the bytes after decompression", []string{"one.json.gz"}, "", []string{pretty}},
		{"lines", []string{"lines.jsonl"}, "", []string{a, b}},
		{"stdin whole", []string{"-"}, pretty, []string{pretty}},
		{"stdin one line with trailing blank lines", []string{"-"}, line("a") + "\n\n", []string{line("a") + "\n\n"}},
		{"stdin lines", []string{"-"}, a + "\n\n" + b + "\n", []string{a, b}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var args []string
			for _, p := range tt.args {
				if p != "-" {
					p = filepath.Join(dir, p)
				}
				args = append(args, p)
			}
			_, docs := readAll(t, dir, args, strings.NewReader(tt.stdin))
			if len(docs) != len(tt.want) {
				t.Fatalf("got %d documents, want %d", len(docs), len(tt.want))
			}
			for i, d := range docs {
				if want := sha256.Sum256([]byte(tt.want[i])); d.SHA256 != want {
					t.Errorf("document %d: digest %x, want that of %q", i, d.SHA256[:8], tt.want[i])
				}
			}
		})
	}
}

func TestSourceSameAsDecode(t *testing.T) {
	for _, path := range fixtures(t, "good") {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		want, wantWarn, err := features.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		_, docs := readAll(t, "", []string{path}, nil)
		if len(docs) != 1 || docs[0].Err != nil {
			t.Fatalf("%s: %+v", path, docs)
		}
		if fmt.Sprintf("%+v %v", docs[0].History, docs[0].Warnings) != fmt.Sprintf("%+v %v", want, wantWarn) {
			t.Errorf("%s: Source and Decode disagree", path)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	tests := []struct {
		name  string
		paths []string
		stdin io.Reader
	}{
		{"no input", nil, nil},
		{"stdin twice", []string{"-", "-"}, strings.NewReader("")},
		{"stdin without a reader", []string{"-"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := features.Open(tt.paths, tt.stdin); err == nil {
				t.Error("Open succeeded")
			}
		})
	}
}

func TestSourceCancel(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.jsonl")
	if err := os.WriteFile(p, []byte(line("a")+"\n"+line("b")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := features.Open([]string{p}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	ctx, cancel := context.WithCancel(context.Background())
	if d, ok := src.Next(ctx); !ok || d.Err != nil {
		t.Fatalf("first document: %v %v", ok, d.Err)
	}
	cancel()
	if _, ok := src.Next(ctx); ok {
		t.Error("Next gave a document after cancellation")
	}
	if !errors.Is(ctx.Err(), context.Canceled) {
		t.Error("context not cancelled")
	}
}

// FuzzSource feeds bytes to a Source as standard input, and checks that
// documents are numbered in order, that each has a History or an error,
// and that a single document reads as Decode reads it.
func FuzzSource(f *testing.F) {
	f.Add([]byte(line("a") + "\n" + badLine("b") + "\n\n" + line("c")))
	f.Add([]byte("{\n" + line("a")[1:] + "\n"))
	f.Add([]byte(line("a") + " x\n{"))
	for _, path := range fixtures(f, "good")[:3] {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		docs := fuzzRead(t, b)
		// The same bytes gzipped read the same.
		var zb bytes.Buffer
		zw := gzip.NewWriter(&zb)
		zw.Write(b)
		zw.Close()
		if got, want := render(fuzzRead(t, zb.Bytes())), render(docs); got != want {
			t.Fatalf("gzipped input reads differently:\n%s\n%s", got, want)
		}
		if len(docs) == 1 && docs[0].Line == 0 {
			h, _, err := features.Decode(bytes.NewReader(b))
			got, want := fmt.Sprint(docs[0].Err), fmt.Sprint(err)
			if err != nil {
				want = "-: " + want
			}
			if got != want || (err == nil && fmt.Sprintf("%+v", h) != fmt.Sprintf("%+v", docs[0].History)) {
				t.Fatalf("Source and Decode disagree: %v / %v", got, want)
			}
		}
	})
}

// render prints documents in full, Histories included.
func render(docs []features.Document) string {
	var b strings.Builder
	for _, d := range docs {
		h := "<nil>"
		if d.History != nil {
			h = fmt.Sprintf("%+v", *d.History)
		}
		fmt.Fprintf(&b, "%s %d %d %x %s %s %v %v\n", d.Source, d.Line, d.Index, d.SHA256, d.CreatorID, h, d.Warnings, d.Err)
	}
	return b.String()
}

// fuzzRead reads b as standard input and checks the documents' invariants.
func fuzzRead(t *testing.T, b []byte) []features.Document {
	src, err := features.Open([]string{"-"}, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var docs []features.Document
	for {
		d, ok := src.Next(context.Background())
		if !ok {
			break
		}
		if d.Index != len(docs) {
			t.Fatalf("document %d has Index %d", len(docs), d.Index)
		}
		if len(docs) > 0 && d.Line <= docs[len(docs)-1].Line {
			t.Fatalf("line %d after line %d", d.Line, docs[len(docs)-1].Line)
		}
		if (d.Err == nil) == (d.History == nil) {
			t.Fatalf("document %d: History %v and error %v", d.Index, d.History != nil, d.Err)
		}
		if d.History != nil && d.History.Creator.ID != d.CreatorID {
			t.Fatalf("CreatorID %q, History's %q", d.CreatorID, d.History.Creator.ID)
		}
		docs = append(docs, d)
	}
	if len(docs) == 0 {
		t.Fatal("no document, not even an error")
	}
	return docs
}

func TestFramingOf(t *testing.T) {
	for _, tt := range []struct {
		name  string
		want  features.Framing
		input bool
	}{
		{"a.json", features.FramingWhole, true},
		{"a.json.gz", features.FramingWhole, true},
		{"dir/a.jsonl", features.FramingLines, true},
		{"a.jsonl.gz", features.FramingLines, true},
		{"-", features.FramingSniff, false},
		{"a.txt", features.FramingSniff, false},
		{"a.gz", features.FramingSniff, false},
		{"a.json.bak", features.FramingSniff, false},
	} {
		if got := features.FramingOf(tt.name); got != tt.want {
			t.Errorf("FramingOf(%q) = %v, want %v", tt.name, got, tt.want)
		}
		if got := features.IsInputName(tt.name); got != tt.input {
			t.Errorf("IsInputName(%q) = %v, want %v", tt.name, got, tt.input)
		}
	}
}
