package training

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"bonafide/features"
)

// Labelled is one line of the generic labelled format: a follower object
// of spec/creator-history.md plus its label, the platform it lives on and
// when it was observed (ages are measured from ObservedAt; without it they
// are unknown).
type Labelled struct {
	features.Follower
	Fake       *bool            `json:"fake"`
	Platform   string           `json:"platform"`
	ObservedAt features.OptTime `json:"observed_at"`
}

// maxLine bounds one JSON line of the labelled format (a follower object
// with a long bio stays far below it).
const maxLine = 1 << 20

// ReadLabelled reads the generic labelled format: JSON Lines, one follower
// object per line as in spec/creator-history.md plus "fake": true|false
// and optional "platform" and "observed_at". Blank lines are skipped and
// unknown fields ignored. When requireLabel is false a missing "fake" is
// allowed (scoring ignores labels). An error names the line and the field:
// a missing id, a negative count, a bad time, a repeated id, a line that is
// not a JSON object or not valid UTF-8. Each Labelled is passed to fn in
// input order; an error from fn stops the read and is returned.
func ReadLabelled(ctx context.Context, r io.Reader, requireLabel bool, fn func(line int, l Labelled) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	seen := map[string]int{}
	for line := 1; ; line++ {
		if line%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		raw, err := readLine(br)
		if errors.Is(err, io.EOF) && len(raw) == 0 {
			return nil
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("line %d: %w", line, err)
		}
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 {
			continue
		}
		l, err := decodeLabelled(raw, requireLabel)
		if err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		if prev, dup := seen[l.ID]; dup {
			return fmt.Errorf("line %d: id: %q already on line %d", line, l.ID, prev)
		}
		seen[l.ID] = line
		if err := fn(line, l); err != nil {
			return err
		}
	}
}

// readLine returns the next line without its newline, refusing lines
// longer than maxLine.
func readLine(br *bufio.Reader) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		buf = append(buf, chunk...)
		if len(buf) > maxLine {
			return nil, fmt.Errorf("line longer than %d bytes", maxLine)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimSuffix(buf, []byte("\n")), err
	}
}

func decodeLabelled(raw []byte, requireLabel bool) (Labelled, error) {
	var l Labelled
	if !utf8.Valid(raw) {
		return l, errors.New("not valid UTF-8")
	}
	if raw[0] != '{' {
		return l, errors.New("not a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&l); err != nil {
		return l, fmt.Errorf("decode follower: %s", jsonErr(err))
	}
	if dec.More() {
		return l, errors.New("decode follower: text after the object")
	}
	if l.ID == "" {
		return l, errors.New("id: missing or empty")
	}
	for _, c := range []struct {
		name string
		v    features.OptInt
	}{{"followers", l.Followers}, {"following", l.Following}, {"posts", l.Posts}} {
		if c.v.OK && c.v.V < 0 {
			return l, fmt.Errorf("%s: want a count >= 0, found %d", c.name, c.v.V)
		}
	}
	if requireLabel && l.Fake == nil {
		return l, errors.New(`fake: missing (want true or false)`)
	}
	if l.Platform != "" && strings.ToLower(l.Platform) != l.Platform {
		return l, fmt.Errorf("platform: want a lower-case word, found %q", l.Platform)
	}
	return l, nil
}

// jsonErr makes a decoding error name the field where it can.
func jsonErr(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return fmt.Sprintf("%s: want %s, found %s", te.Field, te.Type, te.Value)
	}
	return err.Error()
}

// Example measures a labelled follower. Without observed_at, ages are
// unknown.
func (l Labelled) Example() Example {
	var observed time.Time
	if l.ObservedAt.OK {
		observed = l.ObservedAt.V
	}
	p := features.ProfileOf(l.Follower, observed)
	if !l.ObservedAt.OK {
		p.AgeDays, p.InactiveDays = features.Unknown().AgeDays, features.Unknown().InactiveDays
	}
	e := Example{Platform: l.Platform, ID: l.ID, Profile: p}
	if l.Fake != nil {
		e.Fake = *l.Fake
	}
	return e
}

// ReadLabelledFile reads a file in the generic labelled format (gzip when
// its name ends in .gz); every line must carry its label.
func ReadLabelledFile(ctx context.Context, path string) ([]Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
		defer zr.Close()
		r = zr
	}
	var out []Example
	err = ReadLabelled(ctx, r, true, func(_ int, l Labelled) error {
		out = append(out, l.Example())
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return out, nil
}
