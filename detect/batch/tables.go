package batch

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/dgraph-io/badger/v4/pb"
	"github.com/dgraph-io/badger/v4/y"
	"google.golang.org/protobuf/proto"
)

// checkTables verifies the footer and index checksum of every table file
// in dir before Badger opens them: Badger reads a table's footer in a
// goroutine of its own and panics (killing the process) when the footer
// is garbage, so damage must be caught first. Blocks are verified as
// they are read (ChecksumVerificationMode OnBlockRead).
func checkTables(dir string) error {
	tables, err := filepath.Glob(filepath.Join(dir, "*.sst"))
	if err != nil {
		return err
	}
	for _, p := range tables {
		if err := checkTable(p); err != nil {
			return fmt.Errorf("table %s: %w", filepath.Base(p), err)
		}
	}
	return nil
}

// checkTable reads a table's footer as Badger lays it out: the index,
// its length (4 bytes), the index checksum (protobuf), its length (4
// bytes).
func checkTable(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	size := st.Size()
	u32 := func(off int64) (int64, error) {
		var b [4]byte
		if off < 0 || off+4 > size {
			return 0, io.ErrUnexpectedEOF
		}
		if _, err := f.ReadAt(b[:], off); err != nil {
			return 0, err
		}
		return int64(binary.BigEndian.Uint32(b[:])), nil
	}
	pos := size - 4
	chkLen, err := u32(pos)
	if err != nil {
		return fmt.Errorf("footer: %w", err)
	}
	pos -= chkLen
	if chkLen > 1<<10 || pos < 4 {
		return fmt.Errorf("footer: checksum length %d out of range", chkLen)
	}
	chkBytes := make([]byte, chkLen)
	if _, err := f.ReadAt(chkBytes, pos); err != nil {
		return fmt.Errorf("footer: %w", err)
	}
	var chk pb.Checksum
	if err := proto.Unmarshal(chkBytes, &chk); err != nil {
		return fmt.Errorf("footer checksum: %w", err)
	}
	pos -= 4
	idxLen, err := u32(pos)
	if err != nil {
		return fmt.Errorf("footer: %w", err)
	}
	pos -= idxLen
	if pos < 0 {
		return fmt.Errorf("footer: index length %d out of range", idxLen)
	}
	idx := make([]byte, idxLen)
	if _, err := f.ReadAt(idx, pos); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	if err := y.VerifyChecksum(idx, &chk); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	return nil
}
