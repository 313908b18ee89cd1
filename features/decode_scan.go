package features

import (
	"fmt"
	"hash"
	"io"
	"strconv"
	"unicode/utf8"
)

// scanner is a buffered reader over the input with the few operations the
// JSON tokenizer needs. buf[r:w] holds the bytes not yet consumed; fill
// discards buf[:r]. When digest is set, every byte of the current document
// is written to it exactly once: buf[hashFrom:r] is consumed and not yet
// hashed.
type scanner struct {
	src  io.Reader
	buf  []byte
	r, w int
	eof  bool
	rerr error // read error other than io.EOF

	digest   hash.Hash // nil when not digesting
	hashing  bool      // inside a document
	hashFrom int

	nl int // line breaks consumed as whitespace
}

const scanBufSize = 64 << 10

func (s *scanner) reset(src io.Reader) {
	if s.buf == nil {
		s.buf = make([]byte, scanBufSize)
	}
	s.src, s.r, s.w, s.eof, s.rerr = src, 0, 0, false, nil
	s.hashing, s.hashFrom, s.nl = false, 0, 0
}

// fill reads more input, discarding the consumed bytes buf[:r]. It reports
// whether any new byte arrived. Indexes into buf shift down by the old r.
func (s *scanner) fill() bool {
	if s.eof || s.rerr != nil {
		return false
	}
	if s.r > 0 {
		if s.hashing {
			if s.r > s.hashFrom {
				s.digest.Write(s.buf[s.hashFrom:s.r])
			}
			s.hashFrom = 0
		}
		s.w = copy(s.buf, s.buf[s.r:s.w])
		s.r = 0
	}
	if s.w == len(s.buf) {
		nb := make([]byte, 2*len(s.buf))
		copy(nb, s.buf[:s.w])
		s.buf = nb
	}
	for {
		n, err := s.src.Read(s.buf[s.w:])
		s.w += n
		if err != nil {
			if err == io.EOF {
				s.eof = true
			} else {
				s.rerr = err
			}
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
}

// ensure reports whether at least k unconsumed bytes are buffered, reading
// more when needed.
func (s *scanner) ensure(k int) bool {
	for s.w-s.r < k {
		if !s.fill() {
			return false
		}
	}
	return true
}

// startDigest starts the digest of a document at the current position.
func (s *scanner) startDigest() {
	if s.digest == nil {
		return
	}
	s.digest.Reset()
	s.hashing, s.hashFrom = true, s.r
}

// endDigest writes the rest of the document, which ends at the current
// position, to the digest and returns the sum.
func (s *scanner) endDigest() (sum [32]byte) {
	if s.digest == nil || !s.hashing {
		return sum
	}
	if s.r > s.hashFrom {
		s.digest.Write(s.buf[s.hashFrom:s.r])
	}
	s.hashing = false
	s.digest.Sum(sum[:0])
	return sum
}

// peek skips whitespace and returns the next byte without consuming it.
// ok is false at the end of the input and, in JSON Lines, at a line break.
func (d *decoder) peek() (c byte, ok bool) {
	s := &d.s
	for {
		for s.r < s.w {
			c = s.buf[s.r]
			if c > ' ' {
				return c, true
			}
			switch c {
			case ' ', '\t', '\r':
				s.r++
			case '\n':
				if d.jsonl {
					return c, false
				}
				s.nl++
				s.r++
			default:
				return c, true
			}
		}
		if !s.fill() {
			return 0, false
		}
	}
}

// consume skips whitespace and consumes c, or fails with expected.
func (d *decoder) consume(c byte, expected string) error {
	got, ok := d.peek()
	if !ok || got != c {
		return d.fail(expected)
	}
	d.s.r++
	return nil
}

// str reads the string that starts at the current byte (a '"') and returns
// its decoded bytes, which stay valid until the next read. A string longer
// than max code points fails with tooLong as the expectation.
func (d *decoder) str(max int, tooLong string) ([]byte, error) {
	s := &d.s
	buf := s.buf[:s.w]
	i, n := s.r+1, 0
	for i < len(buf) {
		c := buf[i]
		if c < utf8.RuneSelf {
			if c == '"' {
				if n > max {
					return nil, d.tooLong(max, tooLong)
				}
				b := buf[s.r+1 : i]
				s.r = i + 1
				return b, nil
			}
			if c < 0x20 || c == '\\' {
				break
			}
			i++
			n++
			continue
		}
		r, size := utf8.DecodeRune(buf[i:])
		if r == utf8.RuneError && size == 1 {
			break
		}
		i += size
		n++
	}
	return d.strSlow(i, n, max, tooLong, true)
}

// skipStr consumes the string that starts at the current byte, checking it
// but keeping nothing and applying no length limit.
func (d *decoder) skipStr() error {
	_, err := d.strSlow(d.s.r+1, 0, -1, "", false)
	return err
}

// strSlow goes on reading a string from buf[i], where the n code points of
// buf[r+1:i] are already checked. It copies into d.scratch when keep is
// set, across buffer refills and escapes. max < 0 means no limit.
func (d *decoder) strSlow(i, n, max int, tooLong string, keep bool) ([]byte, error) {
	s := &d.s
	out := d.scratch[:0]
	if keep {
		out = append(out, s.buf[s.r+1:i]...)
	}
	s.r = i
	for {
		if max >= 0 && n > max {
			return nil, d.tooLong(max, tooLong)
		}
		if s.r >= s.w && !s.fill() {
			return nil, d.fail("the closing quote of the string")
		}
		// A run of text with nothing to unescape, checked as a whole.
		j := s.r
		for j < s.w {
			c := s.buf[j]
			if c < 0x20 || c == '"' || c == '\\' {
				break
			}
			j++
		}
		seg := s.buf[s.r:j]
		if j == s.w {
			// The buffer may end inside a code point: leave it for later.
			k := len(seg) - 1
			for k >= 0 && k >= len(seg)-utf8.UTFMax && !utf8.RuneStart(seg[k]) {
				k--
			}
			if k >= 0 && !utf8.FullRune(seg[k:]) {
				seg = seg[:k]
			}
		}
		if len(seg) > 0 {
			if !utf8.Valid(seg) {
				for len(seg) > 0 {
					r, size := utf8.DecodeRune(seg)
					if r == utf8.RuneError && size == 1 {
						break
					}
					s.r += size
					seg = seg[size:]
				}
				return nil, d.failf("valid UTF-8 text", fmt.Sprintf("the byte 0x%02x", s.buf[s.r]))
			}
			if keep {
				out = append(out, seg...)
			}
			n += utf8.RuneCount(seg)
			s.r += len(seg)
			continue
		}
		if j == s.w {
			// Only the start of a code point is left: read on.
			if !s.ensure(s.w - s.r + 1) {
				return nil, d.failf("valid UTF-8 text", fmt.Sprintf("the byte 0x%02x", s.buf[s.r]))
			}
			continue
		}
		c := s.buf[s.r]
		switch {
		case c == '"':
			s.r++
			if max >= 0 && n > max {
				return nil, d.tooLong(max, tooLong)
			}
			d.scratch = out
			return out, nil
		case c == '\\':
			r, err := d.escape()
			if err != nil {
				return nil, err
			}
			if keep {
				out = utf8.AppendRune(out, r)
			}
			n++
		default: // c < 0x20
			return nil, d.failf("text with control characters escaped", fmt.Sprintf("the raw control character U+%04X", c))
		}
	}
}

// escape consumes the escape sequence at the current byte (a '\\') and
// returns the code point it stands for. A surrogate pair is one code point;
// a lone surrogate is an error, as it is no UTF-8 text.
func (d *decoder) escape() (rune, error) {
	s := &d.s
	if !s.ensure(2) {
		s.r = s.w
		return 0, d.fail("an escape sequence")
	}
	e := s.buf[s.r+1]
	var r rune
	switch e {
	case '"', '\\', '/':
		r = rune(e)
	case 'b':
		r = '\b'
	case 'f':
		r = '\f'
	case 'n':
		r = '\n'
	case 'r':
		r = '\r'
	case 't':
		r = '\t'
	case 'u':
		r1, ok := d.hex4()
		if !ok {
			return 0, d.badEscape(6)
		}
		switch {
		case r1 >= 0xdc00 && r1 < 0xe000:
			return 0, d.failf("a valid UTF-16 surrogate pair", string(s.buf[s.r:s.r+6]))
		case r1 >= 0xd800 && r1 < 0xdc00:
			s.r += 6
			if !s.ensure(2) || s.buf[s.r] != '\\' || s.buf[s.r+1] != 'u' {
				return 0, d.failf("a low surrogate after \\u"+strconv.FormatInt(int64(r1), 16), d.found())
			}
			r2, ok := d.hex4()
			if !ok {
				return 0, d.badEscape(6)
			}
			if r2 < 0xdc00 || r2 >= 0xe000 {
				return 0, d.failf("a low surrogate after \\u"+strconv.FormatInt(int64(r1), 16), string(s.buf[s.r:s.r+6]))
			}
			r = (r1-0xd800)<<10 | (r2 - 0xdc00) + 0x10000
		default:
			r = r1
		}
		s.r += 6
		return r, nil
	default:
		return 0, d.badEscape(2)
	}
	s.r += 2
	return r, nil
}

// hex4 reads the 4 hex digits of a \u escape at the current position.
func (d *decoder) hex4() (rune, bool) {
	s := &d.s
	if !s.ensure(6) {
		return 0, false
	}
	var r rune
	for _, c := range s.buf[s.r+2 : s.r+6] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

func (d *decoder) badEscape(k int) error {
	s := &d.s
	end := min(s.r+k, s.w)
	return d.failf("a valid escape sequence", quoteEscape(s.buf[s.r:end]))
}

func (d *decoder) tooLong(max int, expected string) error {
	if expected == "" {
		expected = fmt.Sprintf("a string of at most %d characters", max)
	}
	return d.failf(expected, fmt.Sprintf("a string of more than %d characters", max))
}

func isNumByte(c byte) bool {
	return c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
}

// number reads the number literal at the current byte and returns its text,
// valid until the next read. expected names what the field wants.
func (d *decoder) number(expected string) ([]byte, error) {
	s := &d.s
	i := s.r
	for {
		for i < s.w && isNumByte(s.buf[i]) {
			i++
		}
		if i-s.r > MaxNumberLen {
			return nil, d.failf(expected, fmt.Sprintf("a number of more than %d characters", MaxNumberLen))
		}
		if i < s.w {
			break
		}
		off := i - s.r
		more := s.fill()
		i = s.r + off
		if !more {
			break
		}
	}
	tok := s.buf[s.r:i]
	if !validNumber(tok) {
		return nil, d.failf(expected, string(tok))
	}
	s.r = i
	return tok, nil
}

// validNumber reports whether b is a number in JSON's grammar.
func validNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		j := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == j {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == j {
			return false
		}
	}
	return i == len(b)
}

// literal consumes the literal word (true, false or null) at the current
// byte, or fails with expected.
func (d *decoder) literal(word, expected string) error {
	s := &d.s
	s.ensure(len(word))
	if s.w-s.r >= len(word) && string(s.buf[s.r:s.r+len(word)]) == word {
		s.r += len(word)
		return nil
	}
	return d.fail(expected)
}

// skip consumes one value of any type, checking its syntax, its text and
// its nesting depth (counted from the depth of the enclosing object).
func (d *decoder) skip() error {
	var stack [MaxDepth]byte
	n := 0
	for {
		// A value starts here.
		c, ok := d.peek()
		if !ok {
			return d.fail("a JSON value")
		}
		switch {
		case c == '{' || c == '[':
			if d.depth+n+1 > MaxDepth {
				return d.failf(fmt.Sprintf("at most %d levels of nesting", MaxDepth), "deeper nesting")
			}
			d.s.r++
			stack[n] = c
			n++
			end := byte('}')
			if c == '[' {
				end = ']'
			}
			c2, ok := d.peek()
			if ok && c2 == end {
				d.s.r++
				n--
			} else if c == '{' {
				if err := d.skipKey(); err != nil {
					return err
				}
				continue
			} else {
				continue
			}
		case c == '"':
			if err := d.skipStr(); err != nil {
				return err
			}
		case c == 't':
			if err := d.literal("true", "a JSON value"); err != nil {
				return err
			}
		case c == 'f':
			if err := d.literal("false", "a JSON value"); err != nil {
				return err
			}
		case c == 'n':
			if err := d.literal("null", "a JSON value"); err != nil {
				return err
			}
		case c == '-' || c >= '0' && c <= '9':
			if _, err := d.number("a JSON value"); err != nil {
				return err
			}
		default:
			return d.fail("a JSON value")
		}
		// After a value: close containers or move to the next element.
		for {
			if n == 0 {
				return nil
			}
			c, ok := d.peek()
			top := stack[n-1]
			if ok && c == ',' {
				d.s.r++
				if top == '{' {
					if err := d.skipKey(); err != nil {
						return err
					}
				}
				break
			}
			if ok && (top == '{' && c == '}' || top == '[' && c == ']') {
				d.s.r++
				n--
				continue
			}
			if top == '{' {
				return d.fail("',' or '}'")
			}
			return d.fail("',' or ']'")
		}
	}
}

// skipKey consumes an object key and the colon after it.
func (d *decoder) skipKey() error {
	c, ok := d.peek()
	if !ok || c != '"' {
		return d.fail("a field name")
	}
	if err := d.skipStr(); err != nil {
		return err
	}
	return d.consume(':', "':'")
}

// found describes the input at the current position for an error message,
// consuming it.
func (d *decoder) found() string {
	c, ok := d.peek()
	if !ok {
		if d.jsonl && d.s.r < d.s.w && d.s.buf[d.s.r] == '\n' {
			return "the end of the line"
		}
		return "the end of the input"
	}
	switch {
	case c == '{':
		return "an object"
	case c == '[':
		return "an array"
	case c == '"':
		b, err := d.str(MaxTextLen, "")
		if err != nil {
			return "an invalid string"
		}
		return quoteShort(b)
	case c == '-' || c >= '0' && c <= '9':
		s := &d.s
		s.ensure(64)
		i := s.r
		for i < s.w && i-s.r < 64 && isNumByte(s.buf[i]) {
			i++
		}
		return string(s.buf[s.r:i])
	case c >= 'a' && c <= 'z':
		s := &d.s
		s.ensure(16)
		i := s.r
		for i < s.w && i-s.r < 16 && s.buf[i] >= 'a' && s.buf[i] <= 'z' {
			i++
		}
		return string(s.buf[s.r:i])
	case c < utf8.RuneSelf && c >= ' ':
		return "the character `" + string(rune(c)) + "`"
	case c < utf8.RuneSelf:
		return fmt.Sprintf("the control character U+%04X", c)
	default:
		return fmt.Sprintf("the byte 0x%02x", c)
	}
}

// quoteShort quotes text for an error message, cut to 64 code points.
func quoteShort(b []byte) string {
	const limit = 64
	n := 0
	for i := range string(b) {
		if n == limit {
			return strconv.Quote(string(b[:i])) + "..."
		}
		n++
	}
	return strconv.Quote(string(b))
}

// quoteEscape shows a bad escape sequence as written, unless it holds bytes
// that would not print.
func quoteEscape(b []byte) string {
	for _, c := range b {
		if c < ' ' || c >= utf8.RuneSelf {
			return strconv.Quote(string(b))
		}
	}
	return string(b)
}
