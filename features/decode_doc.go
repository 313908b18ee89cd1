package features

import (
	"fmt"
	"hash/maphash"
	"strconv"
	"time"
)

// document reads one document: the top-level object and everything in it.
func (d *decoder) document() (*History, error) {
	d.depth, d.creatorID, d.hasObs = 0, "", false
	d.at = loc{i: -1, j: -1}
	if err := d.beginObject("a JSON object"); err != nil {
		return nil, err
	}
	h := new(History)
	var seen uint32
	var creatorCreated OptTime
	hasCreator := false
	for first := true; ; first = false {
		d.at = loc{i: -1, j: -1}
		key, more, err := d.nextKey(first)
		if err != nil {
			return nil, err
		}
		if !more {
			break
		}
		switch string(key) {
		case "format":
			d.at.a = "format"
			if err := d.duplicate(&seen, 1<<0); err != nil {
				return nil, err
			}
			if d.isNull() {
				break
			}
			c, ok := d.peek()
			if !ok || c != '"' {
				return nil, d.fail(strconv.Quote(Format))
			}
			b, err := d.str(MaxTextLen, strconv.Quote(Format))
			if err != nil {
				return nil, err
			}
			if string(b) != Format {
				return nil, d.failf(strconv.Quote(Format), quoteShort(b))
			}
			h.Format = Format
		case "platform":
			d.at.a = "platform"
			if err := d.duplicate(&seen, 1<<1); err != nil {
				return nil, err
			}
			c, ok := d.peek()
			if !ok || c != '"' {
				return nil, d.fail(expPlatform)
			}
			b, err := d.str(MaxTextLen, expPlatform)
			if err != nil {
				return nil, err
			}
			if !isPlatform(b) {
				return nil, d.failf(expPlatform, quoteShort(b))
			}
			h.Platform = string(b)
		case "observed_at":
			d.at.a = "observed_at"
			if err := d.duplicate(&seen, 1<<2); err != nil {
				return nil, err
			}
			t, err := d.time()
			if err != nil {
				return nil, err
			}
			h.ObservedAt, d.observedAt, d.hasObs = t, t, true
			if creatorCreated.OK && t.Before(creatorCreated.V) {
				return nil, d.failf("a time not before creator.created_at ("+fmtTime(creatorCreated.V)+")", fmtTime(t))
			}
		case "creator":
			d.at.a = "creator"
			if err := d.duplicate(&seen, 1<<3); err != nil {
				return nil, err
			}
			if err := d.creator(&h.Creator); err != nil {
				return nil, err
			}
			hasCreator = true
			creatorCreated = h.Creator.CreatedAt
		case "follower_series":
			d.at.a = "follower_series"
			if err := d.duplicate(&seen, 1<<4); err != nil {
				return nil, err
			}
			s, err := d.series()
			if err != nil {
				return nil, err
			}
			h.Series = s
		case "followers":
			d.at.a = "followers"
			if err := d.duplicate(&seen, 1<<5); err != nil {
				return nil, err
			}
			hint := 0
			if hasCreator {
				hint = clampHint(h.Creator.Followers)
			}
			if h.Sample.Population.OK {
				hint = min(hint, clampHint(h.Sample.Population.V))
			}
			f, err := d.followers(hint)
			if err != nil {
				return nil, err
			}
			h.Followers = f
		case "follower_sample":
			d.at.a = "follower_sample"
			if err := d.duplicate(&seen, 1<<6); err != nil {
				return nil, err
			}
			if err := d.sample(&h.Sample); err != nil {
				return nil, err
			}
		case "posts":
			d.at.a = "posts"
			if err := d.duplicate(&seen, 1<<7); err != nil {
				return nil, err
			}
			p, err := d.posts()
			if err != nil {
				return nil, err
			}
			h.Posts = p
		default:
			if err := d.unknownField(); err != nil {
				return nil, err
			}
		}
	}
	d.at = loc{i: -1, j: -1}
	switch {
	case seen&(1<<1) == 0:
		return nil, d.missing("platform", expPlatform)
	case seen&(1<<2) == 0:
		return nil, d.missing("observed_at", expTime)
	case seen&(1<<3) == 0:
		return nil, d.missing("creator", expObject)
	}
	return h, nil
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

func (d *decoder) creator(c *Creator) error {
	var seen uint32
	for key, err := range d.fields() {
		if err != nil {
			return err
		}
		switch string(key) {
		case "id":
			if err = d.field(&seen, 1<<0, "id"); err == nil {
				c.ID, err = d.id()
				d.creatorID = c.ID
			}
		case "handle":
			if err = d.field(&seen, 1<<1, "handle"); err == nil {
				c.Handle, err = d.plainText()
			}
		case "name":
			if err = d.field(&seen, 1<<2, "name"); err == nil {
				c.Name, err = d.plainText()
			}
		case "followers":
			if err = d.field(&seen, 1<<3, "followers"); err == nil {
				c.Followers, err = d.count()
			}
		case "following":
			if err = d.field(&seen, 1<<4, "following"); err == nil {
				c.Following, err = d.optCount()
			}
		case "posts":
			if err = d.field(&seen, 1<<5, "posts"); err == nil {
				c.Posts, err = d.optCount()
			}
		case "created_at":
			if err = d.field(&seen, 1<<6, "created_at"); err == nil {
				c.CreatedAt, err = d.optTime()
				if err == nil && c.CreatedAt.OK && d.hasObs && d.observedAt.Before(c.CreatedAt.V) {
					err = d.failf("a time not after observed_at ("+fmtTime(d.observedAt)+")", fmtTime(c.CreatedAt.V))
				}
			}
		case "verified":
			if err = d.field(&seen, 1<<7, "verified"); err == nil {
				c.Verified, err = d.optBool()
			}
		case "category":
			if err = d.field(&seen, 1<<8, "category"); err == nil {
				c.Category, err = d.plainText()
			}
		default:
			err = d.unknownField()
		}
		if err != nil {
			return err
		}
	}
	switch {
	case seen&(1<<0) == 0:
		return d.missing("id", expID)
	case seen&(1<<3) == 0:
		return d.missing("followers", expCount)
	}
	return nil
}

func (d *decoder) series() ([]SeriesPoint, error) {
	present, err := d.beginArray("an array of snapshots")
	if err != nil || !present {
		return nil, err
	}
	var list []SeriesPoint
	var times map[[2]int64]int32
	for i := 0; ; i++ {
		d.at = loc{a: "follower_series", i: i, j: -1}
		more, err := d.nextElem(i == 0)
		if err != nil {
			return nil, err
		}
		if !more {
			break
		}
		var p SeriesPoint
		var seen uint32
		for key, err := range d.fields() {
			if err != nil {
				return nil, err
			}
			switch string(key) {
			case "at":
				if err = d.field(&seen, 1<<0, "at"); err == nil {
					p.At, err = d.time()
				}
				if err == nil {
					if times == nil {
						times = make(map[[2]int64]int32)
					}
					tk := [2]int64{p.At.Unix(), int64(p.At.Nanosecond())}
					if k, dup := times[tk]; dup {
						err = d.failf("a time no other snapshot has", fmt.Sprintf("%s, the time of follower_series[%d]", fmtTime(p.At), k))
					}
					times[tk] = int32(i)
				}
			case "followers":
				if err = d.field(&seen, 1<<1, "followers"); err == nil {
					p.Followers, err = d.count()
				}
			case "following":
				if err = d.field(&seen, 1<<2, "following"); err == nil {
					p.Following, err = d.optCount()
				}
			default:
				err = d.unknownField()
			}
			if err != nil {
				return nil, err
			}
		}
		switch {
		case seen&(1<<0) == 0:
			return nil, d.missing("at", expTime)
		case seen&(1<<1) == 0:
			return nil, d.missing("followers", expCount)
		}
		list = append(list, p)
	}
	return list, nil
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
	if d.followerIDs == nil || len(d.followerIDs) > 1<<16 {
		d.followerIDs = make(map[uint64]struct{})
		d.seed = maphash.MakeSeed()
	} else {
		clear(d.followerIDs)
	}
	list := followerList{hint: hint}
	for i := 0; ; i++ {
		d.at = loc{a: "followers", i: i, j: -1}
		more, err := d.nextElem(i == 0)
		if err != nil {
			return nil, err
		}
		if !more {
			break
		}
		if err := d.follower(list.next(), &list, i); err != nil {
			return nil, err
		}
	}
	return list.slice(), nil
}

func (d *decoder) follower(f *Follower, list *followerList, i int) error {
	var seen uint32
	for key, err := range d.fields() {
		if err != nil {
			return err
		}
		switch string(key) {
		case "id":
			if err = d.field(&seen, 1<<0, "id"); err == nil {
				f.ID, err = d.id()
			}
			if err == nil {
				// The set holds hashes: a hash seen before is checked
				// against the ids themselves, so that a collision of
				// two different ids is no error.
				n := len(d.followerIDs)
				d.followerIDs[maphash.String(d.seed, f.ID)] = struct{}{}
				if len(d.followerIDs) == n {
					if k := list.find(f.ID, i); k >= 0 {
						err = d.failf("an id no other follower has", fmt.Sprintf("%s, the id of followers[%d]", quoteShort([]byte(f.ID)), k))
					}
				}
			}
		case "username":
			if err = d.field(&seen, 1<<1, "username"); err == nil {
				f.Username, err = d.optText()
			}
		case "name":
			if err = d.field(&seen, 1<<2, "name"); err == nil {
				f.Name, err = d.optText()
			}
		case "bio":
			if err = d.field(&seen, 1<<3, "bio"); err == nil {
				f.Bio, err = d.optText()
			}
		case "has_avatar":
			if err = d.field(&seen, 1<<4, "has_avatar"); err == nil {
				f.HasAvatar, err = d.optBool()
			}
		case "external_url":
			if err = d.field(&seen, 1<<5, "external_url"); err == nil {
				f.ExternalURL, err = d.optBool()
			}
		case "private":
			if err = d.field(&seen, 1<<6, "private"); err == nil {
				f.Private, err = d.optBool()
			}
		case "verified":
			if err = d.field(&seen, 1<<7, "verified"); err == nil {
				f.Verified, err = d.optBool()
			}
		case "followers":
			if err = d.field(&seen, 1<<8, "followers"); err == nil {
				f.Followers, err = d.optCount()
			}
		case "following":
			if err = d.field(&seen, 1<<9, "following"); err == nil {
				f.Following, err = d.optCount()
			}
		case "posts":
			if err = d.field(&seen, 1<<10, "posts"); err == nil {
				f.Posts, err = d.optCount()
			}
		case "created_at":
			if err = d.field(&seen, 1<<11, "created_at"); err == nil {
				f.CreatedAt, err = d.optTime()
			}
		case "followed_at":
			if err = d.field(&seen, 1<<12, "followed_at"); err == nil {
				f.FollowedAt, err = d.optTime()
			}
		case "last_active_at":
			if err = d.field(&seen, 1<<13, "last_active_at"); err == nil {
				f.LastActiveAt, err = d.optTime()
			}
		default:
			err = d.unknownField()
		}
		if err != nil {
			return err
		}
	}
	if seen&(1<<0) == 0 {
		return d.missing("id", expID)
	}
	return nil
}

const expMethod = `"all", "random" or "recent"`

func (d *decoder) sample(s *Sample) error {
	if d.isNull() {
		return nil
	}
	var seen uint32
	for key, err := range d.fields() {
		if err != nil {
			return err
		}
		switch string(key) {
		case "method":
			d.at.f = "method"
			if err = d.duplicate(&seen, 1<<0); err != nil {
				break
			}
			if d.isNull() {
				break
			}
			c, ok := d.peek()
			if !ok || c != '"' {
				err = d.fail(expMethod)
				break
			}
			var b []byte
			if b, err = d.str(MaxTextLen, expMethod); err != nil {
				break
			}
			switch string(b) {
			case SampleAll:
				s.Method = SampleAll
			case SampleRandom:
				s.Method = SampleRandom
			case SampleRecent:
				s.Method = SampleRecent
			default:
				err = d.failf(expMethod, quoteShort(b))
			}
		case "population":
			if err = d.field(&seen, 1<<1, "population"); err == nil {
				s.Population, err = d.optCount()
			}
		default:
			err = d.unknownField()
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (d *decoder) posts() ([]Post, error) {
	present, err := d.beginArray("an array of posts")
	if err != nil || !present {
		return nil, err
	}
	if d.postIDs == nil || len(d.postIDs) > 1<<16 {
		d.postIDs = make(map[string]struct{})
	} else {
		clear(d.postIDs)
	}
	var list []Post
	for i := 0; ; i++ {
		d.at = loc{a: "posts", i: i, j: -1}
		more, err := d.nextElem(i == 0)
		if err != nil {
			return nil, err
		}
		if !more {
			break
		}
		list = append(list, Post{})
		if err := d.post(&list[i], i, list[:i]); err != nil {
			return nil, err
		}
	}
	return list, nil
}

func (d *decoder) post(p *Post, i int, before []Post) error {
	if err := d.beginObject(expObject); err != nil {
		return err
	}
	var seen uint32
	for first := true; ; first = false {
		d.at = loc{a: "posts", i: i, j: -1}
		key, more, err := d.nextKey(first)
		if err != nil {
			return err
		}
		if !more {
			break
		}
		switch string(key) {
		case "id":
			if err = d.field(&seen, 1<<0, "id"); err == nil {
				p.ID, err = d.id()
			}
			if err == nil {
				n := len(d.postIDs)
				d.postIDs[p.ID] = struct{}{}
				if len(d.postIDs) == n {
					k := 0
					for k < len(before) && before[k].ID != p.ID {
						k++
					}
					err = d.failf("an id no other post has", fmt.Sprintf("%s, the id of posts[%d]", quoteShort([]byte(p.ID)), k))
				}
			}
		case "created_at":
			if err = d.field(&seen, 1<<1, "created_at"); err == nil {
				p.CreatedAt, err = d.time()
			}
		case "likes":
			if err = d.field(&seen, 1<<2, "likes"); err == nil {
				p.Likes, err = d.optCount()
			}
		case "views":
			if err = d.field(&seen, 1<<3, "views"); err == nil {
				p.Views, err = d.optCount()
			}
		case "comments_count":
			if err = d.field(&seen, 1<<4, "comments_count"); err == nil {
				p.CommentsCount, err = d.optCount()
			}
		case "caption":
			if err = d.field(&seen, 1<<5, "caption"); err == nil {
				p.Caption, err = d.optText()
			}
		case "sponsored":
			if err = d.field(&seen, 1<<6, "sponsored"); err == nil {
				p.Sponsored, err = d.optBool()
			}
		case "comments":
			if err = d.field(&seen, 1<<7, "comments"); err == nil {
				p.Comments, err = d.comments(i)
			}
		default:
			err = d.unknownField()
		}
		if err != nil {
			return err
		}
	}
	d.at = loc{a: "posts", i: i, j: -1}
	switch {
	case seen&(1<<0) == 0:
		return d.missing("id", expID)
	case seen&(1<<1) == 0:
		return d.missing("created_at", expTime)
	}
	return nil
}

// comments reads the comment list of posts[i] and checks that each
// reply_to names another comment of the list, once the list is complete.
func (d *decoder) comments(i int) ([]Comment, error) {
	present, err := d.beginArray("an array of comments")
	if err != nil || !present {
		return nil, err
	}
	if d.commentIDs == nil || len(d.commentIDs) > 1<<16 {
		d.commentIDs = make(map[string]int32)
	} else {
		clear(d.commentIDs)
	}
	var list []Comment
	for j := 0; ; j++ {
		d.at = loc{a: "posts", i: i, b: "comments", j: j}
		more, err := d.nextElem(j == 0)
		if err != nil {
			return nil, err
		}
		if !more {
			break
		}
		list = append(list, Comment{})
		if err := d.comment(&list[j], j); err != nil {
			return nil, err
		}
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

func (d *decoder) comment(c *Comment, j int) error {
	var seen uint32
	for key, err := range d.fields() {
		if err != nil {
			return err
		}
		switch string(key) {
		case "id":
			if err = d.field(&seen, 1<<0, "id"); err == nil {
				c.ID, err = d.id()
			}
			if err == nil {
				if k, dup := d.commentIDs[c.ID]; dup {
					err = d.failf("an id no other comment of this post has", fmt.Sprintf("%s, the id of comments[%d]", quoteShort([]byte(c.ID)), k))
				} else {
					d.commentIDs[c.ID] = int32(j)
				}
			}
		case "author_id":
			if err = d.field(&seen, 1<<1, "author_id"); err == nil {
				c.AuthorID, err = d.id()
			}
		case "author":
			if err = d.field(&seen, 1<<2, "author"); err == nil {
				c.Author, err = d.optText()
			}
		case "text":
			if err = d.field(&seen, 1<<3, "text"); err == nil {
				c.Text, err = d.text(MaxTextLen, textTooLong)
			}
		case "created_at":
			if err = d.field(&seen, 1<<4, "created_at"); err == nil {
				c.CreatedAt, err = d.optTime()
			}
		case "reply_to":
			if err = d.field(&seen, 1<<5, "reply_to"); err == nil {
				if d.isNull() {
					break
				}
				var s string
				s, err = d.text(MaxIDLen, idTooLong)
				c.ReplyTo = OptString{V: s, OK: err == nil}
			}
		case "likes":
			if err = d.field(&seen, 1<<6, "likes"); err == nil {
				c.Likes, err = d.optCount()
			}
		default:
			err = d.unknownField()
		}
		if err != nil {
			return err
		}
	}
	switch {
	case seen&(1<<0) == 0:
		return d.missing("id", expID)
	case seen&(1<<1) == 0:
		return d.missing("author_id", expID)
	case seen&(1<<3) == 0:
		return d.missing("text", expText)
	}
	return nil
}
