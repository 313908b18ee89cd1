//go:build race

package training_test

// raceEnabled is set when the tests run under the race detector, which
// slows the simulation tenfold.
const raceEnabled = true
