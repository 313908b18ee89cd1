package batch

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"

	"bonafide/features"
)

// DefaultMaxDocumentBytes is the largest document (after decompression)
// that Run holds in memory; a larger one becomes an error line.
const DefaultMaxDocumentBytes = 256 << 20

// rawDoc is one input document as framed from its file, not yet decoded.
type rawDoc struct {
	source string // path as given, a file inside a folder, or "-"
	line   int    // 1-based JSON Lines line; 0 for a whole-file document
	data   []byte // the document bytes as read (after decompression)
	err    error  // the input could not be read; data is nil
}

// framer splits inputs into documents the way the decoder reads them:
// a .json file is one document, a .jsonl file one per non-blank line, a
// folder every .json, .jsonl (and .gz of those) inside sorted by name,
// "-" standard input (one document, or JSON Lines when its first
// non-blank line is a whole JSON value). Gzip is detected by its magic
// bytes. An input that cannot be read yields one document with err set
// and framing goes on with the next input.
type framer struct {
	inputs  []input
	stdin   io.Reader
	maxDoc  int
	read    atomic.Int64 // input bytes consumed so far (compressed)
	total   int64        // size of all regular input files; 0 if unknown
	unknown bool         // some input's size is unknown (stdin)

	cur     *openInput
	pending []rawDoc // documents queued by an input that failed on open
}

type input struct {
	path  string // as it will appear in error lines
	err   error  // could not be listed
	lines bool   // force JSON Lines (.jsonl)
	whole bool   // force a single document (.json)
}

type openInput struct {
	in    input
	close func() error
	br    *bufio.Reader
	line  int
	done  bool
}

// newFramer lists the inputs (expanding folders) without reading them.
func newFramer(paths []string, stdin io.Reader, maxDoc int) *framer {
	f := &framer{stdin: stdin, maxDoc: maxDoc}
	for _, p := range paths {
		if p == "-" {
			f.inputs = append(f.inputs, input{path: "-"})
			f.unknown = true
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			f.inputs = append(f.inputs, input{path: p, err: err})
			continue
		}
		if !st.IsDir() {
			f.inputs = append(f.inputs, kindOf(p))
			f.total += st.Size()
			continue
		}
		ents, err := os.ReadDir(p)
		if err != nil {
			f.inputs = append(f.inputs, input{path: p, err: err})
			continue
		}
		names := make([]string, 0, len(ents))
		for _, e := range ents {
			if e.Type().IsRegular() && !strings.HasPrefix(e.Name(), ".") && features.IsInputName(e.Name()) {
				names = append(names, e.Name())
			}
		}
		slices.Sort(names)
		for _, n := range names {
			fp := filepath.Join(p, n)
			f.inputs = append(f.inputs, kindOf(fp))
			if st, err := os.Stat(fp); err == nil {
				f.total += st.Size()
			}
		}
	}
	return f
}

func kindOf(p string) input {
	fr := features.FramingOf(p)
	return input{path: p, lines: fr == features.FramingLines, whole: fr == features.FramingWhole}
}

// next returns the next document; ok is false after the last one.
func (f *framer) next() (d rawDoc, ok bool) {
	for {
		if len(f.pending) > 0 {
			d, f.pending = f.pending[0], f.pending[1:]
			return d, true
		}
		if f.cur == nil {
			if len(f.inputs) == 0 {
				return rawDoc{}, false
			}
			in := f.inputs[0]
			f.inputs = f.inputs[1:]
			if in.err != nil {
				return rawDoc{source: in.path, err: in.err}, true
			}
			oi, err := f.open(in)
			if err != nil {
				return rawDoc{source: in.path, err: err}, true
			}
			f.cur = oi
		}
		d, ok := f.cur.next(f.maxDoc)
		if ok {
			return d, true
		}
		f.cur.close()
		f.cur = nil
	}
}

// close releases the input being read, if any.
func (f *framer) close() error {
	if f.cur == nil {
		return nil
	}
	err := f.cur.close()
	f.cur = nil
	return err
}

type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

func (f *framer) open(in input) (*openInput, error) {
	var r io.Reader
	closeFn := func() error { return nil }
	if in.path == "-" {
		if f.stdin == nil {
			return nil, errors.New("no standard input")
		}
		r = f.stdin
	} else {
		fh, err := os.Open(in.path)
		if err != nil {
			return nil, err
		}
		r, closeFn = fh, fh.Close
	}
	br := bufio.NewReaderSize(countingReader{r, &f.read}, 256<<10)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			closeFn()
			return nil, fmt.Errorf("gunzip: %w", err)
		}
		br = bufio.NewReaderSize(zr, 256<<10)
	}
	if !in.lines && !in.whole {
		in.lines = sniffLines(br)
		in.whole = !in.lines
	}
	return &openInput{in: in, br: br, close: closeFn}, nil
}

// sniffLines reports whether the stream reads as JSON Lines: its first
// non-blank line is a complete JSON value on its own and more than blank
// space follows it (as features.Source decides). A pretty-printed
// document starts with a line such as "{" that is not; a single compact
// document is one whole document.
func sniffLines(br *bufio.Reader) bool {
	for n := 4 << 10; ; n *= 2 {
		b, err := br.Peek(n)
		b = bytes.TrimLeft(b, " \t\r\n")
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			if !json.Valid(b[:i]) {
				return false
			}
			// A whole value on the first line: lines if anything follows.
			for {
				rest := bytes.TrimLeft(b[i:], " \t\r\n")
				if len(rest) > 0 {
					return true
				}
				if err != nil || n >= br.Size() {
					return false
				}
				n *= 2
				b, err = br.Peek(n)
				b = bytes.TrimLeft(b, " \t\r\n")
				i = bytes.IndexByte(b, '\n')
			}
		}
		if err != nil || n >= br.Size() {
			return false // one line only, or longer than the buffer
		}
	}
}

func (o *openInput) next(maxDoc int) (rawDoc, bool) {
	if o.done {
		return rawDoc{}, false
	}
	if o.in.whole {
		o.done = true
		b, err := io.ReadAll(io.LimitReader(o.br, int64(maxDoc)+1))
		if err != nil {
			return rawDoc{source: o.in.path, err: err}, true
		}
		if len(b) > maxDoc {
			return rawDoc{source: o.in.path, err: errTooLarge(maxDoc)}, true
		}
		return rawDoc{source: o.in.path, data: b}, true
	}
	for {
		b, err := readLine(o.br, maxDoc)
		if err == io.EOF && b == nil {
			o.done = true
			return rawDoc{}, false
		}
		o.line++
		if err != nil && err != io.EOF {
			if !errors.Is(err, errLineTooLarge) {
				o.done = true
				return rawDoc{source: o.in.path, line: o.line, err: err}, true
			}
			return rawDoc{source: o.in.path, line: o.line, err: errTooLarge(maxDoc)}, true
		}
		if len(bytes.TrimSpace(b)) == 0 {
			if err == io.EOF {
				o.done = true
				return rawDoc{}, false
			}
			continue
		}
		return rawDoc{source: o.in.path, line: o.line, data: b}, true
	}
}

var errLineTooLarge = errors.New("line too large")

func errTooLarge(max int) error {
	return fmt.Errorf("document larger than %d bytes", max)
}

// readLine returns one line without its "\n" in a
// fresh slice. At the end of input it returns the last unterminated line
// with io.EOF, or nil and io.EOF. A line longer than max is skipped and
// reported with errLineTooLarge.
func readLine(br *bufio.Reader, max int) ([]byte, error) {
	var buf []byte
	tooLarge := false
	for {
		frag, err := br.ReadSlice('\n')
		if !tooLarge {
			if len(buf)+len(frag) > max+2 {
				tooLarge, buf = true, nil
			} else if buf == nil && err == nil {
				buf = append(make([]byte, 0, len(frag)), frag...)
			} else {
				buf = append(buf, frag...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if tooLarge {
			if err == io.EOF {
				return nil, errLineTooLarge
			}
			if err != nil {
				return nil, err
			}
			return nil, errLineTooLarge
		}
		if err == io.EOF {
			if len(buf) == 0 {
				return nil, io.EOF
			}
			return trimEOL(buf), io.EOF
		}
		if err != nil {
			return nil, err
		}
		buf = trimEOL(buf)
		if len(buf) > max {
			return nil, errLineTooLarge
		}
		return buf, nil
	}
}

// trimEOL drops the "\n" ending a line. A "\r" before it stays: it is
// blank space to the decoder, and the document digest covers the line
// without its "\n" only, as features.Source computes it.
func trimEOL(b []byte) []byte {
	return bytes.TrimSuffix(b, []byte("\n"))
}
