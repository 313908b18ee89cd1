package batch

import (
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

// A memoKey is the two 64-bit hashes of a profile encoding.
type memoKey struct{ a, b uint64 }

// memoShard maps the first hash of a key to the second and the score: a
// map of uint64 keys is the runtime's fast path (a lookup took about a
// third of the time of one keyed by [16]byte). Two keys that share the
// first hash share a slot: the later one replaces the earlier, which is
// then a miss, never a wrong score.
type memoShard struct {
	mu sync.Mutex
	m  map[uint64]memoValue
}

type memoValue struct {
	b uint64 // the key's second hash
	v float64
}

// newMemo returns a memo of at most about entries entries.
func newMemo(entries int) *memo {
	m := &memo{max: max(entries/64, 1), seed1: maphash.MakeSeed(), seed2: maphash.MakeSeed()}
	for i := range m.shards {
		m.shards[i].m = make(map[uint64]memoValue)
	}
	return m
}

// key is the memo key of a profile encoding (profileBytes).
func (m *memo) key(profile []byte) memoKey {
	return memoKey{maphash.Bytes(m.seed1, profile), maphash.Bytes(m.seed2, profile)}
}

func (m *memo) shard(key memoKey) *memoShard {
	// The key is a seeded hash: any of its bits is uniform.
	return &m.shards[key.b%uint64(len(m.shards))]
}

func (m *memo) get(key memoKey) (float64, bool) {
	s := m.shard(key)
	s.mu.Lock()
	e, ok := s.m[key.a]
	s.mu.Unlock()
	return e.v, ok && e.b == key.b
}

func (m *memo) put(key memoKey, v float64) {
	s := m.shard(key)
	s.mu.Lock()
	if _, ok := s.m[key.a]; !ok && len(s.m) >= m.max {
		clear(s.m)
	}
	s.m[key.a] = memoValue{key.b, v}
	s.mu.Unlock()
}
