package batch

import (
	"hash/maphash"
	"sync"
)

// memo is a bounded in-memory map of follower scores computed or read in
// this run. It makes a score written moments ago by another worker
// visible before Badger commits the write batch holding it. When a shard
// is full it is emptied, so memory stays bounded whatever the input.
type memo struct {
	seed   maphash.Seed
	shards [64]memoShard
	max    int // entries per shard
}

type memoShard struct {
	mu sync.Mutex
	m  map[string]float64
}

// newMemo returns a memo of at most about entries entries.
func newMemo(entries int) *memo {
	m := &memo{seed: maphash.MakeSeed(), max: max(entries/64, 1)}
	for i := range m.shards {
		m.shards[i].m = make(map[string]float64)
	}
	return m
}

func (m *memo) shard(key []byte) *memoShard {
	return &m.shards[maphash.Bytes(m.seed, key)%uint64(len(m.shards))]
}

func (m *memo) get(key []byte) (float64, bool) {
	s := m.shard(key)
	s.mu.Lock()
	v, ok := s.m[string(key)]
	s.mu.Unlock()
	return v, ok
}

func (m *memo) put(key []byte, v float64) {
	s := m.shard(key)
	s.mu.Lock()
	if len(s.m) >= m.max {
		clear(s.m)
	}
	s.m[string(key)] = v
	s.mu.Unlock()
}
