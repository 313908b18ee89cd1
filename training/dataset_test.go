package training_test

import (
	"errors"
	"math"
	"testing"

	"bonafide/training"
)

func TestDatasetValidate(t *testing.T) {
	good := func() training.Dataset {
		return training.Dataset{
			Names:  []string{"a", "b"},
			X:      [][]float64{{1, math.NaN()}, {3, 4}},
			Y:      []bool{true, false},
			Group:  []string{"s1", "s2"},
			Weight: []float64{1, 0.5},
		}
	}
	tests := []struct {
		name   string
		change func(*training.Dataset)
		ok     bool
	}{
		{"valid, NaN allowed", func(*training.Dataset) {}, true},
		{"no groups or weights", func(d *training.Dataset) { d.Group, d.Weight = nil, nil }, true},
		{"label missing", func(d *training.Dataset) { d.Y = d.Y[:1] }, false},
		{"group missing", func(d *training.Dataset) { d.Group = d.Group[:1] }, false},
		{"weight missing", func(d *training.Dataset) { d.Weight = d.Weight[:1] }, false},
		{"short row", func(d *training.Dataset) { d.X[1] = d.X[1][:1] }, false},
		{"infinite value", func(d *training.Dataset) { d.X[0][0] = math.Inf(1) }, false},
		{"negative weight", func(d *training.Dataset) { d.Weight[0] = -1 }, false},
		{"NaN weight", func(d *training.Dataset) { d.Weight[1] = math.NaN() }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := good()
			tt.change(&d)
			err := d.Validate()
			if tt.ok && err != nil {
				t.Errorf("Validate() = %v, want nil", err)
			}
			if !tt.ok && !errors.Is(err, training.ErrInvalidDataset) {
				t.Errorf("Validate() = %v, want ErrInvalidDataset", err)
			}
		})
	}
}

func TestDatasetSubsetAndCounts(t *testing.T) {
	d := training.Dataset{
		Names:  []string{"a"},
		X:      [][]float64{{0}, {1}, {2}, {3}},
		Y:      []bool{true, false, true, true},
		Group:  []string{"g0", "g1", "g2", "g3"},
		Weight: []float64{0, 1, 2, 3},
	}
	s := d.Subset([]int{3, 1})
	if s.Len() != 2 || s.X[0][0] != 3 || s.X[1][0] != 1 || !s.Y[0] || s.Y[1] ||
		s.Group[0] != "g3" || s.Group[1] != "g1" || s.Weight[0] != 3 || s.Weight[1] != 1 {
		t.Errorf("Subset([3 1]) = %+v", s)
	}
	if err := s.Validate(); err != nil {
		t.Errorf("subset does not validate: %v", err)
	}
	if fake, real := d.Counts(); fake != 3 || real != 1 {
		t.Errorf("Counts() = %d, %d; want 3, 1", fake, real)
	}
	if e := (training.Dataset{Names: []string{"a"}, X: [][]float64{{1}}, Y: []bool{true}}).Subset([]int{0}); e.Group != nil || e.Weight != nil {
		t.Errorf("Subset of a dataset without groups or weights has %v, %v", e.Group, e.Weight)
	}
}
