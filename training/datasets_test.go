package training_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"bonafide/training"
)

func TestFindDatasets(t *testing.T) {
	root := t.TempDir()
	module := filepath.Join(root, "project")
	deep := filepath.Join(module, "a", "b")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(module, "go.mod"), []byte("module x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := training.FindDatasets(deep); !errors.Is(err, training.ErrNoDatasets) {
		t.Fatalf("without ../shared/datasets: err %v, want ErrNoDatasets", err)
	}
	want := filepath.Join(root, "shared", "datasets")
	if err := os.MkdirAll(want, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, from := range []string{module, deep} {
		got, err := training.FindDatasets(from)
		if err != nil {
			t.Fatalf("from %s: %v", from, err)
		}
		if got != want {
			t.Errorf("from %s: %s, want %s", from, got, want)
		}
	}
	if _, err := training.FindDatasets(root); !errors.Is(err, training.ErrNoDatasets) {
		t.Errorf("outside any module: err %v, want ErrNoDatasets", err)
	}
}
