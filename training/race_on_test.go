//go:build race

package training_test

// raceEnabled is true when the tests run under the race detector, which
// slows the single-goroutine fits on real data about tenfold.
const raceEnabled = true
