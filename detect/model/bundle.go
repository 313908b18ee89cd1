package model

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
)

// FormatVersion is the bundle format that this build writes and reads.
// Version 2 added the follower ensemble's blind feature (Ensemble.WithBlind).
const FormatVersion = 2

// magic opens every bundle file.
const magic = "bonafide-bundle\n"

// digestSize is the length of the SHA-256 trailer that closes every bundle.
const digestSize = sha256.Size

// Errors returned by Decode. They may be wrapped with more detail; test
// with errors.Is.
var (
	// ErrNotBundle means the data does not start like a bundle.
	ErrNotBundle = errors.New("model: not a bonafide bundle")
	// ErrVersion means the bundle was written in a format this build does
	// not read.
	ErrVersion = errors.New("model: unsupported bundle version")
	// ErrDigest means the content digest does not match the content: the
	// bundle was altered or truncated after it was written.
	ErrDigest = errors.New("model: bundle content digest mismatch")
	// ErrSchema means the bundle's feature schema differs from the one the
	// code computes: the model reads different features and must be
	// retrained.
	ErrSchema = errors.New("model: bundle feature schema mismatch")
	// ErrCorrupt means the content matches its digest but does not parse:
	// the writer was faulty.
	ErrCorrupt = errors.New("model: corrupt bundle")
)

// Rates are the follower model's error rates measured on held-out data at
// the bundle's Threshold, as adjusted classify-and-count needs them.
// Positives and Negatives count the held-out fake and real accounts the
// rates were measured on, so that callers can bound their error.
type Rates struct {
	TPR       float64 `json:"tpr"`
	FPR       float64 `json:"fpr"`
	Positives int     `json:"positives"`
	Negatives int     `json:"negatives"`
}

// Bundle is everything detect needs to score: the models, the feature schema
// they read, the threshold and error rates of the follower model, the
// training metrics and the model card.
type Bundle struct {
	// Version is the format version. Encode writes FormatVersion when it
	// is zero; Decode fills it.
	Version int
	// Name identifies the bundle for people (for example "default-2026-11").
	Name string
	// Schema is the digest of the follower feature schema the models read
	// (features.ProfileSchema()).
	Schema string
	// Features names the follower features in vector order.
	Features []string
	// Follower gives P(fake) for one follower's feature vector.
	Follower *Ensemble
	// FollowerRates are the held-out error rates at Threshold.
	FollowerRates Rates
	// Threshold is the P(fake) at or above which a follower counts as fake.
	Threshold float64
	// Creator holds the creator model and norms; its shape belongs to
	// detect. Empty when the bundle has none.
	Creator json.RawMessage
	// Metrics holds the training metrics as JSON. Empty when absent.
	Metrics json.RawMessage
	// Card is the model card in Markdown.
	Card string
}

// Encode returns the bundle's bytes. The same bundle always gives the same
// bytes; they end with a SHA-256 digest of everything before it.
func (b *Bundle) Encode() ([]byte, error) {
	version := b.Version
	if version == 0 {
		version = FormatVersion
	}
	if version != FormatVersion {
		return nil, fmt.Errorf("encode bundle: %w %d (this build writes %d)", ErrVersion, version, FormatVersion)
	}
	for _, raw := range []struct {
		name string
		data json.RawMessage
	}{{"creator", b.Creator}, {"metrics", b.Metrics}} {
		if len(raw.data) > 0 && !json.Valid(raw.data) {
			return nil, fmt.Errorf("encode bundle: %s is not valid JSON", raw.name)
		}
	}
	if math.IsNaN(b.Threshold) {
		return nil, errors.New("encode bundle: threshold is NaN")
	}
	w := []byte(magic)
	w = binary.LittleEndian.AppendUint32(w, uint32(version))
	w = appendString(w, b.Name)
	w = appendString(w, b.Schema)
	w = binary.LittleEndian.AppendUint32(w, uint32(len(b.Features)))
	for _, f := range b.Features {
		w = appendString(w, f)
	}
	w = appendFloat(w, b.Threshold)
	w = appendFloat(w, b.FollowerRates.TPR)
	w = appendFloat(w, b.FollowerRates.FPR)
	w = binary.LittleEndian.AppendUint64(w, uint64(b.FollowerRates.Positives))
	w = binary.LittleEndian.AppendUint64(w, uint64(b.FollowerRates.Negatives))
	if b.Follower == nil {
		w = append(w, 0)
	} else {
		w = append(w, 1)
		w = b.Follower.appendTo(w)
	}
	w = appendString(w, string(b.Creator))
	w = appendString(w, string(b.Metrics))
	w = appendString(w, b.Card)
	sum := sha256.Sum256(w)
	return append(w, sum[:]...), nil
}

// Digest returns the hex SHA-256 of the bundle's content, as written at the
// end of its encoding; it identifies the model in caches and reports. It
// returns "" when the bundle cannot be encoded.
func (b *Bundle) Digest() string {
	data, err := b.Encode()
	if err != nil {
		return ""
	}
	return hex.EncodeToString(data[len(data)-digestSize:])
}

// Decode reads a bundle. It refuses data that is not a bundle, a format
// version it does not read, content that does not match its digest, and,
// unless wantSchema is empty, a feature schema other than wantSchema; the
// error says which, and wraps ErrNotBundle, ErrVersion, ErrDigest or
// ErrSchema.
func Decode(data []byte, wantSchema string) (*Bundle, error) {
	if len(data) < len(magic)+4+digestSize || string(data[:len(magic)]) != magic {
		return nil, fmt.Errorf("decode bundle: %w (bad header)", ErrNotBundle)
	}
	content, stored := data[:len(data)-digestSize], data[len(data)-digestSize:]
	if sum := sha256.Sum256(content); string(sum[:]) != string(stored) {
		return nil, fmt.Errorf("decode bundle: %w: stored %x, computed %x; the file was altered or truncated",
			ErrDigest, stored, sum)
	}
	r := reader{buf: content[len(magic):]}
	b := &Bundle{Version: int(r.uint32())}
	if b.Version != FormatVersion {
		return nil, fmt.Errorf("decode bundle: %w %d (this build reads %d)", ErrVersion, b.Version, FormatVersion)
	}
	b.Name = r.string()
	b.Schema = r.string()
	if n := r.count(4); n > 0 {
		b.Features = make([]string, n)
		for i := range b.Features {
			b.Features[i] = r.string()
		}
	}
	b.Threshold = r.float()
	b.FollowerRates.TPR = r.float()
	b.FollowerRates.FPR = r.float()
	b.FollowerRates.Positives = int(r.uint64())
	b.FollowerRates.Negatives = int(r.uint64())
	if math.IsNaN(b.Threshold) {
		r.fail(errors.New("threshold is NaN"))
	}
	switch has := r.byte(); has {
	case 0:
	case 1:
		b.Follower = r.ensemble()
	default:
		r.fail(fmt.Errorf("follower model flag %d", has))
	}
	b.Creator = r.json("creator")
	b.Metrics = r.json("metrics")
	b.Card = r.string()
	if r.err == nil && len(r.buf) != 0 {
		r.fail(fmt.Errorf("%d trailing bytes", len(r.buf)))
	}
	if r.err != nil {
		return nil, fmt.Errorf("decode bundle: %w: %v", ErrCorrupt, r.err)
	}
	if wantSchema != "" && b.Schema != wantSchema {
		return nil, fmt.Errorf("decode bundle %q: %w: the bundle reads feature schema %s, this build computes %s; retrain the bundle",
			b.Name, ErrSchema, b.Schema, wantSchema)
	}
	return b, nil
}

// Node flags in the encoding.
const (
	flagLeaf        = 1
	flagMissingLeft = 2
)

// Encoded sizes, used to bound counts before allocating.
const (
	minNodeSize = 1 + 8
	minTreeSize = 4 + minNodeSize
)

func (e *Ensemble) appendTo(w []byte) []byte {
	w = binary.LittleEndian.AppendUint32(w, uint32(e.numFeatures))
	w = append(w, byte(e.link))
	w = appendFloat(w, e.base)
	w = binary.LittleEndian.AppendUint32(w, uint32(int32(e.blind)))
	w = binary.LittleEndian.AppendUint32(w, uint32(len(e.roots)))
	for _, t := range e.Trees() {
		w = binary.LittleEndian.AppendUint32(w, uint32(len(t.Nodes)))
		for _, n := range t.Nodes {
			if n.Leaf {
				w = append(w, flagLeaf)
				w = appendFloat(w, n.Value)
				continue
			}
			var flags byte
			if n.MissingLeft {
				flags |= flagMissingLeft
			}
			w = append(w, flags)
			w = binary.LittleEndian.AppendUint32(w, uint32(n.Feature))
			w = appendFloat(w, n.Threshold)
			w = binary.LittleEndian.AppendUint32(w, uint32(n.Left))
			w = binary.LittleEndian.AppendUint32(w, uint32(n.Right))
		}
	}
	return w
}

func appendString(w []byte, s string) []byte {
	w = binary.LittleEndian.AppendUint32(w, uint32(len(s)))
	return append(w, s...)
}

func appendFloat(w []byte, f float64) []byte {
	return binary.LittleEndian.AppendUint64(w, math.Float64bits(f))
}

// reader decodes the bundle body. After the first error every read returns
// a zero value, and err keeps that first error.
type reader struct {
	buf []byte
	err error
}

func (r *reader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
	r.buf = nil
}

func (r *reader) take(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.buf) {
		r.fail(fmt.Errorf("need %d bytes, have %d", n, len(r.buf)))
		return nil
	}
	b := r.buf[:n]
	r.buf = r.buf[n:]
	return b
}

func (r *reader) byte() byte {
	if b := r.take(1); b != nil {
		return b[0]
	}
	return 0
}

func (r *reader) uint32() uint32 {
	if b := r.take(4); b != nil {
		return binary.LittleEndian.Uint32(b)
	}
	return 0
}

func (r *reader) uint64() uint64 {
	if b := r.take(8); b != nil {
		return binary.LittleEndian.Uint64(b)
	}
	return 0
}

func (r *reader) float() float64 { return math.Float64frombits(r.uint64()) }

func (r *reader) string() string { return string(r.take(int(r.uint32()))) }

// json reads a string that must be empty or valid JSON.
func (r *reader) json(name string) json.RawMessage {
	s := r.string()
	if s == "" {
		return nil
	}
	if !json.Valid([]byte(s)) {
		r.fail(fmt.Errorf("%s is not valid JSON", name))
		return nil
	}
	return json.RawMessage(s)
}

// count reads a count of items of at least minSize bytes each and checks
// that the rest of the data can hold them.
func (r *reader) count(minSize int) int {
	n := int(r.uint32())
	if r.err == nil && n > len(r.buf)/minSize {
		r.fail(fmt.Errorf("count %d exceeds the remaining %d bytes", n, len(r.buf)))
		return 0
	}
	return n
}

func (r *reader) ensemble() *Ensemble {
	numFeatures := int(r.uint32())
	link := Link(r.byte())
	base := r.float()
	blind := int(int32(r.uint32()))
	trees := make([]Tree, r.count(minTreeSize))
	for i := range trees {
		nodes := make([]Node, r.count(minNodeSize))
		for j := range nodes {
			flags := r.byte()
			if flags != flagLeaf && flags&^flagMissingLeft != 0 {
				r.fail(fmt.Errorf("node flags %#x", flags))
			}
			if flags == flagLeaf {
				nodes[j] = Node{Leaf: true, Value: r.float()}
				continue
			}
			nodes[j] = Node{
				MissingLeft: flags&flagMissingLeft != 0,
				Feature:     int(r.uint32()),
				Threshold:   r.float(),
				Left:        int(r.uint32()),
				Right:       int(r.uint32()),
			}
		}
		trees[i] = Tree{Nodes: nodes}
	}
	if r.err != nil {
		return nil
	}
	e, err := NewEnsemble(numFeatures, link, base, trees)
	if err == nil && blind != -1 {
		e, err = e.WithBlind(blind)
	}
	if err != nil {
		r.fail(err)
		return nil
	}
	return e
}
