package training

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrNoDatasets is returned by FindDatasets when the labelled sets are not
// beside the module. Errors may be wrapped; test with errors.Is.
var ErrNoDatasets = errors.New("training: labelled datasets not found")

// FindDatasets returns the folder of the labelled sets as laid out beside
// a checkout: ../shared/datasets relative to the module root, the first
// folder at or above dir that holds a go.mod. The sets are not part of the
// project (see the README); without them the error wraps ErrNoDatasets.
func FindDatasets(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("find datasets: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("%w: no go.mod at or above %s", ErrNoDatasets, dir)
		}
		dir = parent
	}
	sets := filepath.Join(dir, "..", "shared", "datasets")
	if st, err := os.Stat(sets); err != nil || !st.IsDir() {
		return "", fmt.Errorf("%w at %s (clone without ../shared; the README says where each set can be obtained)", ErrNoDatasets, sets)
	}
	return sets, nil
}
