//go:build !unix

package batch

// probeLock leaves lock detection to Badger where flock is not available.
func probeLock(dir string) error { return nil }
