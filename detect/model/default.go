package model

import (
	_ "embed" // the default bundle
	"fmt"
)

// defaultBundle is the model shipped in the binary. It is made by one
// command that anyone can rerun to the same bytes (see the README,
// "The default model").
//
//go:embed default.bundle
var defaultBundle []byte

// Default returns the bundle embedded in the binary, checked against the
// feature schema the code computes (wantSchema).
func Default(wantSchema string) (*Bundle, error) {
	b, err := Decode(defaultBundle, wantSchema)
	if err != nil {
		return nil, fmt.Errorf("embedded bundle: %w", err)
	}
	return b, nil
}
