package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"bonafide/detect"
	"bonafide/detect/batch"
	"bonafide/features"
)

// pageWriter wraps the batch's scorer: each creator it scores whose
// verdict is not authentic also gets an HTML report in dir, named by its
// creator id and input digest. Creators answered from the cache were
// scored, and their pages written, by the run that filled it.
type pageWriter struct {
	batch.Vetter
	dir string
}

// Vet scores doc and writes its page when the verdict calls for a look.
func (p pageWriter) Vet(ctx context.Context, doc features.Document) (detect.Report, error) {
	r, err := p.Vetter.Vet(ctx, doc)
	if err != nil || r.Verdict == detect.VerdictAuthentic {
		return r, err
	}
	if err := writeHTML(filepath.Join(p.dir, pageName(r)), r); err != nil {
		return detect.Report{}, fmt.Errorf("batch: %w", err)
	}
	return r, nil
}

// pageName is a file name for r's page that no creator id can turn into
// a path: unsafe characters become '_', and the input digest keeps two
// documents of one creator apart.
func pageName(r detect.Report) string {
	id := strings.Map(func(c rune) rune {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '.':
			return c
		}
		return '_'
	}, r.CreatorID)
	if len(id) > 64 {
		id = id[:64]
	}
	return fmt.Sprintf("%s-%.12s.html", strings.TrimLeft(id, "."), r.InputSHA256)
}
