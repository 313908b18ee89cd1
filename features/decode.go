package features

import (
	"fmt"
	"hash/maphash"
	"io"
	"strconv"
	"time"
)

// Decode reads exactly one creator-history document from r, checks it
// against the contract of spec/creator-history.md, sorts Series by time and
// fills in Sample as the spec says. Anything but whitespace after the
// document is an error.
//
// Decode streams: it holds the History it builds and one 64 KiB buffer, never
// a tree of the whole document. A contract violation is returned as a
// *FieldError naming the first bad field; a read error is returned wrapped.
// What is odd but valid comes back as warnings, in a fixed order.
//
// The rules beyond the spec's own are these. Counts are JSON numbers whose
// value is a non-negative integer below 2^63 (12, 12.0 and 1.2e1 are the
// same count; 1.5 and -1 are not). Ids are non-empty. null stands for an
// absent optional field. A known field given twice in one object is an
// error; unknown fields are skipped. Strings are at most MaxTextLen code
// points (MaxIDLen for ids), numbers MaxNumberLen bytes and nesting
// MaxDepth levels. Text must be valid UTF-8, escapes included (no lone
// surrogates).
func Decode(r io.Reader) (*History, []Warning, error) {
	// The decoder escapes to the heap (decodeObject calls the field
	// readers through tables): it comes in one allocation with its buffer.
	m := new(struct {
		d   decoder
		buf [scanBufSize]byte
	})
	d := &m.d
	d.s.buf = m.buf[:]
	d.s.reset(r)
	h, err := d.document()
	if err != nil {
		return nil, nil, err
	}
	if _, ok := d.peek(); ok || d.s.rerr != nil {
		d.at = loc{i: -1, j: -1}
		return nil, nil, d.fail("the end of the input after the document")
	}
	return h, d.warnings(h), nil
}

// loc is where the decoder is, to name a field in an error:
// a[i].b[j].f, where the parts that do not apply are empty or -1. Inside
// an element of a list, i (or j, in a post's comments) is also the
// element's index for the checks of unique ids.
type loc struct {
	a       string
	i       int
	b       string
	j       int
	f       string
	unknown bool // the field is the unknown key in decoder.key
}

// decoder reads documents from one scanner, reusing its buffers and maps
// from one document to the next.
type decoder struct {
	s       scanner
	jsonl   bool // a line break ends the document
	depth   int  // open arrays and objects of the document
	at      loc
	key     []byte
	scratch []byte

	creatorID  string // creator.id once read, even if the document fails
	observedAt time.Time
	hasObs     bool

	// The bookkeeping of the lists, for the checks of unique ids and times.
	snapshotTimes map[[2]int64]int32  // follower_series index by time
	followerList  followerList        // the followers read so far
	followerIDs   map[uint64]struct{} // hashes of the follower ids
	seed          maphash.Seed
	postIDs       map[string]int32 // post index by id
	commentIDs    map[string]int32 // comment index by id, in one post
}

func (d *decoder) path() string {
	var b []byte
	if d.at.a != "" {
		b = append(b, d.at.a...)
		if d.at.i >= 0 {
			b = append(b, '[')
			b = strconv.AppendInt(b, int64(d.at.i), 10)
			b = append(b, ']')
		}
	}
	if d.at.b != "" {
		b = append(b, '.')
		b = append(b, d.at.b...)
		if d.at.j >= 0 {
			b = append(b, '[')
			b = strconv.AppendInt(b, int64(d.at.j), 10)
			b = append(b, ']')
		}
	}
	f := d.at.f
	if d.at.unknown {
		f = fieldName(d.key)
	}
	if f != "" {
		if len(b) > 0 && f[0] != '[' {
			b = append(b, '.')
		}
		b = append(b, f...)
	}
	return string(b)
}

// fieldName renders an object key for a path: as is when it is a plain
// name, else quoted in brackets (["odd key"]), cut to 64 code points.
func fieldName(k []byte) string {
	plain := len(k) > 0 && len(k) <= 64
	for _, c := range k {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			plain = false
			break
		}
	}
	if plain {
		return string(k)
	}
	return "[" + quoteShort(k) + "]"
}

// fail returns the error for a violation at the current position: what
// was expected and a description of what is there. A read error takes
// precedence, since the input then only seems to end.
func (d *decoder) fail(expected string) error {
	if d.s.rerr != nil {
		return fmt.Errorf("read: %w", d.s.rerr)
	}
	return d.failf(expected, d.found())
}

func (d *decoder) failf(expected, found string) error {
	if d.s.rerr != nil {
		return fmt.Errorf("read: %w", d.s.rerr)
	}
	return &FieldError{Field: d.path(), Expected: expected, Found: found}
}

// Expectations, as they read in error messages.
const (
	expObject = "an object"
	expText   = "a string"
	expID     = "a non-empty string"
	expCount  = "a non-negative integer"
	expBool   = "true or false"
	expTime   = "an RFC 3339 time or a date"
)

const (
	textTooLong = ""
	idTooLong   = "an id of at most 65536 characters"
)

// beginObject consumes the '{' of an object that describes what.
func (d *decoder) beginObject(what string) error {
	c, ok := d.peek()
	if !ok || c != '{' {
		return d.fail(what)
	}
	if d.depth+1 > MaxDepth {
		return d.failf(fmt.Sprintf("at most %d levels of nesting", MaxDepth), "deeper nesting")
	}
	d.s.r++
	d.depth++
	return nil
}

// nextKey moves to the next field of an open object and returns its name,
// which stays valid until the next nextKey. ok is false after the closing
// '}'. first is true for the first call on an object.
func (d *decoder) nextKey(first bool) (key []byte, ok bool, err error) {
	c, ok := d.peek()
	if !first {
		switch {
		case ok && c == ',':
			d.s.r++
			c, ok = d.peek()
			if !ok || c != '"' {
				return nil, false, d.fail("a field name")
			}
		case ok && c == '}':
			d.s.r++
			d.depth--
			return nil, false, nil
		default:
			return nil, false, d.fail("',' or '}'")
		}
	} else if ok && c == '}' {
		d.s.r++
		d.depth--
		return nil, false, nil
	} else if !ok || c != '"' {
		return nil, false, d.fail("a field name or '}'")
	}
	b, err := d.str(MaxTextLen, "a field name of at most 1048576 characters")
	if err != nil {
		return nil, false, err
	}
	d.key = append(d.key[:0], b...)
	if err := d.consume(':', "':'"); err != nil {
		return nil, false, err
	}
	return d.key, true, nil
}

// beginArray consumes the '[' of an array that describes what. null stands
// for an absent array: present is false then.
func (d *decoder) beginArray(what string) (present bool, err error) {
	c, ok := d.peek()
	if ok && c == 'n' {
		return false, d.literal("null", what)
	}
	if !ok || c != '[' {
		return false, d.fail(what)
	}
	if d.depth+1 > MaxDepth {
		return false, d.failf(fmt.Sprintf("at most %d levels of nesting", MaxDepth), "deeper nesting")
	}
	d.s.r++
	d.depth++
	return true, nil
}

// nextElem moves to the next element of an open array; ok is false after
// the closing ']'.
func (d *decoder) nextElem(first bool) (ok bool, err error) {
	c, ok := d.peek()
	switch {
	case ok && c == ']':
		d.s.r++
		d.depth--
		return false, nil
	case first:
		return true, nil
	case ok && c == ',':
		d.s.r++
		return true, nil
	}
	return false, d.fail("',' or ']'")
}

// unknownField skips the value of a field the contract does not define.
func (d *decoder) unknownField() error {
	d.at.unknown = true
	err := d.skip()
	d.at.unknown = false
	return err
}

// duplicate fails on a known field given twice in one object: each field
// has its bit in seen.
func (d *decoder) duplicate(seen *uint32, bit uint32) error {
	if *seen&bit != 0 {
		return d.failf("each field once", "it twice")
	}
	*seen |= bit
	return nil
}

// isNull consumes a null and reports whether there was one.
func (d *decoder) isNull() bool {
	c, ok := d.peek()
	if ok && c == 'n' && d.s.ensure(4) && string(d.s.buf[d.s.r:d.s.r+4]) == "null" {
		d.s.r += 4
		return true
	}
	return false
}

func (d *decoder) text(max int, tooLong string) (string, error) {
	c, ok := d.peek()
	if !ok || c != '"' {
		return "", d.fail(expText)
	}
	b, err := d.str(max, tooLong)
	return string(b), err
}

// id reads a required identifier.
func (d *decoder) id() (string, error) {
	c, ok := d.peek()
	if !ok || c != '"' {
		return "", d.fail(expID)
	}
	b, err := d.str(MaxIDLen, idTooLong)
	if err != nil {
		return "", err
	}
	if len(b) == 0 {
		return "", d.failf(expID, `""`)
	}
	return string(b), nil
}

// optText reads an optional string; null leaves it absent.
func (d *decoder) optText() (OptString, error) {
	if d.isNull() {
		return OptString{}, nil
	}
	s, err := d.text(MaxTextLen, textTooLong)
	return OptString{V: s, OK: err == nil}, err
}

// plainText reads an optional string kept as a plain string; null is "".
func (d *decoder) plainText() (string, error) {
	if d.isNull() {
		return "", nil
	}
	return d.text(MaxTextLen, textTooLong)
}

func (d *decoder) count() (int64, error) {
	c, ok := d.peek()
	if !ok || !(c == '-' || c >= '0' && c <= '9') {
		return 0, d.fail(expCount)
	}
	tok, err := d.number(expCount)
	if err != nil {
		return 0, err
	}
	v, ok := parseCount(tok)
	if !ok {
		return 0, d.failf(expCount, string(tok))
	}
	return v, nil
}

func (d *decoder) optCount() (OptInt, error) {
	if d.isNull() {
		return OptInt{}, nil
	}
	v, err := d.count()
	return OptInt{V: v, OK: err == nil}, err
}

func (d *decoder) optBool() (OptBool, error) {
	c, ok := d.peek()
	switch {
	case ok && c == 't':
		return OptBool{V: true, OK: true}, d.literal("true", expBool)
	case ok && c == 'f':
		return OptBool{V: false, OK: true}, d.literal("false", expBool)
	case ok && c == 'n':
		return OptBool{}, d.literal("null", expBool)
	}
	return OptBool{}, d.fail(expBool)
}

func (d *decoder) time() (time.Time, error) {
	c, ok := d.peek()
	if !ok || c != '"' {
		return time.Time{}, d.fail(expTime)
	}
	b, err := d.str(64, expTime)
	if err != nil {
		return time.Time{}, err
	}
	t, ok := parseTimeBytes(b)
	if !ok {
		return time.Time{}, d.failf(expTime, quoteShort(b))
	}
	return t, nil
}

func (d *decoder) optTime() (OptTime, error) {
	if d.isNull() {
		return OptTime{}, nil
	}
	t, err := d.time()
	return OptTime{V: t, OK: err == nil}, err
}

// missing fails on a required field that an object left out; d.at names
// the object.
func (d *decoder) missing(field, expected string) error {
	d.at.f = field
	return d.failf(expected, "nothing")
}
