package report

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// count formats an integer with thousands separators: 12345 -> "12,345".
func count(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteString("−")
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// signedCount formats a count with an explicit sign: "+4,100".
func signedCount(n int64) string {
	if n > 0 {
		return "+" + count(n)
	}
	return count(n)
}

// fixed formats v with at most digits decimals, trailing zeros dropped.
func fixed(v float64, digits int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	s := strconv.FormatFloat(v, 'f', digits, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return strings.Replace(s, "-", "−", 1)
}

// number formats a plain value to about three significant digits:
// 0.42, 1.22, 27.0 becomes "27", 26.99 becomes "27", 1234.5 becomes "1235".
func number(v float64) string {
	switch a := math.Abs(v); {
	case a >= 100:
		return fixed(v, 0)
	case a >= 10:
		return fixed(v, 1)
	}
	return fixed(v, 2)
}

// percent formats a share (0.314) as a percentage ("31%"); shares under
// 10% keep one decimal ("3.4%").
func percent(share float64) string {
	p := share * 100
	if math.Abs(p) < 10 && math.Abs(p) > 0 {
		return fixed(p, 1) + "%"
	}
	return fixed(p, 0) + "%"
}

// impact formats score points with a sign: "−18.5", "+3.0".
func impact(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	s := strconv.FormatFloat(math.Abs(v), 'f', 1, 64)
	if v < 0 && s != "0.0" {
		return "−" + s
	}
	return "+" + s
}

// ordinal formats a percentile as "4th", "21st", "99th".
func ordinal(p float64) string {
	n := int64(math.Round(p))
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return strconv.FormatInt(n, 10) + suffix
}

// day formats an instant as a calendar day: "3 Oct 2026".
func day(t time.Time) string { return t.UTC().Format("2 Jan 2006") }

// dayRange formats a span of days compactly: "3–4 Oct 2026".
func dayRange(a, b time.Time) string {
	a, b = a.UTC(), b.UTC()
	switch {
	case a.Year() == b.Year() && a.YearDay() == b.YearDay():
		return day(a)
	case a.Year() == b.Year() && a.Month() == b.Month():
		return a.Format("2") + "–" + b.Format("2 Jan 2006")
	case a.Year() == b.Year():
		return a.Format("2 Jan") + " – " + b.Format("2 Jan 2006")
	}
	return day(a) + " – " + day(b)
}
