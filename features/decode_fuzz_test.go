package features_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"bonafide/features"
)

func jsonString(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", errors.New("invalid UTF-8")
	}
	b, err := json.Marshal(s)
	return string(b), err
}

// FuzzDecode checks that Decode never panics, is deterministic, and agrees
// with an independent check of the contract (below, built on
// encoding/json): it never accepts a document the check rejects, and
// rejects one the check accepts only for what the check cannot see. An
// accepted document must come back the same after a round trip through
// encoding/json's Marshal.
func FuzzDecode(f *testing.F) {
	for _, dir := range []string{"good", "bad"} {
		for _, path := range fixtures(f, dir) {
			b, err := os.ReadFile(path)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
	f.Add([]byte(doc(`,"created_at":"2026-11-24T18:03:00.5+01:00","bio":"\ud83c\udf3f"`)))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, _, err := features.Decode(bytes.NewReader(b))
		_, _, err2 := features.Decode(bytes.NewReader(b))
		if fmt.Sprint(err) != fmt.Sprint(err2) {
			t.Fatalf("two decodings disagree: %v / %v", err, err2)
		}
		if err != nil {
			var fe *features.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error is %T, not *FieldError: %v", err, err)
			}
			if refCheck(b) == nil && !refBlind(fe) {
				t.Fatalf("Decode rejects a document the reference check accepts: %v", err)
			}
			return
		}
		if rerr := refCheck(b); rerr != nil {
			t.Fatalf("Decode accepted a document the reference check rejects: %v", rerr)
		}
		out, merr := json.Marshal(h)
		if merr != nil {
			return // a time outside year 0-9999 after its offset: time.Time cannot marshal it
		}
		h2, _, err := features.Decode(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("re-decoding the marshalled History: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(h, h2) {
			t.Fatalf("round trip changed the History:\n%+v\n%+v", h, h2)
		}
	})
}

// refBlind reports whether an error is about something the reference
// check cannot see, because encoding/json hides it (lone surrogates,
// duplicate keys) or because it is a limit of the decoder.
func refBlind(fe *features.FieldError) bool {
	for _, s := range []string{"surrogate", "each field once", "levels of nesting", "of more than", "a valid escape"} {
		if strings.Contains(fe.Expected, s) || strings.Contains(fe.Found, s) {
			return true
		}
	}
	// Counts at the edge of int64, where float64 cannot tell.
	return fe.Expected == "a non-negative integer" && len(fe.Found) >= 18
}

// FuzzTime checks the decoder's reading of times against ParseTime.
func FuzzTime(f *testing.F) {
	for _, s := range timeSamples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 64 || !utf8.ValidString(s) {
			return
		}
		checkTime(t, s)
	})
}

// refCheck is an independent, slow check of the contract on a document,
// built on encoding/json and written from the spec, not from the decoder.
// It checks less than Decode (encoding/json hides duplicate keys and lone
// surrogates), never more.
func refCheck(b []byte) error {
	if !utf8.Valid(b) {
		return errors.New("not UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var top any
	if err := dec.Decode(&top); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("trailing data")
	}
	doc, ok := top.(map[string]any)
	if !ok {
		return errors.New("not an object")
	}
	c := refChecker{}
	if v, ok := doc["format"]; ok && v != nil && v != features.Format {
		return fmt.Errorf("format %v", v)
	}
	if p, ok := doc["platform"].(string); !ok || !regexp.MustCompile(`^[a-z][a-z0-9]*$`).MatchString(p) {
		return fmt.Errorf("platform %v", doc["platform"])
	}
	obs := c.time(doc, "observed_at", true)
	cr, ok := doc["creator"].(map[string]any)
	if !ok {
		return errors.New("creator")
	}
	c.id(cr, "id", true)
	c.count(cr, "followers", true)
	c.count(cr, "following", false)
	c.count(cr, "posts", false)
	created := c.time(cr, "created_at", false)
	c.bool(cr, "verified")
	c.text(cr, "handle", features.MaxTextLen, false)
	c.text(cr, "name", features.MaxTextLen, false)
	c.text(cr, "category", features.MaxTextLen, false)
	if obs != "" && created != "" && obs < created {
		c.fail("observed_at before creator.created_at")
	}
	seen := map[string]bool{}
	for _, p := range c.list(doc, "follower_series") {
		at := c.time(p, "at", true)
		if seen[at] {
			c.fail("two snapshots at " + at)
		}
		seen[at] = true
		c.count(p, "followers", true)
		c.count(p, "following", false)
	}
	ids := map[string]bool{}
	for _, f := range c.list(doc, "followers") {
		id := c.id(f, "id", true)
		if ids[id] {
			c.fail("duplicate follower " + id)
		}
		ids[id] = true
		for _, k := range []string{"username", "name", "bio"} {
			c.text(f, k, features.MaxTextLen, false)
		}
		for _, k := range []string{"has_avatar", "external_url", "private", "verified"} {
			c.bool(f, k)
		}
		for _, k := range []string{"followers", "following", "posts"} {
			c.count(f, k, false)
		}
		for _, k := range []string{"created_at", "followed_at", "last_active_at"} {
			c.time(f, k, false)
		}
	}
	if v, ok := doc["follower_sample"]; ok && v != nil {
		s, ok := v.(map[string]any)
		if !ok {
			return errors.New("follower_sample")
		}
		if m, ok := s["method"]; ok && m != nil && m != "all" && m != "random" && m != "recent" {
			c.fail(fmt.Sprintf("method %v", m))
		}
		c.count(s, "population", false)
	}
	ids = map[string]bool{}
	for _, p := range c.list(doc, "posts") {
		id := c.id(p, "id", true)
		if ids[id] {
			c.fail("duplicate post " + id)
		}
		ids[id] = true
		c.time(p, "created_at", true)
		for _, k := range []string{"likes", "views", "comments_count"} {
			c.count(p, k, false)
		}
		c.text(p, "caption", features.MaxTextLen, false)
		c.bool(p, "sponsored")
		comments := c.list(p, "comments")
		cids := map[string]bool{}
		for _, cm := range comments {
			id := c.id(cm, "id", true)
			if cids[id] {
				c.fail("duplicate comment " + id)
			}
			cids[id] = true
			c.id(cm, "author_id", true)
			c.text(cm, "author", features.MaxTextLen, false)
			if _, ok := cm["text"].(string); !ok {
				c.fail("comment text")
			}
			c.text(cm, "text", features.MaxTextLen, false)
			c.time(cm, "created_at", false)
			c.count(cm, "likes", false)
		}
		for _, cm := range comments {
			r, ok := cm["reply_to"]
			if !ok || r == nil {
				continue
			}
			rs, ok := r.(string)
			if !ok || !cids[rs] || rs == cm["id"] {
				c.fail(fmt.Sprintf("reply_to %v", r))
			}
		}
	}
	return c.err
}

type refChecker struct{ err error }

func (c *refChecker) fail(msg string) {
	if c.err == nil {
		c.err = errors.New(msg)
	}
}

func (c *refChecker) list(o map[string]any, k string) []map[string]any {
	v, ok := o[k]
	if !ok || v == nil {
		return nil
	}
	a, ok := v.([]any)
	if !ok {
		c.fail(k + " not an array")
		return nil
	}
	var out []map[string]any
	for _, e := range a {
		m, ok := e.(map[string]any)
		if !ok {
			c.fail(k + " element not an object")
			continue
		}
		out = append(out, m)
	}
	return out
}

// time returns the instant as a sortable string ("" when absent).
func (c *refChecker) time(o map[string]any, k string, required bool) string {
	v, ok := o[k]
	if !ok || v == nil {
		if required {
			c.fail(k + " missing")
		}
		return ""
	}
	s, ok := v.(string)
	if !ok {
		c.fail(k + " not a string")
		return ""
	}
	t, err := features.ParseTime(s)
	if err != nil {
		c.fail(k + ": " + err.Error())
		return ""
	}
	return fmt.Sprintf("%020d.%09d", t.Unix()+1<<40, t.Nanosecond())
}

func (c *refChecker) id(o map[string]any, k string, required bool) string {
	v, ok := o[k]
	s, isStr := v.(string)
	switch {
	case !ok && !required:
	case !isStr || s == "":
		c.fail(k + " not a non-empty string")
	case utf8.RuneCountInString(s) > features.MaxIDLen:
		c.fail(k + " too long")
	}
	return s
}

func (c *refChecker) text(o map[string]any, k string, max int, required bool) {
	v, ok := o[k]
	if !ok || v == nil {
		if required {
			c.fail(k + " missing")
		}
		return
	}
	s, ok := v.(string)
	if !ok || utf8.RuneCountInString(s) > max {
		c.fail(k + " not a string of at most " + strconv.Itoa(max))
	}
}

func (c *refChecker) bool(o map[string]any, k string) {
	if v, ok := o[k]; ok && v != nil {
		if _, ok := v.(bool); !ok {
			c.fail(k + " not a bool")
		}
	}
}

func (c *refChecker) count(o map[string]any, k string, required bool) {
	v, ok := o[k]
	if !ok || (v == nil && !required) {
		if required {
			c.fail(k + " missing")
		}
		return
	}
	n, ok := v.(json.Number)
	if !ok {
		c.fail(k + " not a number")
		return
	}
	x, err := strconv.ParseFloat(string(n), 64)
	if err != nil { // out of range: too big, or too small to be a whole number
		c.fail(k + ": " + err.Error())
		return
	}
	if x < 0 || x != math.Trunc(x) || x > math.MaxInt64 {
		c.fail(k + " not a count: " + string(n))
	}
}
