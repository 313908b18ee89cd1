package features

// Near-duplicate detection: MinHash over character 3-shingles of the
// normalised text, with LSH banding. Texts are first bucketed by their
// exact normalised key, so only distinct keys are hashed; each key is then
// compared with one representative per band bucket, so the cost is linear
// in the number of texts (times the number of bands), never quadratic.
const (
	minhashBands = 8
	minhashRows  = 3
	minhashSize  = minhashBands * minhashRows
	// templateJaccard is the estimated Jaccard similarity of shingle sets
	// at or above which two texts are one template. "nice pic" and "nice
	// pics" share 6 of 7 shingles (0.86); "nice pic" and "nice" 2 of 6.
	templateJaccard = 0.6
)

// TemplateGroups groups texts that are one template: equal once
// normalised (case, accents, punctuation, emoji and mentions ignored), or
// near-duplicates by MinHash on character 3-shingles (estimated Jaccard
// similarity at least 0.6). A text without words is grouped only with
// texts that use the same set of emoji. It returns, for each text, the
// index of the first text of its group, so a text that is alone in its
// group maps to itself. It is deterministic and costs time linear in the
// total length of the texts.
func TemplateGroups(texts []string) []int {
	keys := make([]string, len(texts))
	var sc tokenizer
	for i, t := range texts {
		keys[i] = templateKey(sc.scan(t))
	}
	groups, _ := groupKeys(keys, nil)
	return groups
}

// groupKeys groups template keys (see templateKey) and returns, for each,
// the index of the first key of its group, and the number of distinct
// keys. Keys whose exact flag is set (exact may be nil) are grouped only
// with equal keys, which saves their MinHash.
func groupKeys(keys []string, exact []bool) ([]int, int) {
	// Exact buckets: first index of each distinct key.
	first := make(map[string]int, len(keys))
	firstOf := make([]int, len(keys)) // index of the first equal key
	uniq := make([]int, 0, len(keys)) // indices of first occurrences
	for i, k := range keys {
		f, ok := first[k]
		if !ok {
			f = i
			first[k] = i
			uniq = append(uniq, i)
		}
		firstOf[i] = f
	}
	parent := make([]int, len(keys))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(a, b int) {
		ra, rb := find(a), find(b)
		if ra == rb {
			return
		}
		if ra < rb {
			parent[rb] = ra
		} else {
			parent[ra] = rb
		}
	}

	// Near duplicates among distinct keys with words: their signatures
	// first, then band by band (one map at a time keeps the working set
	// small), each key compared with the first key that fell in its
	// bucket.
	seeds := minhashSeeds()
	sigs := make([][minhashSize]uint32, 0, len(uniq))
	owner := make([]int, 0, len(uniq))
	var hs []uint64
	for _, u := range uniq {
		k := keys[u]
		if k == "" || k[0] == 0 || (exact != nil && exact[u]) {
			continue
		}
		sigs = append(sigs, [minhashSize]uint32{})
		owner = append(owner, u)
		hs = minhash(k, &seeds, &sigs[len(sigs)-1], hs)
	}
	reps := make(map[uint64]int32, len(sigs))
	for b := range minhashBands {
		clear(reps)
		for pos := range sigs {
			h := uint64(b+1) * 0x9e3779b97f4a7c15
			for _, v := range sigs[pos][b*minhashRows : (b+1)*minhashRows] {
				h = mix64(h ^ uint64(v))
			}
			rep, ok := reps[h]
			if !ok {
				reps[h] = int32(pos)
				continue
			}
			if r, u := owner[rep], owner[pos]; find(r) != find(u) && similar(&sigs[rep], &sigs[pos]) {
				union(r, u)
			}
		}
	}

	out := make([]int, len(keys))
	for i, f := range firstOf {
		out[i] = find(f)
	}
	// Roots are the smallest first-occurrence index of the group, which is
	// the first index of the group.
	return out, len(uniq)
}

// similar reports whether two MinHash signatures estimate a Jaccard
// similarity of at least templateJaccard.
func similar(a, b *[minhashSize]uint32) bool {
	eq := 0
	for i := range a {
		if a[i] == b[i] {
			eq++
		}
	}
	return float64(eq) >= templateJaccard*minhashSize
}

// minhashSeeds returns the fixed seeds of the MinHash functions.
func minhashSeeds() [minhashSize]uint64 {
	var s [minhashSize]uint64
	x := uint64(0x2545f4914f6cdd1d)
	for i := range s {
		x += 0x9e3779b97f4a7c15
		s[i] = mix64(x)
	}
	return s
}

// minhash fills sig with the MinHash signature of the character
// 3-shingles of k (k itself when shorter than 3 characters). hs is
// scratch space, returned for reuse.
func minhash(k string, seeds *[minhashSize]uint64, sig *[minhashSize]uint32, hs []uint64) []uint64 {
	// A shingle's three code points (21 bits each) pack into one integer
	// without collision; one mix of it is the shingle's hash. Then, for
	// each MinHash function, a cheap multiply-shift of that hash, whose
	// minimum runs in a register.
	hs = hs[:0]
	var win uint64
	n := 0
	for _, r := range k {
		win = (win<<21 | uint64(r)) & (1<<63 - 1)
		n++
		if n >= 3 {
			hs = append(hs, mix64(win))
		}
	}
	if n < 3 {
		hs = append(hs, mix64(win|uint64(n)<<63))
	}
	for i, seed := range seeds {
		m := ^uint32(0)
		for _, h := range hs {
			m = min(m, uint32(((h^seed)*0x9e3779b97f4a7c15)>>32))
		}
		sig[i] = m
	}
	return hs
}

// mix64 is the splitmix64 finaliser.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}
