package features

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
)

// A Document is one input document as read by a Source. Its SHA256 covers
// the bytes of the document after decompression: the whole file or
// standard input (whitespace included) for a single document, the line
// without its "\n" for JSON Lines.
type Document struct {
	Source    string   // file path, or "-" for standard input
	Line      int      // 1-based JSON Lines line number, 0 otherwise
	Index     int      // 0-based position among all documents of the Source (stable order)
	SHA256    [32]byte // digest of the document bytes as read (after decompression)
	CreatorID string   // creator.id where it could be read, even when Err != nil
	History   *History // nil when Err != nil
	Warnings  []Warning
	Err       error // *FieldError for contract violations; other errors for I/O
}

// Source reads documents from files, folders and standard input, one at a
// time, in a stable order. It holds one document at a time. A Source is not
// safe for concurrent use.
type Source struct {
	pending []string // inputs not yet opened, in order
	stdin   io.Reader
	index   int
	closed  bool

	cur *input
	d   decoder
}

// Framing is how an input holds its documents.
type Framing int

const (
	// FramingWhole is one document (a ".json" name).
	FramingWhole Framing = iota
	// FramingLines is JSON Lines (a ".jsonl" name).
	FramingLines
	// FramingSniff is one document, or JSON Lines if several lines hold
	// one each: standard input, or a name that says neither.
	FramingSniff
)

type input struct {
	name   string
	file   *os.File // nil for standard input
	gz     *gzip.Reader
	mode   Framing
	line   int // line number of the next line to read, in FramingLines
	done   bool
	closed bool
}

// Open returns a Source over inputs:
//   - a file: .json or .json.gz holds one document, .jsonl or .jsonl.gz
//     holds JSON Lines; any other name is sniffed as standard input is;
//   - a folder: every .json, .json.gz, .jsonl and .jsonl.gz file directly
//     inside it (not in subfolders; names starting with "." are left out),
//     sorted by name;
//   - "-": standard input, read from stdin. It holds one JSON document, or
//     JSON Lines when its first line holds a whole document and more
//     follow.
//
// Gzip is recognised by its magic bytes, whatever the name. Open checks its
// arguments only; files are opened as Next reaches them.
func Open(paths []string, stdin io.Reader) (*Source, error) {
	if len(paths) == 0 {
		return nil, errors.New("open inputs: no input given")
	}
	dash := 0
	for _, p := range paths {
		if p == "-" {
			dash++
		}
	}
	if dash > 1 {
		return nil, errors.New("open inputs: standard input (-) given more than once")
	}
	if dash == 1 && stdin == nil {
		return nil, errors.New("open inputs: standard input (-) given but no reader for it")
	}
	s := &Source{pending: append([]string(nil), paths...), stdin: stdin}
	s.d.s.digest = sha256.New()
	return s, nil
}

// Next returns the next document; ok is false at the end of the inputs and
// once ctx is done (check ctx.Err()). An unreadable input yields a
// Document with Err set and the Source goes on to the next input; a bad
// document never stops the documents after it.
func (s *Source) Next(ctx context.Context) (doc Document, ok bool) {
	for {
		if s.closed || ctx.Err() != nil {
			return Document{}, false
		}
		if s.cur == nil {
			if len(s.pending) == 0 {
				return Document{}, false
			}
			name := s.pending[0]
			s.pending = s.pending[1:]
			in, expanded, err := s.open(name)
			if err != nil {
				return s.number(Document{Source: name, Err: err}), true
			}
			if expanded != nil {
				s.pending = append(expanded, s.pending...)
				continue
			}
			s.cur = in
		}
		doc, ok := s.read(s.cur)
		if s.cur.done {
			if err := s.cur.close(); err != nil && ok && doc.Err == nil {
				doc.Err, doc.History, doc.Warnings = fmt.Errorf("close %s: %w", s.cur.name, err), nil, nil
			}
			s.cur = nil
		}
		if ok {
			return s.number(doc), true
		}
	}
}

func (s *Source) number(doc Document) Document {
	doc.Index = s.index
	s.index++
	return doc
}

// Close closes the input being read. Next returns nothing after Close.
func (s *Source) Close() error {
	s.closed = true
	if s.cur == nil {
		return nil
	}
	err := s.cur.close()
	s.cur = nil
	return err
}

// open opens one input. A folder comes back as the list of its inputs.
func (s *Source) open(name string) (*input, []string, error) {
	in := &input{name: name, mode: FramingOf(name)}
	var r io.Reader
	if name == "-" {
		r = s.stdin
	} else {
		f, err := os.Open(name)
		if err != nil {
			return nil, nil, err
		}
		fi, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, nil, err
		}
		if fi.IsDir() {
			entries, err := f.ReadDir(-1)
			f.Close()
			if err != nil {
				return nil, nil, fmt.Errorf("read folder %s: %w", name, err)
			}
			list := make([]string, 0, len(entries))
			for _, e := range entries {
				if e.IsDir() || strings.HasPrefix(e.Name(), ".") || !IsInputName(e.Name()) {
					continue
				}
				list = append(list, filepath.Join(name, e.Name()))
			}
			// os.File.ReadDir does not sort; the order must not depend on
			// the file system.
			slices.Sort(list)
			return nil, list, nil
		}
		in.file, r = f, f
	}
	var head [2]byte
	n, err := io.ReadFull(r, head[:])
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		in.close()
		return nil, nil, fmt.Errorf("read %s: %w", name, err)
	}
	r = io.MultiReader(bytes.NewReader(head[:n]), r)
	if n == 2 && head[0] == 0x1f && head[1] == 0x8b {
		gz, err := gzip.NewReader(r)
		if err != nil {
			in.close()
			return nil, nil, fmt.Errorf("read %s: %w", name, err)
		}
		in.gz, r = gz, gz
	}
	s.d.s.reset(r)
	s.d.s.startDigest()
	in.line = 1
	return in, nil, nil
}

func (in *input) close() error {
	if in.closed {
		return nil
	}
	in.closed = true
	var err error
	if in.gz != nil {
		err = in.gz.Close()
	}
	if in.file != nil {
		if cerr := in.file.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// IsInputName reports whether a file named name holds documents by its
// name (".json", ".jsonl", either gzipped): what a folder's listing keeps.
func IsInputName(name string) bool { return name != "-" && FramingOf(name) != FramingSniff }

// FramingOf says how the input called name holds its documents, by its
// name: ".json" one, ".jsonl" one a line (either may end in ".gz"); "-"
// (standard input) and any other name are sniffed.
func FramingOf(name string) Framing {
	base := strings.TrimSuffix(name, ".gz")
	switch {
	case name == "-":
		return FramingSniff
	case strings.HasSuffix(base, ".jsonl"):
		return FramingLines
	case strings.HasSuffix(base, ".json"):
		return FramingWhole
	}
	return FramingSniff
}

// read reads the next document of in; ok is false when in has none left.
func (s *Source) read(in *input) (Document, bool) {
	switch in.mode {
	case FramingWhole:
		in.done = true
		return s.whole(in), true
	case FramingLines:
		return s.line(in)
	default:
		return s.sniff(in)
	}
}

// finish turns the decoder's result into a Document.
func (s *Source) finish(in *input, line int, h *History, err error) Document {
	doc := Document{Source: in.name, Line: line, CreatorID: s.d.creatorID}
	var fe *FieldError
	switch {
	case err == nil:
		doc.History = h
		doc.Warnings = s.d.warnings(h)
	case errors.As(err, &fe):
		fe.Source, fe.Line = in.name, line
		doc.Err = fe
	default:
		doc.Err = fmt.Errorf("%s: %w", in.name, err)
	}
	return doc
}

// whole reads the single document of in, and checks that nothing follows.
func (s *Source) whole(in *input) Document {
	d := &s.d
	d.jsonl = false
	d.s.startDigest()
	h, err := d.document()
	if err == nil {
		if _, ok := d.peek(); ok || d.s.rerr != nil {
			d.at = loc{i: -1, j: -1}
			err = d.fail("the end of the input after the document")
		}
	}
	d.drain(-1)
	doc := s.finish(in, 0, h, err)
	doc.SHA256 = d.s.endDigest()
	if d.s.rerr != nil && doc.Err == nil {
		doc.Err, doc.History, doc.Warnings = fmt.Errorf("read %s: %w", in.name, d.s.rerr), nil, nil
	}
	return doc
}

// drain consumes the input up to the next stop byte (not consuming it), or
// to the end when stop < 0.
func (d *decoder) drain(stop int) {
	s := &d.s
	for {
		if stop >= 0 {
			if i := bytes.IndexByte(s.buf[s.r:s.w], byte(stop)); i >= 0 {
				s.r += i
				return
			}
		}
		s.r = s.w
		if !s.fill() {
			return
		}
	}
}

// blankLines skips empty lines of JSON Lines input; it reports false at the
// end of the input. The digest runs from the start of each line.
func (s *Source) blankLines(in *input) bool {
	sc := &s.d.s
	for {
		if sc.r == sc.w && !sc.fill() {
			return false
		}
		switch sc.buf[sc.r] {
		case ' ', '\t', '\r':
			sc.r++
		case '\n':
			sc.r++
			in.line++
			sc.startDigest()
		default:
			return true
		}
	}
}

// line reads the document of the next line that is not blank.
func (s *Source) line(in *input) (Document, bool) {
	d := &s.d
	if !s.blankLines(in) {
		in.done = true
		if d.s.rerr != nil {
			return Document{Source: in.name, Line: in.line, Err: fmt.Errorf("read %s: %w", in.name, d.s.rerr)}, true
		}
		return Document{}, false
	}
	line := in.line
	d.jsonl = true
	h, err := d.document()
	if err == nil {
		err = d.endOfLine()
	}
	return s.endLine(in, line, h, err), true
}

// endOfLine checks that only blanks follow the document on its line.
func (d *decoder) endOfLine() error {
	s := &d.s
	for {
		for s.r < s.w {
			switch s.buf[s.r] {
			case ' ', '\t', '\r':
				s.r++
			case '\n':
				return nil
			default:
				d.at = loc{i: -1, j: -1}
				return d.fail("the end of the line after the document")
			}
		}
		if !s.fill() {
			if s.rerr != nil {
				return fmt.Errorf("read: %w", s.rerr)
			}
			return nil
		}
	}
}

// endLine finishes the document of a line: it skips the rest of the line,
// closes the digest and consumes the line break.
func (s *Source) endLine(in *input, line int, h *History, err error) Document {
	d := &s.d
	d.drain('\n')
	doc := s.finish(in, line, h, err)
	doc.SHA256 = d.s.endDigest()
	if d.s.rerr != nil {
		in.done = true
		if doc.Err == nil {
			doc.Err, doc.History, doc.Warnings = fmt.Errorf("read %s: %w", in.name, d.s.rerr), nil, nil
		}
		return doc
	}
	if d.s.r < d.s.w && d.s.buf[d.s.r] == '\n' {
		d.s.r++
		in.line++
		d.s.startDigest()
	} else {
		in.done = true
	}
	return doc
}

// sniff reads the first document of standard input (or of a file whose
// name says nothing) and decides whether the input is one document or
// JSON Lines: it is JSON Lines when the first document ends on the first
// line and another line follows that starts a document ('{').
func (s *Source) sniff(in *input) (Document, bool) {
	d := &s.d
	sc := &d.s
	d.jsonl = false
	sc.nl = 0
	sc.startDigest()
	h, err := d.document()
	if sc.nl > 0 || sc.rerr != nil {
		// A document over several lines: the input is that one document.
		in.mode = FramingWhole
		if err == nil {
			if _, ok := d.peek(); ok || sc.rerr != nil {
				d.at = loc{i: -1, j: -1}
				err = d.fail("the end of the input after the document")
			}
		}
		in.done = true
		d.drain(-1)
		doc := s.finish(in, 0, h, err)
		doc.SHA256 = sc.endDigest()
		return doc, true
	}
	// The first document (or its error) is on line 1. Anything but blanks
	// after a good document on that line makes the input one document
	// with trailing data.
	if err == nil {
		for {
			if sc.r == sc.w && !sc.fill() {
				break
			}
			if c := sc.buf[sc.r]; c == ' ' || c == '\t' || c == '\r' {
				sc.r++
				continue
			}
			if sc.buf[sc.r] != '\n' {
				in.done = true
				d.at = loc{i: -1, j: -1}
				err = d.fail("the end of the input after the document")
				d.drain(-1)
				doc := s.finish(in, 0, h, err)
				doc.SHA256 = sc.endDigest()
				return doc, true
			}
			break
		}
		if sc.rerr != nil {
			err = fmt.Errorf("read: %w", sc.rerr)
		}
	}
	d.drain('\n')
	// The digest of line 1, in case the input is JSON Lines.
	if sc.r > sc.hashFrom {
		sc.digest.Write(sc.buf[sc.hashFrom:sc.r])
		sc.hashFrom = sc.r
	}
	var lineSum [32]byte
	sc.digest.Sum(lineSum[:0])
	// Look past the line break for the next line that is not blank,
	// keeping the digest of the whole input going.
	nl := 0
	var lead []byte // blanks consumed on the current line
	lines := false
	for {
		if sc.r == sc.w && !sc.fill() {
			break
		}
		c := sc.buf[sc.r]
		if c == '\n' {
			nl++
			lead = lead[:0]
		} else if (c == ' ' || c == '\t' || c == '\r') && len(lead) < 1<<16 {
			lead = append(lead, c)
		} else {
			lines = nl > 0 && c == '{'
			break
		}
		sc.r++
	}
	if lines {
		in.mode = FramingLines
		in.line = 1 + nl
		doc := s.finish(in, 1, h, err)
		doc.SHA256 = lineSum
		sc.startDigest()
		sc.digest.Write(lead)
		return doc, true
	}
	if err == nil {
		if _, ok := d.peek(); ok || sc.rerr != nil {
			d.at = loc{i: -1, j: -1}
			err = d.fail("the end of the input after the document")
		}
	}
	in.done = true
	d.drain(-1)
	doc := s.finish(in, 0, h, err)
	doc.SHA256 = sc.endDigest()
	return doc, true
}
