package features

import (
	"strconv"
	"strings"
)

// Limits of the decoder. A document that goes past one is rejected with a
// *FieldError naming the field, before the decoder holds more than the limit
// in memory.
const (
	// MaxDepth is the deepest nesting of arrays and objects a document may
	// have, counting the document object itself as 1.
	MaxDepth = 64

	// MaxTextLen is the longest string value of a known field (handle,
	// caption, bio, comment text...) and the longest object key, in Unicode
	// code points. The values of unknown fields are skipped and not limited.
	MaxTextLen = 1 << 20

	// MaxIDLen is the longest identifier (creator.id, follower and post
	// ids, comment ids, author_id, reply_to), in Unicode code points.
	MaxIDLen = 1 << 16

	// MaxNumberLen is the longest number literal, in bytes, anywhere in a
	// document (including unknown fields).
	MaxNumberLen = 1 << 10
)

// Warning is something odd but valid in a document, such as a follower
// created after observed_at. Field is the path of the field, as in
// FieldError.
type Warning struct{ Field, Message string }

// String returns the warning as "field: message", for example
// "followers[12].created_at: after observed_at".
func (w Warning) String() string {
	if w.Field == "" {
		return w.Message
	}
	return w.Field + ": " + w.Message
}

// FieldError is a contract violation: a document that breaks the rules of
// spec/creator-history.md. Error() reads like
//
//	line 17: posts[3].comments[17].created_at: expected an RFC 3339 time, found "yesterday"
//
// A document that breaks several rules is reported with the first one met
// reading the document from start to end; rules that relate two places
// (a reply_to and the comment it names, a duplicate id) are met at the later
// of the two, and reply_to at the end of the post's comment list.
type FieldError struct {
	Source   string // file path, "-" for standard input, "" when decoding bytes
	Line     int    // 1-based line of the document in JSON Lines input; 0 for a whole-file document
	Field    string // path of the field; "" means the document as a whole
	Expected string // what the contract asks for
	Found    string // what the document has
}

// Error returns "source: line N: field: expected X, found Y", leaving out
// the parts that are empty or zero.
func (e *FieldError) Error() string {
	var b strings.Builder
	if e.Source != "" {
		b.WriteString(e.Source)
		b.WriteString(": ")
	}
	if e.Line > 0 {
		b.WriteString("line ")
		b.WriteString(strconv.Itoa(e.Line))
		b.WriteString(": ")
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString("expected ")
	b.WriteString(e.Expected)
	b.WriteString(", found ")
	b.WriteString(e.Found)
	return b.String()
}
