package detect

import "sync"

// Leaf tables: TreeSHAP without the path arithmetic on every call.
//
// In the recursion of Algorithm 2 (shapRecursive), what a leaf adds to phi
// depends on x only through the decisions at the leaf's ancestors: at each
// one, whether x takes the branch towards the leaf (the hot branch, whose
// "one" fraction is carried on) or not (one is 0). The path the recursion
// builds down to the leaf, and every weight computed from it, is a function
// of the leaf and these bits. A leaf of depth D has 2^D such patterns; its
// table holds, per pattern, the values the recursion adds to phi at that
// leaf, computed with the same functions on the same operands, so they are
// the same bits. shap then walks each tree in the recursion's order (the
// branch x takes first) and adds each leaf's values in the recursion's
// order: phi receives the same addends in the same order, and ends with
// the same bits, at a fraction of the cost (a default-model creator adds
// about 18,000 values instead of computing 90,000 path weights with two
// divisions each).
//
// The tables are filled on first use, once, in one walk per tree over every
// pattern, sharing each path prefix between the leaves below it: about
// 10 ms for the default model (259 trees of depth 5, 3,668 leaves) and
// about 3 MB of values, whatever the number of creators scored. The walk
// reads compact copies of the trees (24 bytes a node instead of 56):
// between two creators the decoder evicts most of the processor's caches,
// and the walk costs what it reads from memory.

// maxTableValues bounds the values of all leaf tables of a model; a model
// with more (very deep trees) uses the recursion.
const maxTableValues = 1 << 21

// maxTableDepth bounds the depth of a leaf in the tables.
const maxTableDepth = 20

// leafTables are the tables of all trees of a model.
type leafTables struct {
	once   sync.Once
	roots  []int32    // per tree: its root in nodes
	nodes  []walkNode // every tree, children by absolute index
	feats  []int32    // per leaf, its path's features (from walkNode.right)
	values []float64  // per leaf, its patterns' values (from walkNode.left)
	size   int        // of values, allocated by fill
}

// walkNode is a TreeNode as the walk reads it. A leaf has feature -1 and
// its features at feats[right:right+k] and the values of pattern p at
// values[left+p*k : left+p*k+k].
type walkNode struct {
	thr         float64
	feature     int32
	left, right int32
	k           uint8
	missLeft    bool
}

// newLeafTables returns the (unfilled) tables of trees, or nil when a tree
// is not a tree (a node with two parents) or the tables would be too
// large.
func newLeafTables(trees [][]TreeNode) *leafTables {
	lt := &leafTables{}
	for _, nodes := range trees {
		off := int32(len(lt.nodes))
		lt.roots = append(lt.roots, off)
		depth := make([]int, len(nodes))
		features := make([][]int32, len(nodes)) // distinct features above each node, in path order
		// Children follow their parents (init checks it), so one pass in
		// node order sees every reachable node's parent before the node.
		reach := make([]bool, len(nodes))
		reach[0] = true
		for i, n := range nodes {
			w := walkNode{feature: -1}
			switch {
			case !reach[i]:
			case n.Feature < 0:
				f := features[i]
				if depth[i] > maxTableDepth || lt.size+len(f)<<depth[i] > maxTableValues {
					return nil
				}
				w = walkNode{feature: -1, left: int32(lt.size), right: int32(len(lt.feats)), k: uint8(len(f))}
				lt.feats = append(lt.feats, f...)
				lt.size += len(f) << depth[i]
			default:
				w = walkNode{thr: n.Threshold, feature: int32(n.Feature), left: off + int32(n.Left), right: off + int32(n.Right), missLeft: n.MissingLeft}
				// The recursion unwinds a feature met before and extends
				// the path with it again: it moves to the end.
				below := make([]int32, 0, len(features[i])+1)
				for _, f := range features[i] {
					if f != int32(n.Feature) {
						below = append(below, f)
					}
				}
				below = append(below, int32(n.Feature))
				for _, c := range []int{n.Left, n.Right} {
					if reach[c] {
						return nil // two parents (or both branches alike)
					}
					reach[c], depth[c], features[c] = true, depth[i]+1, below
				}
			}
			lt.nodes = append(lt.nodes, w)
		}
	}
	return lt
}

// add adds to phi the attributions of x, in treeSHAP's order: tree by
// tree, each depth first, the branch x takes before the other.
func (lt *leafTables) add(trees [][]TreeNode, x, phi []float64) {
	lt.once.Do(func() { lt.fill(trees) })
	type visit struct {
		node    int32
		depth   int32
		pattern int32
	}
	var stack [2*maxTableDepth + 2]visit
	nodes, feats, values := lt.nodes, lt.feats, lt.values
	for _, root := range lt.roots {
		stack[0] = visit{node: root}
		for top := 1; top > 0; {
			top--
			v := stack[top]
			n := &nodes[v.node]
			if n.feature < 0 {
				k := int(n.k)
				at := int(n.left) + int(v.pattern)*k
				vals := values[at : at+k]
				for i, f := range feats[n.right : int(n.right)+k] {
					phi[f] += vals[i]
				}
				continue
			}
			hot, cold := n.right, n.left
			if x := x[n.feature]; x <= n.thr || x != x && n.missLeft {
				hot, cold = n.left, n.right
			}
			stack[top] = visit{cold, v.depth + 1, v.pattern}
			stack[top+1] = visit{hot, v.depth + 1, v.pattern | 1<<v.depth}
			top += 2
		}
	}
}

// fill computes every tree's table.
func (lt *leafTables) fill(trees [][]TreeNode) {
	lt.values = make([]float64, lt.size)
	// Scratch paths per depth: the one unwound at a node and the one
	// extended for its child.
	unwound := make([][]pathElem, maxTableDepth+1)
	extended := make([][]pathElem, maxTableDepth+1)
	for d := range unwound {
		unwound[d] = make([]pathElem, d+2)
		extended[d] = make([]pathElem, d+3)
	}
	root := extendPath(make([]pathElem, 1), nil, 1, 1, -1)
	for t, nodes := range trees {
		lt.fillBelow(nodes, lt.nodes[lt.roots[t]:], 0, 0, 0, root, unwound, extended)
	}
}

// fillBelow fills the tables of the leaves below node j of one tree
// (walk holds that tree's walkNodes), at the given depth, reached with the
// given pattern along path (the path treeSHAP holds at j): for each child,
// both ways of reaching it (hot, carrying the "one" fraction, and cold),
// with the operands treeSHAP gives them.
func (lt *leafTables) fillBelow(nodes []TreeNode, walk []walkNode, j, depth, pattern int, path []pathElem, unwound, extended [][]pathElem) {
	n := &nodes[j]
	if n.Feature < 0 {
		w := &walk[j]
		k := int(w.k)
		v := lt.values[int(w.left)+pattern*k : int(w.left)+pattern*k+k]
		for i := 1; i < len(path); i++ {
			v[i-1] = leafAddend(path, i, n.Value)
		}
		return
	}
	inZero, inOne := 1.0, 1.0
	for k := 1; k < len(path); k++ {
		if path[k].feature == n.Feature {
			inZero, inOne = path[k].zero, path[k].one
			path = unwindPath(unwound[depth][:len(path)], path, k)
			break
		}
	}
	cover := max(n.Cover, 1e-12)
	for _, c := range [2]int{n.Left, n.Right} {
		zero := inZero * nodes[c].Cover / cover
		out := extended[depth][:len(path)+1]
		lt.fillBelow(nodes, walk, c, depth+1, pattern|1<<depth, extendPath(out, path, zero, inOne, n.Feature), unwound, extended)
		lt.fillBelow(nodes, walk, c, depth+1, pattern, extendPath(out, path, zero, 0, n.Feature), unwound, extended)
	}
}

// leafAddend is what a leaf of the given value adds to the attribution of
// path element i. The conversion keeps the product rounded on its own, so
// no processor fuses it with the addition to phi.
func leafAddend(path []pathElem, i int, value float64) float64 {
	return float64(unwoundSum(path, i) * (path[i].one - path[i].zero) * value)
}
