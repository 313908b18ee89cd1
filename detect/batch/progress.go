package batch

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Rate is the documents per second written by this process (resumed
// documents excluded), or 0 before any time has passed.
func (p Progress) Rate() float64 {
	if p.Elapsed <= 0 {
		return 0
	}
	return float64(p.Done-p.Resumed) / p.Elapsed.Seconds()
}

// Fraction is the share of the input read, from 0 to 1, and false when
// the input size is unknown (standard input).
func (p Progress) Fraction() (float64, bool) {
	if p.BytesTotal <= 0 {
		return 0, false
	}
	f := float64(p.BytesRead) / float64(p.BytesTotal)
	return min(max(f, 0), 1), true
}

// ETA is the time left at the rate input bytes have been read so far, and
// false when it cannot be told.
func (p Progress) ETA() (time.Duration, bool) {
	f, ok := p.Fraction()
	if !ok || f <= 0 || p.Elapsed <= 0 {
		return 0, false
	}
	left := time.Duration(float64(p.Elapsed) * (1 - f) / f)
	return left.Round(time.Second), true
}

// Bar draws a one-line progress bar on a terminal, redrawn in place with
// a carriage return. It is not safe for concurrent use.
type Bar struct {
	w     io.Writer
	width int
	last  int
}

// NewBar returns a bar drawn on w, width cells wide (0 means 30).
func NewBar(w io.Writer, width int) *Bar {
	if width <= 0 {
		width = 30
	}
	return &Bar{w: w, width: width}
}

// Update redraws the bar; on the final update it ends the line.
func (b *Bar) Update(p Progress) {
	line := b.Line(p)
	pad := ""
	if n := b.last - len(line); n > 0 {
		pad = strings.Repeat(" ", n)
	}
	b.last = len(line)
	end := ""
	if p.Final {
		end = "\n"
	}
	fmt.Fprintf(b.w, "\r%s%s%s", line, pad, end)
}

// Line is the text of the bar for p, without control characters:
// "[#######.......]  52%  1204 docs  310.2/s  ETA 4s  3 rejected".
func (b *Bar) Line(p Progress) string {
	var s strings.Builder
	if f, ok := p.Fraction(); ok {
		n := int(f * float64(b.width))
		fmt.Fprintf(&s, "[%s%s] %3.0f%%  ", strings.Repeat("#", n), strings.Repeat(".", b.width-n), 100*f)
	}
	fmt.Fprintf(&s, "%d docs  %.1f/s", p.Done, p.Rate())
	if p.Final {
		fmt.Fprintf(&s, "  done in %s", p.Elapsed.Round(100*time.Millisecond))
	} else if eta, ok := p.ETA(); ok {
		fmt.Fprintf(&s, "  ETA %s", eta)
	}
	if p.Rejected > 0 {
		fmt.Fprintf(&s, "  %d rejected", p.Rejected)
	}
	return s.String()
}
