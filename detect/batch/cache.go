package batch

import (
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
	"github.com/klauspost/compress/zstd"
	"github.com/rs/zerolog"

	"bonafide/features"
)

// ErrLocked is returned when another process has the cache open.
// Errors may be wrapped with more detail; test with errors.Is.
var ErrLocked = errors.New("batch: cache is in use by another process")

// Badger options that keep the cache's memory modest (DESIGN.md, Cache):
// defaults reach about 570 MB, these about 280 MB at similar speed.
//
// Tables are not compressed and there is no block cache: the values that
// make up most of the bytes (report lines) are compressed already, the
// rest are small follower scores, and Badger's advice is to run without a
// block cache when tables are not compressed (reads then come straight
// from the memory-mapped tables). That spares compressing every block
// when the memtable is flushed (each run's end), decompressing it when it
// is read, and the block cache's own allocation at every open. Tables
// written compressed by earlier builds still read: each table's
// compression is recorded in the manifest.
const (
	memTableSize   = 16 << 20
	numMemtables   = 2
	blockCacheSize = 0
	indexCacheSize = 16 << 20
)

// entryTTL is how long an entry lives without being rewritten. The cache
// is content-addressed, so stale entries (old models, changed documents)
// are never wrong, only wasted space; the TTL lets compaction drop them.
const entryTTL = 30 * 24 * time.Hour

// Key prefixes. The version byte after each prefix changes whenever the
// meaning of a value changes (decoder or report encoding), so an old
// cache reads as empty rather than wrong.
const (
	keyVersion       = 1
	prefixCreator    = 'c'
	prefixFollower   = 'f'
	prefixCheckpoint = 'k'
)

// A Cache is the Badger store of one batch: creator results keyed by
// input digest and model, follower scores keyed by platform, follower id,
// profile digest and model, and checkpoints keyed by output file. Only
// one process may open a cache folder. Every value carries a CRC-32C of
// its key and payload; a value that fails the check is treated as absent.
// A Cache is safe for concurrent use.
type Cache struct {
	db  *badger.DB
	dir string
	log zerolog.Logger

	// snap is a read-only transaction opened with the cache: every read
	// goes through it. A new read transaction waits for the writes in
	// flight to land (Badger's oracle), which made each lookup cost more
	// than scoring; the snapshot does not wait, and what this process
	// writes it also keeps in memory (memo) while it needs it.
	snap *badger.Txn

	// writes are batched; wb is nil until the first write.
	wbMu sync.Mutex
	wb   *badger.WriteBatch

	corrupt atomic.Int64 // values that failed their checksum or could not be read

	codec codec // compresses and expands the report lines of creator entries

	// noCreators and noFollowers say that the snapshot holds no entry of
	// that kind for the run's model (see skipEmpty): every read of one
	// would miss, so none is made. Set before the workers start.
	noCreators, noFollowers bool

	closeOnce sync.Once
	closeErr  error
}

// CacheStats describes what a cache holds.
type CacheStats struct {
	Dir         string `json:"dir"`
	Creators    int64  `json:"creators"`
	Followers   int64  `json:"followers"`
	Checkpoints int64  `json:"checkpoints"`
	Other       int64  `json:"other"` // keys of an older cache version
	LSMBytes    int64  `json:"lsm_bytes"`
	VlogBytes   int64  `json:"vlog_bytes"` // apparent size: value-log files are preallocated
}

// OpenCache opens (or creates) the cache in dir. A cache another process
// holds gives an error wrapping ErrLocked. A cache that Badger cannot
// open is renamed to dir.corrupt-N (the first free N) and a new one is
// created in its place; the event is logged at Warn.
func OpenCache(dir string, log zerolog.Logger) (*Cache, error) {
	log = log.With().Str("component", "batch.cache").Logger()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create cache folder: %w", err)
	}
	if err := probeLock(dir); err != nil {
		return nil, err
	}
	db, err := openBadger(dir, log)
	if err == nil {
		return newCache(db, dir, log), nil
	}
	if strings.Contains(err.Error(), "Cannot acquire directory lock") {
		return nil, fmt.Errorf("open cache %s: %w", dir, ErrLocked)
	}
	aside, rerr := setAside(dir)
	if rerr != nil {
		return nil, fmt.Errorf("open cache %s: %w (and set it aside: %v)", dir, err, rerr)
	}
	log.Warn().Err(err).Str("dir", dir).Str("moved_to", aside).Msg("cache is corrupt; set aside, starting a new one")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create cache folder: %w", err)
	}
	db, err = openBadger(dir, log)
	if err != nil {
		return nil, fmt.Errorf("open new cache %s: %w", dir, err)
	}
	return newCache(db, dir, log), nil
}

func newCache(db *badger.DB, dir string, log zerolog.Logger) *Cache {
	return &Cache{db: db, dir: dir, log: log, snap: db.NewTransaction(false)}
}

// openBadger opens the store with the modest-memory options. Badger may
// panic on some forms of damage; that is reported as an error.
func openBadger(dir string, log zerolog.Logger) (db *badger.DB, err error) {
	defer func() {
		if r := recover(); r != nil {
			db, err = nil, fmt.Errorf("badger panicked: %v", r)
		}
	}()
	if err := checkTables(dir); err != nil {
		return nil, err
	}
	opts := badger.DefaultOptions(dir).
		WithLogger(badgerLogger{log}).
		WithMemTableSize(memTableSize).
		WithNumMemtables(numMemtables).
		WithCompression(options.None).
		WithBlockCacheSize(blockCacheSize).
		WithIndexCacheSize(indexCacheSize).
		WithNumCompactors(2).
		WithValueLogFileSize(64 << 20).
		WithNumLevelZeroTables(2).
		WithNumLevelZeroTablesStall(8).
		WithMetricsEnabled(false).
		WithDetectConflicts(false).
		WithChecksumVerificationMode(options.OnBlockRead)
	return badger.Open(opts)
}

func setAside(dir string) (string, error) {
	for n := 1; ; n++ {
		to := fmt.Sprintf("%s.corrupt-%d", filepath.Clean(dir), n)
		if _, err := os.Lstat(to); err == nil {
			continue
		}
		return to, os.Rename(dir, to)
	}
}

// Close flushes pending writes and closes the store. Calls after the
// first return the first call's error.
func (c *Cache) Close() error {
	c.closeOnce.Do(func() {
		c.snap.Discard()
		c.closeErr = c.flush()
		c.codec.close()
		if err := c.db.Close(); err != nil && c.closeErr == nil {
			c.closeErr = fmt.Errorf("close cache: %w", err)
		}
	})
	return c.closeErr
}

// Corrupt returns how many values failed their checksum (or could not be
// read) since the cache was opened; each was treated as a miss.
func (c *Cache) Corrupt() int64 { return c.corrupt.Load() }

// Stats counts the keys by kind and reports the store's size on disk.
func (c *Cache) Stats() (CacheStats, error) {
	s := CacheStats{Dir: c.dir}
	err := c.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			k := it.Item().Key()
			switch {
			case len(k) < 2 || k[1] != keyVersion:
				s.Other++
			case k[0] == prefixCreator:
				s.Creators++
			case k[0] == prefixFollower:
				s.Followers++
			case k[0] == prefixCheckpoint:
				s.Checkpoints++
			default:
				s.Other++
			}
		}
		return nil
	})
	if err != nil {
		return s, fmt.Errorf("count cache keys: %w", err)
	}
	// Badger's own Size() is refreshed once a minute; the files are exact.
	ents, err := os.ReadDir(c.dir)
	if err != nil {
		return s, fmt.Errorf("cache size: %w", err)
	}
	for _, e := range ents {
		info, err := e.Info()
		if err != nil {
			continue
		}
		switch filepath.Ext(e.Name()) {
		case ".sst":
			s.LSMBytes += info.Size()
		case ".vlog":
			s.VlogBytes += info.Size()
		}
	}
	return s, nil
}

// GC runs value-log garbage collection until there is nothing left to
// rewrite, and returns how many value-log files it rewrote. Small values
// live in the LSM tree, so GC matters only for values over Badger's
// value threshold; compaction reclaims the rest.
func (c *Cache) GC() (int, error) {
	if err := c.flush(); err != nil {
		return 0, err
	}
	n := 0
	for {
		err := c.db.RunValueLogGC(0.5)
		if errors.Is(err, badger.ErrNoRewrite) || errors.Is(err, badger.ErrRejected) {
			return n, nil
		}
		if err != nil {
			return n, fmt.Errorf("value log gc: %w", err)
		}
		n++
	}
}

// Clear deletes every entry, checkpoints included.
func (c *Cache) Clear() error {
	if err := c.flush(); err != nil {
		return err
	}
	if err := c.db.DropAll(); err != nil {
		return fmt.Errorf("clear cache: %w", err)
	}
	return nil
}

func (c *Cache) flush() error {
	c.wbMu.Lock()
	defer c.wbMu.Unlock()
	if c.wb == nil {
		return nil
	}
	err := c.wb.Flush()
	c.wb = nil
	if err != nil {
		return fmt.Errorf("flush cache writes: %w", err)
	}
	return nil
}

// seal returns the stored form of payload under key: a CRC-32C of key
// and payload, then the payload.
func seal(key, payload []byte) []byte {
	v := make([]byte, 4, 4+len(payload))
	binary.BigEndian.PutUint32(v, checksum(key, payload))
	return append(v, payload...)
}

func checksum(key, payload []byte) uint32 {
	t := crc32.MakeTable(crc32.Castagnoli) // built once by the crc32 package
	return crc32.Update(crc32.Update(0, t, key), t, payload)
}

// getUnless is get, or a miss without a read when absent is set.
func (c *Cache) getUnless(absent bool, key []byte) ([]byte, bool) {
	if absent {
		return nil, false
	}
	return c.get(key)
}

// skipEmpty notes which kinds of entries the snapshot holds none of for
// model m, so that a cold run does not look up every document and every
// follower in vain. The snapshot never sees this run's own writes, so a
// kind absent at open stays absent for every read of the run.
func (c *Cache) skipEmpty(m modelKey) {
	c.noCreators = !c.holds(append([]byte{prefixCreator, keyVersion}, m[:]...))
	c.noFollowers = !c.holds(append([]byte{prefixFollower, keyVersion}, m[:]...))
}

// holds reports whether the snapshot has a key starting with prefix (a
// read error counts as yes: the reads will find out).
func (c *Cache) holds(prefix []byte) bool {
	it := c.snap.NewIterator(badger.IteratorOptions{Prefix: prefix})
	defer it.Close()
	it.Rewind()
	return it.Valid()
}

// get returns the payload stored under key; ok is false when it is
// absent, unreadable or fails its checksum.
// Reads see the cache as it was when it was opened.
func (c *Cache) get(key []byte) (payload []byte, ok bool) {
	item, err := c.snap.Get(key)
	if err == nil {
		payload, err = item.ValueCopy(nil)
	}
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, false
	}
	if err != nil {
		c.corrupt.Add(1)
		c.log.Debug().Err(err).Msg("cache read failed; recomputing")
		return nil, false
	}
	if len(payload) < 4 || binary.BigEndian.Uint32(payload) != checksum(key, payload[4:]) {
		c.corrupt.Add(1)
		c.log.Debug().Hex("key", key).Msg("cache value failed its checksum; recomputing")
		return nil, false
	}
	return payload[4:], true
}

// putAsync queues a write; it is committed in the background and is not
// durable until Close. A failed write only costs a later recomputation.
func (c *Cache) putAsync(key, payload []byte) {
	c.wbMu.Lock()
	defer c.wbMu.Unlock()
	if c.wb == nil {
		c.wb = c.db.NewWriteBatch()
	}
	e := badger.NewEntry(key, seal(key, payload)).WithTTL(entryTTL)
	if err := c.wb.SetEntry(e); err != nil {
		c.log.Warn().Err(err).Msg("cache write failed")
		c.wb.Cancel()
		c.wb = nil
	}
}

// putSync writes one value and waits for it to be committed.
func (c *Cache) putSync(key, payload []byte, ttl time.Duration) error {
	return c.db.Update(func(txn *badger.Txn) error {
		e := badger.NewEntry(key, seal(key, payload))
		if ttl > 0 {
			e = e.WithTTL(ttl)
		}
		return txn.SetEntry(e)
	})
}

func (c *Cache) delete(key []byte) error {
	return c.db.Update(func(txn *badger.Txn) error { return txn.Delete(key) })
}

// modelKey is the short digest of a model name that keys carry.
type modelKey [8]byte

func newModelKey(model string) modelKey {
	s := sha256.Sum256([]byte(model))
	return modelKey(s[:8])
}

func creatorKey(m modelKey, input [32]byte) []byte {
	k := make([]byte, 0, 2+len(m)+len(input))
	k = append(k, prefixCreator, keyVersion)
	k = append(k, m[:]...)
	return append(k, input[:]...)
}

func checkpointKey(out string) []byte {
	s := sha256.Sum256([]byte(out))
	return append([]byte{prefixCheckpoint, keyVersion}, s[:16]...)
}

// followerKey is model, platform, follower id and profile digest.
func followerKey(m modelKey, platform string, f *features.Follower, digest [16]byte) []byte {
	k := make([]byte, 0, 32+len(platform)+len(f.ID))
	k = append(k, prefixFollower, keyVersion)
	k = append(k, m[:]...)
	k = binary.AppendUvarint(k, uint64(len(platform)))
	k = append(k, platform...)
	k = binary.AppendUvarint(k, uint64(len(f.ID)))
	k = append(k, f.ID...)
	return append(k, digest[:]...)
}

// profileBytes appends to b the encoding of what a follower's score
// depends on: the platform, the follower id and the feature vector the
// follower model reads (so the profile, and the account's age at the
// document's observed_at).
func profileBytes(b []byte, platform, id string, vector []float64) []byte {
	b = appendStr(b, platform)
	b = appendStr(b, id)
	for _, x := range vector {
		b = binary.BigEndian.AppendUint64(b, math.Float64bits(x))
	}
	return b
}

// digestOf is the profile digest that follower keys carry: the first 16
// bytes of the SHA-256 of profileBytes. Any change to what the score
// depends on changes it.
func digestOf(profile []byte) [16]byte {
	s := sha256.Sum256(profile)
	return [16]byte(s[:16])
}

func appendStr(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendOptStr(b []byte, o features.OptString) []byte {
	if !o.OK {
		return append(b, 0)
	}
	return appendStr(append(b, 1), o.V)
}

func appendOptBool(b []byte, o features.OptBool) []byte {
	switch {
	case !o.OK:
		return append(b, 0)
	case o.V:
		return append(b, 2)
	default:
		return append(b, 1)
	}
}

func appendOptInt(b []byte, o features.OptInt) []byte {
	if !o.OK {
		return append(b, 0)
	}
	return binary.AppendVarint(append(b, 1), o.V)
}

func appendOptTime(b []byte, o features.OptTime) []byte {
	if !o.OK {
		return append(b, 0)
	}
	b = binary.AppendVarint(append(b, 1), o.V.Unix())
	return binary.AppendUvarint(b, uint64(o.V.Nanosecond()))
}

// followerHook returns the function the engine calls around each
// follower's scoring: a cached score when one is stored under the
// follower's key, otherwise score() stored for next time. The cached
// float is bit-identical to the computed one, so output never depends on
// whether the cache hit. hits and misses count lookups.
//
// The cache (*cp) and the model key (*m) are read at each call, so they
// may be set after the hook is made, before its first call.
func followerHook(cp **Cache, m *modelKey, hits, misses *atomic.Int64) FollowerScoreFunc {
	recent := newMemo(memoEntries)
	return func(platform string, f *features.Follower, vector []float64, score func() float64) float64 {
		c := *cp
		var buf [512]byte // enough for the usual profile: no allocation
		profile := profileBytes(buf[:0], platform, f.ID, vector)
		mk := recent.key(profile)
		if v, ok := recent.get(mk); ok {
			hits.Add(1)
			return v
		}
		key := followerKey(*m, platform, f, digestOf(profile))
		if p, ok := c.getUnless(c.noFollowers, key); ok && len(p) == 8 {
			hits.Add(1)
			v := math.Float64frombits(binary.BigEndian.Uint64(p))
			recent.put(mk, v)
			return v
		}
		misses.Add(1)
		v := score()
		recent.put(mk, v)
		c.putAsync(key, binary.BigEndian.AppendUint64(nil, math.Float64bits(v)))
		return v
	}
}

// memoEntries bounds the in-memory follower scores of a run (about 50
// bytes each).
const memoEntries = 1 << 19

// Creator entries: what one document produced under one model.
const (
	entryReport = 'R' // verdict length, verdict, report line
	entryError  = 'E' // a contract violation: creator id, field, message
	// entryCompressed is entryReport with the line compressed (a zstd
	// frame, github.com/klauspost/compress/zstd, fastest level): report
	// lines are most of what a run writes to the cache, and a third of
	// their bytes keeps Badger's memtables, flushes and compactions, and
	// so the run's peak memory, small as the input grows. zstd compresses
	// a line about 3 times as fast as DEFLATE (entryDeflated) as tightly,
	// and expands it about 8 times as fast. encode writes it.
	entryCompressed = 'D'
	// entryDeflated is entryReport with the line compressed by DEFLATE
	// (fastest level), as earlier builds wrote it. It still reads, like
	// entryReport.
	entryDeflated = 'Z'
)

type creatorEntry struct {
	kind      byte   // entryReport or entryError once decoded
	verdict   string // entryReport
	line      []byte // report line without newline (entryReport)
	creatorID string // entryError
	field     string
	message   string
}

// maxReportLine bounds an expanded report line: a corrupt or hostile value
// must not make the cache expand without end.
const maxReportLine = 64 << 20

// encode returns the stored form of e: a report line compressed with z.
func (e creatorEntry) encode(z *codec) []byte {
	var b []byte
	app := func(s []byte) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	switch e.kind {
	case entryReport:
		b = make([]byte, 0, 1+binary.MaxVarintLen64+len(e.verdict)+len(e.line)/2)
		b = append(b, entryCompressed)
		app([]byte(e.verdict))
		enc, _ := z.zstd()
		b = enc.EncodeAll(e.line, b)
	case entryError:
		b = append(b, e.kind)
		app([]byte(e.creatorID))
		app([]byte(e.field))
		app([]byte(e.message))
	}
	return b
}

// decodeCreatorEntry reads a stored entry, expanding a compressed one
// with z (nil: new decompressors).
func decodeCreatorEntry(z *codec, b []byte) (creatorEntry, bool) {
	if len(b) == 0 {
		return creatorEntry{}, false
	}
	if z == nil {
		z = new(codec)
		defer z.close()
	}
	e := creatorEntry{kind: b[0]}
	b = b[1:]
	var bad bool
	next := func() []byte {
		n, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n {
			bad = true
			return nil
		}
		s := b[k : k+int(n)]
		b = b[k+int(n):]
		return s
	}
	switch e.kind {
	case entryReport:
		e.verdict = string(next())
		e.line = bytes.Clone(next())
	case entryCompressed:
		e.kind = entryReport
		e.verdict = string(next())
		if bad {
			return creatorEntry{}, false
		}
		_, dec := z.zstd()
		line, err := dec.DecodeAll(b, nil)
		if err != nil || len(line) > maxReportLine {
			return creatorEntry{}, false
		}
		e.line, b = line, nil
	case entryDeflated:
		e.kind = entryReport
		e.verdict = string(next())
		if bad {
			return creatorEntry{}, false
		}
		line, ok := z.inflate(b)
		if !ok {
			return creatorEntry{}, false
		}
		e.line, b = line, nil
	case entryError:
		e.creatorID = string(next())
		e.field = string(next())
		e.message = string(next())
	default:
		return creatorEntry{}, false
	}
	if bad || len(b) != 0 {
		return creatorEntry{}, false
	}
	return e, true
}

// codec compresses and expands report lines with reused zstd encoders
// and decoders, and inflates the deflated lines of earlier builds with
// reused decompressors (each holds tens of kB to a few MB of state). The
// zero value is ready; safe for concurrent use; close releases it.
type codec struct {
	readers  sync.Pool // flate
	once     sync.Once
	enc      *zstd.Encoder
	dec      *zstd.Decoder
	closeDec sync.Once
}

// zstd returns the encoder and decoder, made on first use. Each serves
// as many concurrent calls as there are cores; EncodeAll and DecodeAll
// are safe for concurrent use.
func (z *codec) zstd() (*zstd.Encoder, *zstd.Decoder) {
	z.once.Do(func() {
		n := runtime.GOMAXPROCS(0)
		// Valid options: these constructors do not fail.
		z.enc, _ = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(n),
			zstd.WithLowerEncoderMem(true), zstd.WithEncoderCRC(false)) // values carry a CRC-32C already
		z.dec, _ = zstd.NewReader(nil, zstd.WithDecoderConcurrency(n), zstd.WithDecoderLowmem(true),
			zstd.WithDecoderMaxMemory(maxReportLine))
	})
	return z.enc, z.dec
}

// close releases the zstd decoder's resources. The codec must not be
// used after.
func (z *codec) close() {
	z.once.Do(func() {}) // no use after close
	z.closeDec.Do(func() {
		if z.dec != nil {
			z.dec.Close()
		}
	})
}

// inflate returns the data DEFLATE compressed, or false when src is not
// a whole DEFLATE stream of at most maxReportLine bytes.
func (z *codec) inflate(src []byte) ([]byte, bool) {
	var r io.ReadCloser
	if z != nil {
		r, _ = z.readers.Get().(io.ReadCloser)
	}
	if r == nil {
		r = flate.NewReader(bytes.NewReader(src))
	} else if r.(flate.Resetter).Reset(bytes.NewReader(src), nil) != nil {
		return nil, false
	}
	out, err := io.ReadAll(io.LimitReader(r, maxReportLine+1))
	if z != nil {
		z.readers.Put(r)
	}
	return out, err == nil && len(out) <= maxReportLine
}

func (c *Cache) creator(m modelKey, input [32]byte) (creatorEntry, bool) {
	p, ok := c.getUnless(c.noCreators, creatorKey(m, input))
	if !ok {
		return creatorEntry{}, false
	}
	e, ok := decodeCreatorEntry(&c.codec, p)
	if !ok {
		c.corrupt.Add(1)
	}
	return e, ok
}

func (c *Cache) putCreator(m modelKey, input [32]byte, e creatorEntry) {
	c.putAsync(creatorKey(m, input), e.encode(&c.codec))
}

// badgerLogger hands Badger's log lines to zerolog: its Info lines (which
// are chatty) at Debug, its Debug lines at Trace, warnings and errors at
// their level.
type badgerLogger struct{ l zerolog.Logger }

func (b badgerLogger) Errorf(f string, a ...any)   { b.l.Error().Msgf(strings.TrimSpace(f), a...) }
func (b badgerLogger) Warningf(f string, a ...any) { b.l.Warn().Msgf(strings.TrimSpace(f), a...) }
func (b badgerLogger) Infof(f string, a ...any)    { b.l.Debug().Msgf(strings.TrimSpace(f), a...) }
func (b badgerLogger) Debugf(f string, a ...any)   { b.l.Trace().Msgf(strings.TrimSpace(f), a...) }
