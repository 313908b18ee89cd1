package batch

import (
	"strconv"
	"testing"
)

func TestMemo(t *testing.T) {
	m := newMemo(64 * 4) // 4 entries a shard
	k := m.key([]byte("profile one"))
	if _, ok := m.get(k); ok {
		t.Fatal("empty memo hit")
	}
	m.put(k, 0.25)
	for _, tc := range []struct {
		name string
		key  memoKey
		v    float64
		ok   bool
	}{
		{"the key put", k, 0.25, true},
		{"the same profile hashed again", m.key([]byte("profile one")), 0.25, true},
		{"another profile", m.key([]byte("profile two")), 0, false},
		{"the same first hash, another second", memoKey{k.a, k.b + 64}, 0, false},
	} {
		v, ok := m.get(tc.key)
		if ok != tc.ok || (ok && v != tc.v) {
			t.Errorf("%s: get = %v, %v; want %v, %v", tc.name, v, ok, tc.v, tc.ok)
		}
	}

	// A key sharing the first hash replaces the older entry.
	m.put(memoKey{k.a, k.b + 64}, 0.5)
	if _, ok := m.get(k); ok {
		t.Error("replaced entry still hits")
	}
	if v, ok := m.get(memoKey{k.a, k.b + 64}); !ok || v != 0.5 {
		t.Errorf("replacing entry: get = %v, %v; want 0.5, true", v, ok)
	}

	// Memory stays bounded however many keys go in.
	for i := range 10000 {
		m.put(m.key([]byte(strconv.Itoa(i))), float64(i))
	}
	n := 0
	for i := range m.shards {
		n += len(m.shards[i].m)
	}
	if n > 64*4 {
		t.Errorf("memo holds %d entries, bound %d", n, 64*4)
	}
}
