package features

import (
	"encoding/json"
	"strconv"
	"time"
)

// Optional values keep "absent" distinct from the zero value: a follower
// whose post count is unknown is not a follower with 0 posts. They are
// plain values (no pointers), so a million followers cost no extra
// allocations, and they marshal back to JSON with the `omitzero` tag.

// OptInt is an optional non-negative count.
type OptInt struct {
	V  int64
	OK bool
}

// SomeInt returns a present OptInt.
func SomeInt(v int64) OptInt { return OptInt{V: v, OK: true} }

// IsZero reports whether the value is absent.
func (o OptInt) IsZero() bool { return !o.OK }

// MarshalJSON writes the number, or null when absent.
func (o OptInt) MarshalJSON() ([]byte, error) {
	if !o.OK {
		return []byte("null"), nil
	}
	return strconv.AppendInt(nil, o.V, 10), nil
}

// UnmarshalJSON reads a number; null leaves the value absent.
func (o *OptInt) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*o = OptInt{}
		return nil
	}
	var v int64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*o = SomeInt(v)
	return nil
}

// OptBool is an optional flag.
type OptBool struct {
	V  bool
	OK bool
}

// SomeBool returns a present OptBool.
func SomeBool(v bool) OptBool { return OptBool{V: v, OK: true} }

// IsZero reports whether the value is absent.
func (o OptBool) IsZero() bool { return !o.OK }

// MarshalJSON writes the flag, or null when absent.
func (o OptBool) MarshalJSON() ([]byte, error) {
	if !o.OK {
		return []byte("null"), nil
	}
	return strconv.AppendBool(nil, o.V), nil
}

// UnmarshalJSON reads a flag; null leaves the value absent.
func (o *OptBool) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*o = OptBool{}
		return nil
	}
	var v bool
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*o = SomeBool(v)
	return nil
}

// OptString is an optional text: an empty string that is present (an
// empty bio) differs from an absent one (bio unknown).
type OptString struct {
	V  string
	OK bool
}

// SomeString returns a present OptString.
func SomeString(v string) OptString { return OptString{V: v, OK: true} }

// IsZero reports whether the value is absent.
func (o OptString) IsZero() bool { return !o.OK }

// MarshalJSON writes the string, or null when absent.
func (o OptString) MarshalJSON() ([]byte, error) {
	if !o.OK {
		return []byte("null"), nil
	}
	return json.Marshal(o.V)
}

// UnmarshalJSON reads a string; null leaves the value absent.
func (o *OptString) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*o = OptString{}
		return nil
	}
	var v string
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*o = SomeString(v)
	return nil
}

// OptTime is an optional instant, always in UTC.
type OptTime struct {
	V  time.Time
	OK bool
}

// SomeTime returns a present OptTime.
func SomeTime(v time.Time) OptTime { return OptTime{V: v.UTC(), OK: true} }

// IsZero reports whether the value is absent.
func (o OptTime) IsZero() bool { return !o.OK }

// MarshalJSON writes the time in RFC 3339, or null when absent.
func (o OptTime) MarshalJSON() ([]byte, error) {
	if !o.OK {
		return []byte("null"), nil
	}
	return Time(o.V).MarshalJSON()
}

// UnmarshalJSON reads an RFC 3339 time or a date; null leaves it absent.
func (o *OptTime) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*o = OptTime{}
		return nil
	}
	var t Time
	if err := t.UnmarshalJSON(b); err != nil {
		return err
	}
	*o = SomeTime(time.Time(t))
	return nil
}

// Time is a required instant that marshals as RFC 3339 in UTC and reads
// either RFC 3339 or a bare date (meaning 00:00 UTC that day).
type Time time.Time

// MarshalJSON writes the time in RFC 3339 (UTC, seconds precision unless
// the value has a fraction).
func (t Time) MarshalJSON() ([]byte, error) {
	tt := time.Time(t).UTC()
	b := make([]byte, 0, 32)
	b = append(b, '"')
	b = tt.AppendFormat(b, time.RFC3339Nano)
	b = append(b, '"')
	return b, nil
}

// UnmarshalJSON reads a time string.
func (t *Time) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := ParseTime(s)
	if err != nil {
		return err
	}
	*t = Time(v)
	return nil
}

// ParseTime reads an RFC 3339 time or a YYYY-MM-DD date, in UTC.
func ParseTime(s string) (time.Time, error) {
	if len(s) == len("2006-01-02") {
		v, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return time.Time{}, err
		}
		return v.UTC(), nil
	}
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, err
	}
	return v.UTC(), nil
}
