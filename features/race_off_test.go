//go:build !race

package features_test

// raceEnabled says whether the race detector is on; memory figures mean
// nothing under it.
const raceEnabled = false
