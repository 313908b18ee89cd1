package batch

import (
	"encoding/binary"
	"sync"
)

// memo is a bounded in-memory map of the follower scores computed or
// read in this run, keyed by profile digest (which covers the platform;
// a run has one model). It makes a score written moments ago by another
// worker visible before Badger commits the write batch holding it, and
// spares a Badger read for a follower seen before. When a shard is full
// it is emptied, so memory stays bounded whatever the input.
type memo struct {
	shards [64]memoShard
	max    int // entries per shard
}

type memoShard struct {
	mu sync.Mutex
	m  map[[16]byte]float64
}

// newMemo returns a memo of at most about entries entries.
func newMemo(entries int) *memo {
	m := &memo{max: max(entries/64, 1)}
	for i := range m.shards {
		m.shards[i].m = make(map[[16]byte]float64)
	}
	return m
}

func (m *memo) shard(key [16]byte) *memoShard {
	// The key is a cryptographic digest: any of its bytes is uniform.
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
