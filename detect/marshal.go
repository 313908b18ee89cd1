package detect

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"
)

// AppendJSON appends the JSON encoding of r to dst and returns the
// extended buffer. The bytes are exactly those of json.Marshal(r) (field
// order, map keys sorted, HTML-safe string escapes, the float format of
// encoding/json), written without reflection: the batch encodes one report
// per document, and json.Marshal cost about as much as decoding the
// document. A NaN or infinite float, which json.Marshal refuses, is an
// error here too (its message differs: callers that must report the same
// error call json.Marshal for it).
func (r *Report) AppendJSON(dst []byte) ([]byte, error) {
	var bad error
	num := func(b []byte, f float64) []byte {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			bad = fmt.Errorf("encode report: unsupported value %v", f)
			return append(b, '0')
		}
		return appendFloat(b, f)
	}
	b := append(dst, `{"format":`...)
	b = appendString(b, r.Format)
	b = append(b, `,"creator_id":`...)
	b = appendString(b, r.CreatorID)
	b = append(b, `,"platform":`...)
	b = appendString(b, r.Platform)
	b = append(b, `,"handle":`...)
	b = appendString(b, r.Handle)
	b = append(b, `,"observed_at":`...)
	b = appendString(b, r.ObservedAt)
	b = append(b, `,"model":`...)
	b = appendString(b, r.Model)
	b = append(b, `,"input_sha256":`...)
	b = appendString(b, r.InputSHA256)
	b = append(b, `,"authenticity":`...)
	b = num(b, r.Authenticity)
	b = append(b, `,"verdict":`...)
	b = appendString(b, r.Verdict)

	ff := &r.FakeFollowers
	b = append(b, `,"fake_followers":{"estimate":`...)
	b = appendFloatPtr(b, ff.Estimate, num)
	b = append(b, `,"low":`...)
	b = appendFloatPtr(b, ff.Low, num)
	b = append(b, `,"high":`...)
	b = appendFloatPtr(b, ff.High, num)
	b = append(b, `,"basis":`...)
	if ff.Basis == nil {
		b = append(b, "null"...)
	} else {
		b = strconv.AppendInt(b, int64(*ff.Basis), 10)
	}
	b = append(b, `,"method":`...)
	if ff.Method == nil {
		b = append(b, "null"...)
	} else {
		b = appendString(b, *ff.Method)
	}

	b = append(b, `},"signals":`...)
	if r.Signals == nil {
		b = append(b, "null"...)
	} else {
		names := make([]string, 0, len(r.Signals))
		for name := range r.Signals {
			names = append(names, name)
		}
		slices.Sort(names)
		b = append(b, '{')
		for i, name := range names {
			if i > 0 {
				b = append(b, ',')
			}
			s := r.Signals[name]
			b = appendString(b, name)
			b = append(b, `:{"value":`...)
			b = num(b, s.Value)
			b = append(b, `,"typical":`...)
			b = appendFloatPtr(b, s.Typical, num)
			b = append(b, `,"percentile":`...)
			b = appendFloatPtr(b, s.Percentile, num)
			b = append(b, `,"flag":`...)
			b = strconv.AppendBool(b, s.Flag)
			b = append(b, '}')
		}
		b = append(b, '}')
	}

	b = append(b, `,"growth_spikes":`...)
	if r.GrowthSpikes == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range r.GrowthSpikes {
			s := &r.GrowthSpikes[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"start":`...)
			b = appendString(b, s.Start)
			b = append(b, `,"end":`...)
			b = appendString(b, s.End)
			b = append(b, `,"gained":`...)
			b = strconv.AppendInt(b, s.Gained, 10)
			b = append(b, `,"expected":`...)
			b = strconv.AppendInt(b, s.Expected, 10)
			b = append(b, `,"kind":`...)
			b = appendString(b, s.Kind)
			b = append(b, `,"explained_by":`...)
			if s.ExplainedBy == nil {
				b = append(b, "null"...)
			} else {
				b = appendString(b, *s.ExplainedBy)
			}
			if s.Unchecked {
				b = append(b, `,"unchecked":true`...)
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}

	b = append(b, `,"reasons":`...)
	if r.Reasons == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range r.Reasons {
			rs := &r.Reasons[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"signal":`...)
			b = appendString(b, rs.Signal)
			b = append(b, `,"impact":`...)
			b = num(b, rs.Impact)
			b = append(b, `,"text":`...)
			b = appendString(b, rs.Text)
			b = append(b, '}')
		}
		b = append(b, ']')
	}

	b = append(b, `,"warnings":`...)
	if r.Warnings == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, w := range r.Warnings {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, w)
		}
		b = append(b, ']')
	}

	b = append(b, `,"baseline":`...)
	b = num(b, r.Baseline)
	b = append(b, `,"tier":`...)
	b = appendString(b, r.Tier)
	b = append(b, '}')
	if bad != nil {
		return dst, bad
	}
	return b, nil
}

func appendFloatPtr(b []byte, f *float64, num func([]byte, float64) []byte) []byte {
	if f == nil {
		return append(b, "null"...)
	}
	return num(b, *f)
}

// appendFloat writes f as encoding/json does: like strconv's shortest 'f'
// format, with an exponent below 1e-6 and from 1e21 on, and no leading
// zero in the exponent (1e-7, not 1e-07).
func appendFloat(b []byte, f float64) []byte {
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

const hexDigits = "0123456789abcdef"

// appendString writes s quoted as encoding/json does by default: '"' and
// '\\' escaped, \b \f \n \r \t by name, other control bytes and the
// HTML-sensitive '<', '>' and '&' as \u00XX, invalid UTF-8 as \ufffd, and
// U+2028 and U+2029 as \u2028 and \u2029.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
