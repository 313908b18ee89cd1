package batch

import (
	"encoding/binary"
	"hash/maphash"
	"sync"
)

// memo is a bounded in-memory map of the follower scores computed or
// read in this run, keyed by a hash of the profile encoding
// (profileBytes: platform, follower id, feature vector; a run has one
// model). It makes a score written moments ago by another worker
// visible before Badger commits the write batch holding it, and spares a
// Badger read (and the SHA-256 of the Badger key) for a follower seen
// before. When a shard is full it is emptied, so memory stays bounded
// whatever the input.
//
// The key is two 64-bit maphash values under two seeds drawn for this
// process: 128 bits, so two different profiles share a key with
// probability about n²/2^129 (below 10^-27 for a billion followers), and
// the seeds are secret, so no input can be crafted to collide. A key
// lives only in this process; what is stored in Badger is keyed by the
// SHA-256 digest, stable from run to run.
type memo struct {
	shards       [64]memoShard
	max          int // entries per shard
	seed1, seed2 maphash.Seed
}

type memoShard struct {
	mu sync.Mutex
	m  map[[16]byte]float64
}

// newMemo returns a memo of at most about entries entries.
func newMemo(entries int) *memo {
	m := &memo{max: max(entries/64, 1), seed1: maphash.MakeSeed(), seed2: maphash.MakeSeed()}
	for i := range m.shards {
		m.shards[i].m = make(map[[16]byte]float64)
	}
	return m
}

// key is the memo key of a profile encoding (profileBytes).
func (m *memo) key(profile []byte) [16]byte {
	var k [16]byte
	binary.LittleEndian.PutUint64(k[:8], maphash.Bytes(m.seed1, profile))
	binary.LittleEndian.PutUint64(k[8:], maphash.Bytes(m.seed2, profile))
	return k
}

func (m *memo) shard(key [16]byte) *memoShard {
	// The key is a seeded hash: any of its bytes is uniform.
	return &m.shards[binary.LittleEndian.Uint64(key[:8])%uint64(len(m.shards))]
}

func (m *memo) get(key [16]byte) (float64, bool) {
	s := m.shard(key)
	s.mu.Lock()
	v, ok := s.m[key]
	s.mu.Unlock()
	return v, ok
}

func (m *memo) put(key [16]byte, v float64) {
	s := m.shard(key)
	s.mu.Lock()
	if len(s.m) >= m.max {
		clear(s.m)
	}
	s.m[key] = v
	s.mu.Unlock()
}
