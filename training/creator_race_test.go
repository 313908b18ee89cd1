//go:build race

package training_test

// underRace is set when the tests run under the race detector, which
// slows the simulation tenfold.
const underRace = true
