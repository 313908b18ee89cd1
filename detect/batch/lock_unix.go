//go:build unix

package batch

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// probeLock fails with ErrLocked when another process holds Badger's
// directory lock on dir (an flock on the folder), naming its pid when
// Badger's LOCK file says. It takes the lock and releases it at once.
func probeLock(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("open cache folder: %w", err)
	}
	defer f.Close()
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		holder := ""
		if b, rerr := os.ReadFile(filepath.Join(dir, "LOCK")); rerr == nil {
			holder = " (pid " + strings.TrimSpace(string(b)) + ")"
		}
		return fmt.Errorf("open cache %s%s: %w", dir, holder, ErrLocked)
	}
	if err != nil {
		return nil // no flock here: let Badger decide
	}
	return syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
}
