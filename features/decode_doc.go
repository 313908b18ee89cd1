package features

import (
	"fmt"
	"hash/maphash"
	"strconv"
	"time"
)

// fieldOf is one field of the objects of kind T: its name, what an error
// says was expected when a required field is missing ("" when the field is
// optional), and how its value is read into the object. A read func starts
// at the field's value, with d.at naming the field, and checks whatever
// the field's value must agree with.
type fieldOf[T any] struct {
	name     string
	required string
	read     func(d *decoder, x *T) error
}

// objectOf lists the fields of one kind of object. Their order is the
// order in which missing required fields are reported.
type objectOf[T any] struct {
	expected string // what an error names when the value is no object
	fields   []fieldOf[T]
	required uint32 // the bits of the required fields
}

// object returns the table of a kind of object, with at most 32 fields
// (one bit each in the checks of duplicate and missing fields).
func object[T any](expected string, fields []fieldOf[T]) *objectOf[T] {
	if len(fields) > 32 {
		panic("features: an object kind has more than 32 fields")
	}
	o := &objectOf[T]{expected: expected, fields: fields}
	for k, f := range fields {
		if f.required != "" {
			o.required |= 1 << k
		}
	}
	return o
}

// decodeObject reads one object of kind o into x. Each known field is read
// by its read func, at most once; unknown fields are skipped; after the
// closing '}' the first required field (in the order of o.fields) that the
// object left out is an error. d.at names the object on entry, and again
// on success: a field's name is entered in d.at for its value and cleared
// after it. A read func that moves d.at deeper (a list) puts it back
// before it returns nil.
func decodeObject[T any](d *decoder, x *T, o *objectOf[T]) error {
	if err := d.beginObject(o.expected); err != nil {
		return err
	}
	// Where the name of the field being read goes: the document's own
	// fields (depth 1) start a path, the others end it.
	name := &d.at.f
	if d.depth == 1 {
		name = &d.at.a
	}
	var seen uint32
	from := 0 // where the search for the next key starts
	for first := true; ; first = false {
		*name = ""
		key, more, err := d.nextKey(first)
		if err != nil {
			return err
		}
		if !more {
			break
		}
		k := o.lookup(key, from)
		if k < 0 {
			if err := d.unknownField(); err != nil {
				return err
			}
			continue
		}
		f := &o.fields[k]
		*name = f.name
		if err := d.duplicate(&seen, 1<<k); err != nil {
			return err
		}
		if err := f.read(d, x); err != nil {
			return err
		}
		from = k + 1
	}
	*name = ""
	if seen&o.required == o.required {
		return nil
	}
	for k := range o.fields {
		if f := &o.fields[k]; f.required != "" && seen&(1<<k) == 0 {
			return d.missing(f.name, f.required)
		}
	}
	return nil
}

// lookup returns the index of the field named key, or -1. The search
// starts at index from and wraps around: objects mostly give their fields
// in the order of the table, so the next key is usually found at once.
func (o *objectOf[T]) lookup(key []byte, from int) int {
	for k := from; k < len(o.fields); k++ {
		if o.fields[k].name == string(key) {
			return k
		}
	}
	for k := range from {
		if o.fields[k].name == string(key) {
			return k
		}
	}
	return -1
}

// decodeList reads an array of objects of kind o; null stands for an
// absent array. at names the array's elements: their index goes in at.j
// when at names a list inside an element of another (at.b is set), else
// in at.i. On success d.at is as it was on entry.
func decodeList[T any](d *decoder, what string, at loc, o *objectOf[T]) ([]T, error) {
	present, err := d.beginArray(what)
	if err != nil || !present {
		return nil, err
	}
	entry := d.at
	d.at = at
	var list []T
	var zero T
	for n := 0; ; n++ {
		// The element before left d.at as it found it, but for its index.
		if at.b != "" {
			d.at.j = n
		} else {
			d.at.i = n
		}
		more, err := d.nextElem(n == 0)
		if err != nil {
			return nil, err
		}
		if !more {
			d.at = entry
			return list, nil
		}
		list = append(list, zero)
		if err := decodeObject(d, &list[n], o); err != nil {
			return nil, err
		}
	}
}

// emptied returns m emptied for the next list, or nil when it grew past
// 65,536 entries, so that one long list does not keep its memory for the
// lists after it. The read funcs make the map when they first need it.
func emptied[M ~map[K]V, K comparable, V any](m M) M {
	if len(m) > 1<<16 {
		return nil
	}
	clear(m)
	return m
}

// document reads one document: the top-level object and everything in it.
func (d *decoder) document() (*History, error) {
	d.depth, d.creatorID, d.hasObs = 0, "", false
	d.at = loc{i: -1, j: -1}
	h := new(History)
	if err := decodeObject(d, h, documentObject); err != nil {
		return nil, err
	}
	return h, nil
}

var documentObject = object("a JSON object", []fieldOf[History]{
	{name: "format", read: readFormat},
	{name: "platform", required: expPlatform, read: readPlatform},
	{name: "observed_at", required: expTime, read: readObservedAt},
	{name: "creator", required: expObject, read: func(d *decoder, h *History) error {
		return decodeObject(d, &h.Creator, creatorObject)
	}},
	{name: "follower_series", read: func(d *decoder, h *History) (err error) {
		h.Series, err = d.series()
		return err
	}},
	{name: "followers", read: func(d *decoder, h *History) (err error) {
		// Before the creator, its follower count is 0: no hint.
		hint := clampHint(h.Creator.Followers)
		if h.Sample.Population.OK {
			hint = min(hint, clampHint(h.Sample.Population.V))
		}
		h.Followers, err = d.followers(hint)
		return err
	}},
	{name: "follower_sample", read: func(d *decoder, h *History) error {
		return d.sample(&h.Sample)
	}},
	{name: "posts", read: func(d *decoder, h *History) (err error) {
		h.Posts, err = d.posts()
		return err
	}},
})

func readFormat(d *decoder, h *History) error {
	if d.isNull() {
		return nil
	}
	c, ok := d.peek()
	if !ok || c != '"' {
		return d.fail(strconv.Quote(Format))
	}
	b, err := d.str(MaxTextLen, strconv.Quote(Format))
	if err != nil {
		return err
	}
	if string(b) != Format {
		return d.failf(strconv.Quote(Format), quoteShort(b))
	}
	h.Format = Format
	return nil
}

func readPlatform(d *decoder, h *History) error {
	c, ok := d.peek()
	if !ok || c != '"' {
		return d.fail(expPlatform)
	}
	b, err := d.str(MaxTextLen, expPlatform)
	if err != nil {
		return err
	}
	if !isPlatform(b) {
		return d.failf(expPlatform, quoteShort(b))
	}
	h.Platform = string(b)
	return nil
}

// readObservedAt reads observed_at, which must not come before a
// creator.created_at read before it (the creator checks the other order).
func readObservedAt(d *decoder, h *History) error {
	t, err := d.time()
	if err != nil {
		return err
	}
	h.ObservedAt, d.observedAt, d.hasObs = t, t, true
	if created := h.Creator.CreatedAt; created.OK && t.Before(created.V) {
		return d.failf("a time not before creator.created_at ("+fmtTime(created.V)+")", fmtTime(t))
	}
	return nil
}

const expPlatform = "a lower-case word (letters and digits, starting with a letter)"

// isPlatform reports whether b is a lower-case word: [a-z][a-z0-9]*.
func isPlatform(b []byte) bool {
	if len(b) == 0 || b[0] < 'a' || b[0] > 'z' {
		return false
	}
	for _, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

func fmtTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// clampHint turns a follower count read from the document into a capacity
// hint for the followers list. The cap bounds what a wrong count can make
// the decoder allocate ahead: 4,194,304 followers, about 1 GB, and only
// once a sixteenth of that is listed (see followerList).
func clampHint(n int64) int {
	const limit = 1 << 22
	return int(min(n, limit))
}

var creatorObject = object(expObject, []fieldOf[Creator]{
	{name: "id", required: expID, read: func(d *decoder, c *Creator) (err error) {
		c.ID, err = d.id()
		d.creatorID = c.ID
		return err
	}},
	{name: "handle", read: func(d *decoder, c *Creator) (err error) { c.Handle, err = d.plainText(); return err }},
	{name: "name", read: func(d *decoder, c *Creator) (err error) { c.Name, err = d.plainText(); return err }},
	{name: "followers", required: expCount, read: func(d *decoder, c *Creator) (err error) { c.Followers, err = d.count(); return err }},
	{name: "following", read: func(d *decoder, c *Creator) (err error) { c.Following, err = d.optCount(); return err }},
	{name: "posts", read: func(d *decoder, c *Creator) (err error) { c.Posts, err = d.optCount(); return err }},
	{name: "created_at", read: readCreatorCreatedAt},
	{name: "verified", read: func(d *decoder, c *Creator) (err error) { c.Verified, err = d.optBool(); return err }},
	{name: "category", read: func(d *decoder, c *Creator) (err error) { c.Category, err = d.plainText(); return err }},
})

// readCreatorCreatedAt reads creator.created_at, which must not come after
// an observed_at read before it (the document checks the other order).
func readCreatorCreatedAt(d *decoder, c *Creator) (err error) {
	if c.CreatedAt, err = d.optTime(); err != nil {
		return err
	}
	if c.CreatedAt.OK && d.hasObs && d.observedAt.Before(c.CreatedAt.V) {
		return d.failf("a time not after observed_at ("+fmtTime(d.observedAt)+")", fmtTime(c.CreatedAt.V))
	}
	return nil
}

func (d *decoder) series() ([]SeriesPoint, error) {
	d.snapshotTimes = emptied(d.snapshotTimes)
	return decodeList(d, "an array of snapshots", loc{a: "follower_series", j: -1}, snapshotObject)
}

var snapshotObject = object(expObject, []fieldOf[SeriesPoint]{
	{name: "at", required: expTime, read: readSnapshotAt},
	{name: "followers", required: expCount, read: func(d *decoder, p *SeriesPoint) (err error) { p.Followers, err = d.count(); return err }},
	{name: "following", read: func(d *decoder, p *SeriesPoint) (err error) { p.Following, err = d.optCount(); return err }},
})

// readSnapshotAt reads the time of follower_series[d.at.i], which no other
// snapshot may share.
func readSnapshotAt(d *decoder, p *SeriesPoint) (err error) {
	if p.At, err = d.time(); err != nil {
		return err
	}
	if d.snapshotTimes == nil {
		d.snapshotTimes = make(map[[2]int64]int32)
	}
	tk := [2]int64{p.At.Unix(), int64(p.At.Nanosecond())}
	if k, dup := d.snapshotTimes[tk]; dup {
		return d.failf("a time no other snapshot has", fmt.Sprintf("%s, the time of follower_series[%d]", fmtTime(p.At), k))
	}
	d.snapshotTimes[tk] = int32(d.at.i)
	return nil
}

// followerList collects a followers list of unknown length without ever
// holding much more than twice its final size. With a hint (the creator's
// follower count, when it came before the list) it grows one slice in
// steps of 4 and jumps to the hint once that is at most 16 times the
// current capacity, so that a list as long as the hint ends in a slice of
// exactly its size, allocated once. Past the hint, or without one, it fills
// chunks of at most 65536 followers and copies them into one slice at the
// end: growing a slice as append does would hold up to 3.6 times the list
// (the old and new arrays of the last steps, not yet collected).
type followerList struct {
	first  []Follower
	hint   int
	chunks [][]Follower
	cur    []Follower
	n      int
}

const followerChunk = 1 << 16

// next returns room for one more follower, zeroed.
func (l *followerList) next() *Follower {
	l.n++
	if len(l.chunks) == 0 && l.cur == nil {
		if len(l.first) < cap(l.first) {
			l.first = l.first[:len(l.first)+1]
			return &l.first[len(l.first)-1]
		}
		if c := cap(l.first); l.hint > c {
			var n int
			switch {
			case c == 0:
				n = min(l.hint, 1024)
			case l.hint <= 16*c:
				n = l.hint
			default:
				n = 4 * c
			}
			ns := make([]Follower, len(l.first)+1, n)
			copy(ns, l.first)
			l.first = ns
			return &l.first[len(l.first)-1]
		}
	}
	if len(l.cur) == cap(l.cur) {
		if l.cur != nil {
			l.chunks = append(l.chunks, l.cur)
		}
		size := followerChunk
		if l.first == nil && len(l.chunks) == 0 {
			size = 1024
		} else if k := len(l.chunks); l.first == nil && k < 7 {
			size = 1024 << k
		}
		l.cur = make([]Follower, 0, size)
	}
	l.cur = l.cur[:len(l.cur)+1]
	return &l.cur[len(l.cur)-1]
}

// find returns the index of the first follower with the given id among
// the first n, or -1.
func (l *followerList) find(id string, n int) int {
	i := 0
	for _, part := range append(append([][]Follower{l.first}, l.chunks...), l.cur) {
		for k := range part {
			if i >= n {
				return -1
			}
			if part[k].ID == id {
				return i
			}
			i++
		}
	}
	return -1
}

// slice returns the list as one slice.
func (l *followerList) slice() []Follower {
	if l.cur == nil {
		s := l.first
		if cap(s) > 2*len(s) && cap(s)-len(s) > 1024 {
			s = append([]Follower(nil), s...)
		}
		return s
	}
	if l.first == nil && len(l.chunks) == 0 {
		return l.cur
	}
	out := make([]Follower, 0, l.n)
	out = append(out, l.first...)
	l.first = nil
	for i, c := range l.chunks {
		out = append(out, c...)
		l.chunks[i] = nil
	}
	return append(out, l.cur...)
}

func (d *decoder) followers(hint int) ([]Follower, error) {
	present, err := d.beginArray("an array of followers")
	if err != nil || !present {
		return nil, err
	}
	d.followerIDs = emptied(d.followerIDs)
	entry := d.at
	d.followerList = followerList{hint: hint}
	defer func() { d.followerList = followerList{} }()
	d.at = loc{a: "followers", j: -1}
	for i := 0; ; i++ {
		d.at.i = i // the follower before left d.at as it found it
		more, err := d.nextElem(i == 0)
		if err != nil {
			return nil, err
		}
		if !more {
			break
		}
		if err := decodeObject(d, d.followerList.next(), followerObject); err != nil {
			return nil, err
		}
	}
	d.at = entry
	return d.followerList.slice(), nil
}

var followerObject = object(expObject, []fieldOf[Follower]{
	{name: "id", required: expID, read: readFollowerID},
	{name: "username", read: func(d *decoder, f *Follower) (err error) { f.Username, err = d.optText(); return err }},
	{name: "name", read: func(d *decoder, f *Follower) (err error) { f.Name, err = d.optText(); return err }},
	{name: "bio", read: func(d *decoder, f *Follower) (err error) { f.Bio, err = d.optText(); return err }},
	{name: "has_avatar", read: func(d *decoder, f *Follower) (err error) { f.HasAvatar, err = d.optBool(); return err }},
	{name: "external_url", read: func(d *decoder, f *Follower) (err error) { f.ExternalURL, err = d.optBool(); return err }},
	{name: "private", read: func(d *decoder, f *Follower) (err error) { f.Private, err = d.optBool(); return err }},
	{name: "verified", read: func(d *decoder, f *Follower) (err error) { f.Verified, err = d.optBool(); return err }},
	{name: "followers", read: func(d *decoder, f *Follower) (err error) { f.Followers, err = d.optCount(); return err }},
	{name: "following", read: func(d *decoder, f *Follower) (err error) { f.Following, err = d.optCount(); return err }},
	{name: "posts", read: func(d *decoder, f *Follower) (err error) { f.Posts, err = d.optCount(); return err }},
	{name: "created_at", read: func(d *decoder, f *Follower) (err error) { f.CreatedAt, err = d.optTime(); return err }},
	{name: "followed_at", read: func(d *decoder, f *Follower) (err error) { f.FollowedAt, err = d.optTime(); return err }},
	{name: "last_active_at", read: func(d *decoder, f *Follower) (err error) { f.LastActiveAt, err = d.optTime(); return err }},
})

// readFollowerID reads the id of followers[d.at.i], which no other
// follower may share.
func readFollowerID(d *decoder, f *Follower) (err error) {
	if f.ID, err = d.id(); err != nil {
		return err
	}
	// The set holds hashes: a hash seen before is checked against the ids
	// themselves, so that a collision of two different ids is no error.
	if d.followerIDs == nil {
		d.followerIDs = make(map[uint64]struct{})
		d.seed = maphash.MakeSeed()
	}
	n := len(d.followerIDs)
	d.followerIDs[maphash.String(d.seed, f.ID)] = struct{}{}
	if len(d.followerIDs) == n {
		if k := d.followerList.find(f.ID, d.at.i); k >= 0 {
			return d.failf("an id no other follower has", fmt.Sprintf("%s, the id of followers[%d]", quoteShort([]byte(f.ID)), k))
		}
	}
	return nil
}

const expMethod = `"all", "random" or "recent"`

// sample reads follower_sample; null leaves it absent.
func (d *decoder) sample(s *Sample) error {
	if d.isNull() {
		return nil
	}
	return decodeObject(d, s, sampleObject)
}

var sampleObject = object(expObject, []fieldOf[Sample]{
	{name: "method", read: readSampleMethod},
	{name: "population", read: func(d *decoder, s *Sample) (err error) { s.Population, err = d.optCount(); return err }},
})

func readSampleMethod(d *decoder, s *Sample) error {
	if d.isNull() {
		return nil
	}
	c, ok := d.peek()
	if !ok || c != '"' {
		return d.fail(expMethod)
	}
	b, err := d.str(MaxTextLen, expMethod)
	if err != nil {
		return err
	}
	switch string(b) {
	case SampleAll:
		s.Method = SampleAll
	case SampleRandom:
		s.Method = SampleRandom
	case SampleRecent:
		s.Method = SampleRecent
	default:
		return d.failf(expMethod, quoteShort(b))
	}
	return nil
}

func (d *decoder) posts() ([]Post, error) {
	d.postIDs = emptied(d.postIDs)
	return decodeList(d, "an array of posts", loc{a: "posts", j: -1}, postObject)
}

var postObject = object(expObject, []fieldOf[Post]{
	{name: "id", required: expID, read: readPostID},
	{name: "created_at", required: expTime, read: func(d *decoder, p *Post) (err error) { p.CreatedAt, err = d.time(); return err }},
	{name: "likes", read: func(d *decoder, p *Post) (err error) { p.Likes, err = d.optCount(); return err }},
	{name: "views", read: func(d *decoder, p *Post) (err error) { p.Views, err = d.optCount(); return err }},
	{name: "comments_count", read: func(d *decoder, p *Post) (err error) { p.CommentsCount, err = d.optCount(); return err }},
	{name: "caption", read: func(d *decoder, p *Post) (err error) { p.Caption, err = d.optText(); return err }},
	{name: "sponsored", read: func(d *decoder, p *Post) (err error) { p.Sponsored, err = d.optBool(); return err }},
	{name: "comments", read: func(d *decoder, p *Post) (err error) { p.Comments, err = d.comments(d.at.i); return err }},
})

// readPostID reads the id of posts[d.at.i], which no other post may share.
func readPostID(d *decoder, p *Post) (err error) {
	if p.ID, err = d.id(); err != nil {
		return err
	}
	if d.postIDs == nil {
		d.postIDs = make(map[string]int32)
	}
	if k, dup := d.postIDs[p.ID]; dup {
		return d.failf("an id no other post has", fmt.Sprintf("%s, the id of posts[%d]", quoteShort([]byte(p.ID)), k))
	}
	d.postIDs[p.ID] = int32(d.at.i)
	return nil
}

// comments reads the comment list of posts[i] and checks that each
// reply_to names another comment of the list, once the list is complete.
func (d *decoder) comments(i int) ([]Comment, error) {
	d.commentIDs = emptied(d.commentIDs)
	list, err := decodeList(d, "an array of comments", loc{a: "posts", i: i, b: "comments"}, commentObject)
	if err != nil {
		return nil, err
	}
	for j := range list {
		c := &list[j]
		if !c.ReplyTo.OK {
			continue
		}
		if k, ok := d.commentIDs[c.ReplyTo.V]; !ok || int(k) == j {
			d.at = loc{a: "posts", i: i, b: "comments", j: j, f: "reply_to"}
			found := quoteShort([]byte(c.ReplyTo.V))
			if ok {
				found += ", the comment's own id"
			}
			return nil, d.failf("the id of another comment of this post", found)
		}
	}
	return list, nil
}

var commentObject = object(expObject, []fieldOf[Comment]{
	{name: "id", required: expID, read: readCommentID},
	{name: "author_id", required: expID, read: func(d *decoder, c *Comment) (err error) { c.AuthorID, err = d.id(); return err }},
	{name: "author", read: func(d *decoder, c *Comment) (err error) { c.Author, err = d.optText(); return err }},
	{name: "text", required: expText, read: func(d *decoder, c *Comment) (err error) { c.Text, err = d.text(MaxTextLen, textTooLong); return err }},
	{name: "created_at", read: func(d *decoder, c *Comment) (err error) { c.CreatedAt, err = d.optTime(); return err }},
	{name: "reply_to", read: func(d *decoder, c *Comment) error {
		// null leaves reply_to absent; the id it names is checked once the
		// post's comments are all read.
		if d.isNull() {
			return nil
		}
		s, err := d.text(MaxIDLen, idTooLong)
		c.ReplyTo = OptString{V: s, OK: err == nil}
		return err
	}},
	{name: "likes", read: func(d *decoder, c *Comment) (err error) { c.Likes, err = d.optCount(); return err }},
})

// readCommentID reads the id of comment d.at.j of a post, which no other
// comment of the post may share.
func readCommentID(d *decoder, c *Comment) (err error) {
	if c.ID, err = d.id(); err != nil {
		return err
	}
	if d.commentIDs == nil {
		d.commentIDs = make(map[string]int32)
	}
	if k, dup := d.commentIDs[c.ID]; dup {
		return d.failf("an id no other comment of this post has", fmt.Sprintf("%s, the id of comments[%d]", quoteShort([]byte(c.ID)), k))
	}
	d.commentIDs[c.ID] = int32(d.at.j)
	return nil
}
