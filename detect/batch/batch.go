// Package batch is the nightly runner: it reads many creator-history
// documents, scores them on every core with a Vetter, and writes one JSON
// line per document, in input order, to a file. A Badger cache keeps what
// a previous run computed (whole documents, and follower scores shared
// between creators), and checkpoints let a killed run resume with an
// output byte-identical to an uninterrupted one.
//
// The package does not score anything itself (the Vetter does), parse
// flags, or render anything but a progress line.
package batch

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"bonafide/detect"
	"bonafide/features"
)

// Errors returned by Run. They may be wrapped with more detail; test
// with errors.Is.
var (
	// ErrRejected means the run finished, but some documents could not
	// be scored and have error lines in the output.
	ErrRejected = errors.New("batch: some documents were rejected")
	// ErrInterrupted means the context was cancelled: the documents in
	// flight were written and checkpointed, and --resume goes on.
	ErrInterrupted = errors.New("batch: interrupted")
	// ErrInputChanged means a resumed run found inputs that differ from
	// those of the checkpoint.
	ErrInputChanged = errors.New("batch: inputs differ from the checkpoint")
)

// FollowerScoreFunc wraps the scoring of one follower: it returns score()
// or a value that score() returned before for the same follower id,
// feature vector and model. The vector is everything the follower model
// reads (features.ProfileOf at the document's observed_at), so a cached
// score is exactly the one score() would give. It is safe for concurrent
// use.
type FollowerScoreFunc = func(platform string, f *features.Follower, vector []float64, score func() float64) float64

// A Vetter scores one decoded document. Vet must be a pure function of
// the document and the model, and safe for concurrent use. Model names
// the model ("name@digest"); it keys the cache.
type Vetter interface {
	Vet(ctx context.Context, doc features.Document) (detect.Report, error)
	Model() string
}

// Options configure Run. The zero value of each optional field means
// its default.
type Options struct {
	// Inputs are paths as features.Open takes them: .json, .jsonl (and
	// .gz of those) files, folders, and "-" for Stdin.
	Inputs []string
	Stdin  io.Reader
	// Out is the output file (JSON Lines). Required.
	Out string
	// CacheDir is the Badger folder for the cache and checkpoints. Required.
	CacheDir string
	// Workers is the number of concurrent scorers; 0 means GOMAXPROCS.
	Workers int
	// Resume goes on from the checkpoint of Out, if there is one.
	Resume bool
	// NewVetter builds the scorer around the follower-score cache hook.
	// Required.
	NewVetter func(followerScore FollowerScoreFunc) (Vetter, error)
	// Model, if set, is what the Vetter's Model will return. Run then
	// keys the cache with it at once and builds the Vetter only when a
	// document needs scoring (at the start of a run whose model has no
	// creator in the cache, else at the first miss): a warm run whose
	// documents all hit the cache never builds it. A Vetter that names
	// another model stops the run with an error.
	Model string

	// CheckpointEvery is the number of documents between checkpoints;
	// 0 means 1000. CheckpointInterval is the longest time between
	// checkpoints while documents are written; 0 means 2 seconds.
	CheckpointEvery    int
	CheckpointInterval time.Duration
	// Window bounds the documents read but not yet written (the reorder
	// buffer); 0 means 8 per worker.
	Window int
	// MaxDocumentBytes is the largest document held in memory; 0 means
	// DefaultMaxDocumentBytes.
	MaxDocumentBytes int
	// Progress, if non-nil, is called from one goroutine at most every
	// ProgressEvery (0 means 200 ms) while documents are written, and
	// once at the end. It must not block.
	Progress      func(Progress)
	ProgressEvery time.Duration
}

func (o Options) withDefaults() Options {
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.CheckpointEvery <= 0 {
		o.CheckpointEvery = 1000
	}
	if o.CheckpointInterval <= 0 {
		o.CheckpointInterval = 2 * time.Second
	}
	if o.Window <= 0 {
		o.Window = 8 * o.Workers
	}
	if o.MaxDocumentBytes <= 0 {
		o.MaxDocumentBytes = DefaultMaxDocumentBytes
	}
	if o.ProgressEvery <= 0 {
		o.ProgressEvery = 200 * time.Millisecond
	}
	return o
}

// Progress is the state of a run as it goes.
type Progress struct {
	Done       int64 // documents written, resumed ones included
	Resumed    int64 // documents skipped because a previous run wrote them
	Rejected   int64 // error lines written, resumed ones included
	BytesRead  int64 // input bytes consumed (compressed size for .gz)
	BytesTotal int64 // size of all input files; 0 when unknown (stdin)
	Elapsed    time.Duration
	Final      bool
}

// job is one document on its way through the pipeline.
type job struct {
	index int64
	raw   rawDoc
}

// result is one output line and what it counts for.
type result struct {
	index   int64
	sha     [32]byte
	line    []byte // without newline
	verdict string // "" for an error line
	cached  bool
	fatal   error // the run cannot go on (the scorer could not be built)
}

// lazyVetter builds the Vetter on first use, once.
type lazyVetter struct {
	once  sync.Once
	build func() (Vetter, error)
	v     Vetter
	err   error
}

// readyVetter is a lazyVetter of an already built v.
func readyVetter(v Vetter) *lazyVetter {
	l := &lazyVetter{v: v}
	l.once.Do(func() {})
	return l
}

func (l *lazyVetter) get() (Vetter, error) {
	l.once.Do(func() { l.v, l.err = l.build() })
	return l.v, l.err
}

// Run scores every input document and writes one line per document to
// opts.Out, in input order. It returns a summary of the whole output
// (resumed documents included) and an error wrapping ErrRejected when
// some documents have error lines, ErrInterrupted when ctx was
// cancelled (after writing and checkpointing every document in flight),
// or another error when the run could not go on.
func Run(ctx context.Context, opts Options, log zerolog.Logger) (Summary, error) {
	opts = opts.withDefaults()
	cacheLog := log
	log = log.With().Str("component", "batch").Logger()
	start := time.Now()
	if opts.Out == "" || opts.CacheDir == "" || opts.NewVetter == nil || len(opts.Inputs) == 0 {
		return Summary{}, errors.New("batch: Inputs, Out, CacheDir and NewVetter are required")
	}
	if n := slices.Index(opts.Inputs, "-"); n >= 0 && (slices.Index(opts.Inputs[n+1:], "-") >= 0 || opts.Stdin == nil) {
		return Summary{}, errors.New("batch: standard input (-) given more than once, or no reader for it")
	}
	out, err := filepath.Abs(opts.Out)
	if err != nil {
		return Summary{}, fmt.Errorf("output path: %w", err)
	}

	var cache *Cache
	var mk modelKey
	var folHits, folMisses atomic.Int64
	hook := followerHook(&cache, &mk, &folHits, &folMisses)
	var vetter *lazyVetter
	var model string
	if opts.Model == "" {
		// Open the cache while the scorer is built: both take a while
		// (Badger allocates its memtable, the engine parses its models),
		// and neither needs the other until the first document.
		type opened struct {
			cache *Cache
			err   error
		}
		openc := make(chan opened, 1)
		go func() {
			c, err := OpenCache(opts.CacheDir, cacheLog)
			openc <- opened{c, err}
		}()
		v, vetErr := opts.NewVetter(hook)
		o := <-openc
		if o.err != nil {
			return Summary{}, o.err
		}
		cache = o.cache
		defer cache.Close()
		if vetErr != nil {
			return Summary{}, fmt.Errorf("build scorer: %w", vetErr)
		}
		model = v.Model()
		vetter = readyVetter(v)
	} else {
		c, err := OpenCache(opts.CacheDir, cacheLog)
		if err != nil {
			return Summary{}, err
		}
		cache = c
		defer cache.Close()
		model = opts.Model
		vetter = &lazyVetter{build: func() (Vetter, error) {
			v, err := opts.NewVetter(hook)
			if err == nil && v.Model() != model {
				err = fmt.Errorf("scorer names model %q, Options.Model %q", v.Model(), model)
			}
			return v, err
		}}
	}
	mk = newModelKey(model)
	cache.skipEmpty(mk)
	if cache.noCreators {
		// Nothing of this model is cached: every document will need the
		// scorer, so build it while the first documents are read. (The
		// hook reads cache and mk, set above.)
		go vetter.get()
	}

	ck := checkpoint{Model: model, Verdicts: map[string]int64{}}
	ckKey := checkpointKey(out)
	if opts.Resume {
		if p, ok := cache.get(ckKey); ok {
			if err := json.Unmarshal(p, &ck); err != nil {
				return Summary{}, fmt.Errorf("read checkpoint: %w", err)
			}
			if ck.Model != model {
				return Summary{}, fmt.Errorf("resume %s: checkpoint was made with model %q, not %q: %w", opts.Out, ck.Model, model, ErrInputChanged)
			}
			if ck.Verdicts == nil {
				ck.Verdicts = map[string]int64{}
			}
			log.Info().Int64("done", ck.Done).Int64("offset", ck.Offset).Msg("resuming from checkpoint")
		} else {
			log.Info().Msg("no checkpoint for this output; starting from the beginning")
		}
	} else if err := cache.delete(ckKey); err != nil {
		return Summary{}, fmt.Errorf("clear checkpoint: %w", err)
	}

	f, outHash, err := openOutput(opts.Out, ck.Offset, ck.Output)
	if err != nil {
		return Summary{}, err
	}
	defer f.Close()

	r := &runner{
		opts: opts, log: log, cache: cache, vetter: vetter, model: model, mk: mk,
		ck: ck, ckKey: ckKey, f: f, w: bufio.NewWriterSize(f, 1<<20), outHash: outHash, start: start,
		fr: newFramer(opts.Inputs, opts.Stdin, opts.MaxDocumentBytes),
	}
	resumed := ck.Done
	r.resumed = resumed
	runErr := r.run(ctx)
	r.fr.close()

	sum := Summary{
		Documents:      r.ck.Done,
		Scored:         r.ck.Scored,
		Rejected:       r.ck.Rejected,
		Verdicts:       r.ck.Verdicts,
		Resumed:        resumed,
		CreatorHits:    r.creatorHits,
		CreatorMisses:  r.creatorMisses,
		FollowerHits:   folHits.Load(),
		FollowerMisses: folMisses.Load(),
		CorruptValues:  cache.Corrupt(),
		Model:          model,
		Seconds:        time.Since(start).Seconds(),
	}
	if runErr != nil {
		return sum, runErr
	}
	if err := cache.Close(); err != nil {
		return sum, err
	}
	if sum.Rejected > 0 {
		return sum, fmt.Errorf("%d of %d documents: %w", sum.Rejected, sum.Documents, ErrRejected)
	}
	return sum, nil
}

// openOutput opens the output for writing at offset: the start of a new
// run (0), or the end of what a checkpoint recorded as written, after
// checking that the first offset bytes still have the SHA-256 the
// checkpoint recorded (digest, hex). It returns the running hash of the
// output so far.
func openOutput(path string, offset int64, digest string) (*os.File, hash.Hash, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("open output: %w", err)
	}
	fail := func(err error) (*os.File, hash.Hash, error) {
		f.Close()
		return nil, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		return fail(fmt.Errorf("open output: %w", err))
	}
	if st.Size() < offset {
		return fail(fmt.Errorf("resume %s: output has %d bytes, checkpoint recorded %d: %w", path, st.Size(), offset, ErrInputChanged))
	}
	h := sha256.New()
	if _, err := io.CopyN(h, f, offset); err != nil {
		return fail(fmt.Errorf("read output: %w", err))
	}
	if offset > 0 && hex.EncodeToString(h.Sum(nil)) != digest {
		return fail(fmt.Errorf("resume %s: its first %d bytes are not those the checkpoint recorded: %w", path, offset, ErrInputChanged))
	}
	if err := f.Truncate(offset); err != nil {
		return fail(fmt.Errorf("truncate output: %w", err))
	}
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return fail(fmt.Errorf("seek output: %w", err))
	}
	return f, h, nil
}

var newline = []byte{'\n'}

// checkpoint is what a run has durably written to its output. Chain is
// the hash chain of the input digests of the documents done, so a resume
// over other inputs is caught.
type checkpoint struct {
	Model    string           `json:"model"`
	Done     int64            `json:"done"`
	Offset   int64            `json:"offset"`
	Chain    string           `json:"chain"` // hex
	Scored   int64            `json:"scored"`
	Rejected int64            `json:"rejected"`
	Verdicts map[string]int64 `json:"verdicts"`
	Complete bool             `json:"complete"`
	Output   string           `json:"output_sha256"` // of the first Offset bytes, hex
}

func chainNext(chain []byte, sha [32]byte) []byte {
	h := sha256.New()
	h.Write(chain)
	h.Write(sha[:])
	return h.Sum(nil)
}

type runner struct {
	opts   Options
	log    zerolog.Logger
	cache  *Cache
	vetter *lazyVetter
	model  string
	mk     modelKey
	fr     *framer
	start  time.Time

	ck      checkpoint
	ckKey   []byte
	chain   []byte
	f       *os.File
	w       *bufio.Writer
	outHash hash.Hash // of every byte written to the output

	resumed                    int64
	creatorHits, creatorMisses int64 // touched by the writer goroutine only
	lastProgress               time.Time
}

func (r *runner) run(ctx context.Context) error {
	want, err := hex.DecodeString(r.ck.Chain)
	if err != nil {
		return fmt.Errorf("read checkpoint chain: %w", err)
	}
	r.ck.Chain = "" // r.chain holds it from here on

	// Skip what the checkpoint says is written, checking the inputs are
	// the same documents.
	var skipped int64
	for skipped < r.ck.Done {
		d, ok := r.fr.next()
		if !ok {
			return fmt.Errorf("resume: inputs have %d documents, checkpoint recorded %d: %w", skipped, r.ck.Done, ErrInputChanged)
		}
		r.chain = chainNext(r.chain, docDigest(d))
		skipped++
	}
	if !bytes.Equal(r.chain, want) {
		return fmt.Errorf("resume: the first %d documents differ from the checkpoint's: %w", skipped, ErrInputChanged)
	}

	// Documents in flight are finished even when ctx is cancelled.
	workCtx := context.WithoutCancel(ctx)
	slots := make(chan struct{}, r.opts.Window)
	jobs := make(chan job)
	results := make(chan result, r.opts.Window)
	stop := make(chan struct{}) // closed when the writer fails
	var readerDone atomic.Bool

	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // reader
		defer wg.Done()
		defer close(jobs)
		for i := r.ck.Done; ; i++ {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			case <-stop:
				return
			}
			if ctx.Err() != nil {
				return
			}
			d, ok := r.fr.next()
			if !ok {
				readerDone.Store(true)
				return
			}
			jobs <- job{index: i, raw: d}
		}
	}()
	var workers sync.WaitGroup
	for range r.opts.Workers {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for j := range jobs {
				results <- r.process(workCtx, j)
			}
		}()
	}
	go func() { workers.Wait(); close(results) }()

	werr := r.write(results, slots)
	if werr != nil {
		close(stop)
		for range results { // let the workers finish
		}
	}
	wg.Wait()
	if werr != nil {
		return werr
	}
	complete := readerDone.Load()
	if err := r.commit(complete); err != nil {
		return err
	}
	r.progress(true)
	if !complete {
		return fmt.Errorf("after %d documents: %w", r.ck.Done, ErrInterrupted)
	}
	r.log.Info().Int64("documents", r.ck.Done).Int64("rejected", r.ck.Rejected).Msg("batch done")
	return nil
}

// write puts results in input order, writes them, and checkpoints in
// groups. It returns when results is closed, or on a write error.
func (r *runner) write(results <-chan result, slots <-chan struct{}) error {
	pending := make(map[int64]result, r.opts.Window)
	next := r.ck.Done
	sinceCk := 0
	lastCk := time.Now()
	for res := range results {
		if res.fatal != nil {
			return res.fatal
		}
		pending[res.index] = res
		for {
			p, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			if _, err := r.w.Write(p.line); err != nil {
				return fmt.Errorf("write output: %w", err)
			}
			if err := r.w.WriteByte('\n'); err != nil {
				return fmt.Errorf("write output: %w", err)
			}
			r.outHash.Write(p.line)
			r.outHash.Write(newline)
			r.ck.Offset += int64(len(p.line)) + 1
			r.ck.Done++
			r.chain = chainNext(r.chain, p.sha)
			if p.verdict == "" {
				r.ck.Rejected++
			} else {
				r.ck.Scored++
				r.ck.Verdicts[p.verdict]++
			}
			if p.cached {
				r.creatorHits++
			} else {
				r.creatorMisses++
			}
			next++
			sinceCk++
			<-slots
		}
		if sinceCk >= r.opts.CheckpointEvery || (sinceCk > 0 && time.Since(lastCk) >= r.opts.CheckpointInterval) {
			if err := r.commit(false); err != nil {
				return err
			}
			sinceCk, lastCk = 0, time.Now()
		}
		r.progress(false)
	}
	if len(pending) != 0 {
		return fmt.Errorf("batch: %d results out of order at the end", len(pending))
	}
	return nil
}

// commit flushes and syncs the output, then records the checkpoint: a
// checkpoint never counts a line that is not on disk.
func (r *runner) commit(complete bool) error {
	if err := r.w.Flush(); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	if err := r.f.Sync(); err != nil {
		return fmt.Errorf("sync output: %w", err)
	}
	ck := r.ck
	ck.Chain = hex.EncodeToString(r.chain)
	ck.Output = hex.EncodeToString(r.outHash.Sum(nil))
	ck.Complete = complete
	b, err := json.Marshal(ck)
	if err != nil {
		return fmt.Errorf("encode checkpoint: %w", err)
	}
	if err := r.cache.putSync(r.ckKey, b, 0); err != nil {
		return fmt.Errorf("record checkpoint: %w", err)
	}
	return nil
}

func (r *runner) progress(final bool) {
	if r.opts.Progress == nil {
		return
	}
	now := time.Now()
	if !final && now.Sub(r.lastProgress) < r.opts.ProgressEvery {
		return
	}
	r.lastProgress = now
	r.opts.Progress(Progress{
		Done: r.ck.Done, Resumed: r.resumed, Rejected: r.ck.Rejected,
		BytesRead: r.fr.read.Load(), BytesTotal: r.fr.totalIfKnown(),
		Elapsed: now.Sub(r.start), Final: final,
	})
}

func (f *framer) totalIfKnown() int64 {
	if f.unknown {
		return 0
	}
	return f.total
}

// docDigest is the input digest of a framed document: SHA-256 of its
// bytes, or of its read error when it has none.
func docDigest(d rawDoc) [32]byte {
	if d.err != nil {
		return sha256.Sum256([]byte("error\x00" + d.source + "\x00" + d.err.Error()))
	}
	return sha256.Sum256(d.data)
}

// process turns one framed document into its output line.
func (r *runner) process(ctx context.Context, j job) result {
	d := j.raw
	res := result{index: j.index, sha: docDigest(d)}
	if d.err != nil {
		res.line = errorLine(d, "", "", d.err.Error())
		return res
	}
	if e, ok := r.cache.creator(r.mk, res.sha); ok {
		res.cached = true
		if e.kind == entryReport {
			res.line, res.verdict = e.line, e.verdict
		} else {
			res.line = errorLine(d, e.creatorID, e.field, e.message)
		}
		return res
	}
	h, warns, err := features.Decode(bytes.NewReader(d.data))
	if err != nil {
		var fe *features.FieldError
		id := creatorIDOf(d.data)
		if errors.As(err, &fe) {
			msg := fieldMessage(fe)
			r.cache.putCreator(r.mk, res.sha, creatorEntry{kind: entryError, creatorID: id, field: fe.Field, message: msg})
			res.line = errorLine(d, id, fe.Field, msg)
		} else {
			res.line = errorLine(d, id, "", err.Error())
		}
		return res
	}
	doc := features.Document{
		Source: d.source, Line: d.line, Index: int(j.index), SHA256: res.sha,
		CreatorID: h.Creator.ID, History: h, Warnings: warns,
	}
	v, err := r.vetter.get()
	if err != nil {
		res.fatal = fmt.Errorf("build scorer: %w", err)
		return res
	}
	rep, err := v.Vet(ctx, doc)
	if err != nil {
		res.line = errorLine(d, h.Creator.ID, "", "score: "+err.Error())
		return res
	}
	line, err := rep.AppendJSON(make([]byte, 0, 8192))
	if err != nil {
		// Only a NaN or infinite float fails: json.Marshal, which the
		// encoding matches byte for byte, names the error as it always has.
		if _, err = json.Marshal(rep); err == nil {
			err = errors.New("report does not encode")
		}
		res.line = errorLine(d, h.Creator.ID, "", "encode report: "+err.Error())
		return res
	}
	res.line, res.verdict = line, rep.Verdict
	r.cache.putCreator(r.mk, res.sha, creatorEntry{kind: entryReport, verdict: rep.Verdict, line: line})
	return res
}

// fieldMessage is what an error line says about a contract violation.
func fieldMessage(fe *features.FieldError) string {
	if fe.Expected == "" && fe.Found == "" {
		return fe.Error()
	}
	return "expected " + fe.Expected + ", found " + fe.Found
}

func errorLine(d rawDoc, creatorID, field, message string) []byte {
	b, err := json.Marshal(detect.ErrorLine{
		Format: detect.ReportFormat, Line: d.line, Source: d.source, CreatorID: creatorID,
		Error: detect.ErrorBody{Field: field, Message: message},
	})
	if err != nil { // strings only: cannot happen
		panic(err)
	}
	return b
}

// creatorIDOf reads creator.id from a document that failed to decode,
// as far as the JSON allows; "" when it cannot be read.
func creatorIDOf(data []byte) string {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return ""
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return ""
		}
		if k != "creator" {
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return ""
			}
			continue
		}
		if t, err := dec.Token(); err != nil || t != json.Delim('{') {
			return ""
		}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return ""
			}
			if k == "id" {
				v, err := dec.Token()
				if s, ok := v.(string); ok && err == nil {
					return s
				}
				return ""
			}
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return ""
			}
		}
		return ""
	}
	return ""
}
