package features

import (
	"math"
	"time"
)

// parseTimeBytes is the allocation-free fast path of ParseTime for the
// common shapes "2006-01-02", "2006-01-02T15:04:05Z" and
// "2006-01-02T15:04:05.999999999-07:00". It accepts nothing that ParseTime
// rejects and gives the same instant; ok is false when it cannot tell, and
// the caller falls back to ParseTime.
func parseTimeBytes(b []byte) (t time.Time, ok bool) {
	if len(b) < 10 || b[4] != '-' || b[7] != '-' {
		return t, false
	}
	year, ok1 := digits(b[0:4])
	month, ok2 := digits(b[5:7])
	day, ok3 := digits(b[8:10])
	if !ok1 || !ok2 || !ok3 || month < 1 || month > 12 || day < 1 || day > daysIn(month, year) {
		return t, false
	}
	if len(b) == 10 {
		return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC), true
	}
	if len(b) < 20 || b[10] != 'T' || b[13] != ':' || b[16] != ':' {
		return t, false
	}
	hour, ok1 := digits(b[11:13])
	minute, ok2 := digits(b[14:16])
	sec, ok3 := digits(b[17:19])
	if !ok1 || !ok2 || !ok3 || hour > 23 || minute > 59 || sec > 59 {
		return t, false
	}
	rest := b[19:]
	nsec := 0
	if rest[0] == '.' {
		k := 1
		for k < len(rest) && rest[k] >= '0' && rest[k] <= '9' {
			k++
		}
		if k == 1 || k > 10 {
			return t, false
		}
		frac, _ := digits(rest[1:k])
		for range 10 - k {
			frac *= 10
		}
		nsec = frac
		rest = rest[k:]
	}
	offset := 0
	switch {
	case len(rest) == 1 && rest[0] == 'Z':
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, ok1 := digits(rest[1:3])
		om, ok2 := digits(rest[4:6])
		if !ok1 || !ok2 || oh > 23 || om > 59 {
			return t, false
		}
		offset = (oh*60 + om) * 60
		if rest[0] == '-' {
			offset = -offset
		}
	default:
		return t, false
	}
	t = time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	if offset != 0 {
		t = t.Add(-time.Duration(offset) * time.Second)
	}
	return t, true
}

// digits reads a short run of decimal digits.
func digits(b []byte) (int, bool) {
	v := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// parseCount reads a JSON number (already checked against JSON's grammar)
// as a count. A count is a number whose value is a non-negative integer that
// fits in an int64, however it is written: 12, 12.0, 1.2e1 and -0 are all
// counts (JSON Schema's "integer" says the same), 1.5, -3 and 1e19 are not.
func parseCount(b []byte) (int64, bool) {
	if len(b) > 0 && b[0] >= '1' && b[0] <= '9' && len(b) <= 18 {
		// Fast path: plain digits that cannot overflow.
		var v int64
		for _, c := range b {
			if c < '0' || c > '9' {
				return parseCountSlow(b)
			}
			v = v*10 + int64(c-'0')
		}
		return v, true
	}
	return parseCountSlow(b)
}

func parseCountSlow(b []byte) (int64, bool) {
	neg := false
	if b[0] == '-' {
		neg = true
		b = b[1:]
	}
	// Significant digits of the integer and fraction parts, and the power
	// of ten that scales them.
	var mant []byte
	var buf [32]byte
	mant = buf[:0]
	exp := 0
	i := 0
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		if len(mant) > 0 || b[i] != '0' {
			mant = append(mant, b[i])
		}
		i++
	}
	if i < len(b) && b[i] == '.' {
		i++
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			if len(mant) > 0 || b[i] != '0' {
				mant = append(mant, b[i])
			}
			exp--
			i++
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		eneg := false
		if b[i] == '+' || b[i] == '-' {
			eneg = b[i] == '-'
			i++
		}
		e := 0
		for ; i < len(b); i++ {
			if e < 1<<20 {
				e = e*10 + int(b[i]-'0')
			}
		}
		if eneg {
			e = -e
		}
		exp += e
	}
	// Drop trailing zeros of the mantissa into the exponent.
	for len(mant) > 0 && mant[len(mant)-1] == '0' {
		mant = mant[:len(mant)-1]
		exp++
	}
	if len(mant) == 0 {
		return 0, true // zero, however written
	}
	if neg || exp < 0 || len(mant)+exp > 19 {
		return 0, false
	}
	var v uint64
	for _, c := range mant {
		v = v*10 + uint64(c-'0')
	}
	for range exp {
		v *= 10
	}
	if v > math.MaxInt64 {
		return 0, false
	}
	return int64(v), true
}
