package training

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"bonafide/features"
)

// table is a CSV file read by header name.
type table struct {
	file   string
	col    map[string]int
	rows   [][]string
	lines  []int // line of each row, for error messages
	Broken int   // rows whose field count differs from the header's, skipped
}

// readTable reads a CSV file with a header row. Rows with the wrong number
// of fields (broken quoting in the source) are skipped and counted.
func readTable(ctx context.Context, path string) (*table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.ReuseRecord = false
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("read %s header: %w", filepath.Base(path), err)
	}
	t := &table{file: filepath.Base(path), col: map[string]int{}}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if _, dup := t.col[h]; !dup {
			t.col[h] = i
		}
	}
	for {
		if len(t.rows)%4096 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			return nil, fmt.Errorf("read %s line %d: %w", t.file, line, err)
		}
		if len(rec) != len(header) {
			t.Broken++
			continue
		}
		t.rows = append(t.rows, rec)
		t.lines = append(t.lines, line)
	}
	return t, nil
}

// need checks that the named columns exist.
func (t *table) need(cols ...string) error {
	var missing []string
	for _, c := range cols {
		if _, ok := t.col[c]; !ok {
			missing = append(missing, strconv.Quote(c))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s: missing column %s", t.file, strings.Join(missing, ", "))
	}
	return nil
}

// str returns a cell, or "" when the column is absent.
func (t *table) str(i int, col string) string {
	c, ok := t.col[col]
	if !ok {
		return ""
	}
	return strings.TrimSpace(t.rows[i][c])
}

// num returns a cell as a number: NaN when empty, absent or "nan"; an
// error naming the file, line and column when it is not a finite number.
func (t *table) num(i int, col string) (float64, error) {
	s := t.str(i, col)
	if s == "" || strings.EqualFold(s, "nan") {
		return math.NaN(), nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, fmt.Errorf("%s line %d: column %q: %q is not a number", t.file, t.lines[i], col, s)
	}
	return v, nil
}

// nums reads several numeric columns of row i into the pointers.
func (t *table) nums(i int, cols []string, dst ...*float64) error {
	for k, c := range cols {
		v, err := t.num(i, c)
		if err != nil {
			return err
		}
		*dst[k] = v
	}
	return nil
}

// logCount is log1p of a count; NaN for unknown or negative counts.
func logCount(x float64) float64 {
	if math.IsNaN(x) || x < 0 {
		return math.NaN()
	}
	return math.Log1p(x)
}

// flag01 maps a 0/1 column to 0/1; any other value is unknown.
func flag01(x float64) float64 {
	switch x {
	case 0, 1:
		return x
	}
	return math.NaN()
}

// nonNeg keeps a non-negative measurement and turns anything else into NaN.
func nonNeg(x float64) float64 {
	if x < 0 {
		return math.NaN()
	}
	return x
}

// setCounts fills the count features and their ratio.
func setCounts(p *features.Profile, posts, followers, following float64) {
	p.LogPosts = logCount(posts)
	p.LogFollowers = logCount(followers)
	p.LogFollowing = logCount(following)
	p.FollowRatio = p.LogFollowing - p.LogFollowers
}

// setUsernameCounts fills the username features from a length and a digit count.
func setUsernameCounts(p *features.Profile, length, digits float64) {
	p.UsernameLength = nonNeg(length)
	p.UsernameDigits = nonNeg(digits)
	if math.IsNaN(p.UsernameLength) || math.IsNaN(p.UsernameDigits) || p.UsernameDigits > p.UsernameLength {
		p.UsernameDigitRatio = math.NaN()
		return
	}
	p.UsernameDigitRatio = features.Ratio(p.UsernameDigits, p.UsernameLength)
}

// instaFakeRow is one account of the InstaFake fake-v1.0 task. Pointers
// tell an absent field from a zero.
type instaFakeRow struct {
	Followers  *float64 `json:"userFollowerCount"`
	Following  *float64 `json:"userFollowingCount"`
	BioLength  *float64 `json:"userBiographyLength"`
	Media      *float64 `json:"userMediaCount"`
	HasPic     *float64 `json:"userHasProfilPic"`
	Private    *float64 `json:"userIsPrivate"`
	Digits     *float64 `json:"usernameDigitCount"`
	NameLength *float64 `json:"usernameLength"`
	IsFake     *float64 `json:"isFake"`
}

func val(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

func readInstaFake(ctx context.Context, dir string) ([]Example, error) {
	var out []Example
	for _, file := range []struct {
		name string
		fake bool
	}{{"fakeAccountData.json", true}, {"realAccountData.json", false}} {
		data, err := os.ReadFile(filepath.Join(dir, file.name))
		if err != nil {
			return nil, err
		}
		var rows []instaFakeRow
		if err := json.Unmarshal(data, &rows); err != nil {
			return nil, fmt.Errorf("decode %s: %w", file.name, err)
		}
		for i, r := range rows {
			fake := file.fake
			if r.IsFake != nil {
				if *r.IsFake != 0 && *r.IsFake != 1 {
					return nil, fmt.Errorf("decode %s: row %d: isFake = %v, want 0 or 1", file.name, i, *r.IsFake)
				}
				fake = *r.IsFake == 1
			}
			p := features.Unknown()
			setCounts(&p, val(r.Media), val(r.Followers), val(r.Following))
			p.HasAvatar = flag01(val(r.HasPic))
			p.Private = flag01(val(r.Private))
			p.BioLength = nonNeg(val(r.BioLength))
			setUsernameCounts(&p, val(r.NameLength), val(r.Digits))
			out = append(out, Example{Profile: p, Fake: fake})
		}
	}
	return out, nil
}

func readInstaFakeAutomated(ctx context.Context, path string) ([]Example, error) {
	t, err := readTable(ctx, path)
	if err != nil {
		return nil, err
	}
	cols := []string{"userMediaCount", "userFollowerCount", "userFollowingCount", "userHasExternalUrl",
		"userBiographyLength", "usernameLength", "usernameDigitCount", "avg_mediaLikeNumbers",
		"avg_mediaCommentNumbers", "avg_mediaHashtagNumbers", "avg_mediaHasLocationInfo", "label"}
	if err := t.need(cols...); err != nil {
		return nil, err
	}
	out := make([]Example, 0, len(t.rows))
	for i := range t.rows {
		var media, flw, flg, url, bio, ulen, udig, likes, comments, tags, loc, label float64
		if err := t.nums(i, cols, &media, &flw, &flg, &url, &bio, &ulen, &udig, &likes, &comments, &tags, &loc, &label); err != nil {
			return nil, err
		}
		if label != 0 && label != 1 {
			return nil, fmt.Errorf("%s line %d: label %v, want 0 or 1", t.file, t.lines[i], label)
		}
		p := features.Unknown()
		setCounts(&p, media, flw, flg)
		p.ExternalURL = flag01(url)
		p.BioLength = nonNeg(bio)
		setUsernameCounts(&p, ulen, udig)
		// Engagement rates in percent of followers, as Purba defines them.
		if flw > 0 {
			p.EngagementLikes = nonNeg(likes) / flw * 100
			p.EngagementComments = nonNeg(comments) / flw * 100
		}
		p.Hashtags = nonNeg(tags)
		p.LocationShare = nonNeg(loc)
		out = append(out, Example{Profile: p, Fake: label == 1})
	}
	return out, nil
}

func readKaggle(ctx context.Context, dir string) ([]Example, error) {
	cols := []string{"profile pic", "nums/length username", "fullname words", "nums/length fullname",
		"name==username", "description length", "external URL", "private", "#posts", "#followers", "#follows", "fake"}
	var out []Example
	for _, name := range []string{"train.csv", "test.csv"} {
		t, err := readTable(ctx, filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		if err := t.need(cols...); err != nil {
			return nil, err
		}
		for i := range t.rows {
			var pic, uratio, words, nratio, same, bio, url, priv, posts, flw, flg, fake float64
			if err := t.nums(i, cols, &pic, &uratio, &words, &nratio, &same, &bio, &url, &priv, &posts, &flw, &flg, &fake); err != nil {
				return nil, err
			}
			if fake != 0 && fake != 1 {
				return nil, fmt.Errorf("%s line %d: fake %v, want 0 or 1", t.file, t.lines[i], fake)
			}
			p := features.Unknown()
			setCounts(&p, posts, flw, flg)
			p.HasAvatar = flag01(pic)
			p.UsernameDigitRatio = unit(uratio)
			p.NameWords = nonNeg(words)
			p.NameDigitRatio = unit(nratio)
			p.NameIsUsername = flag01(same)
			p.BioLength = nonNeg(bio)
			p.ExternalURL = flag01(url)
			p.Private = flag01(priv)
			out = append(out, Example{Profile: p, Fake: fake == 1})
		}
	}
	return out, nil
}

// unit keeps a share in [0, 1] and turns anything else into NaN.
func unit(x float64) float64 {
	if x < 0 || x > 1 {
		return math.NaN()
	}
	return x
}

func readPurba(ctx context.Context, path string) ([]Example, error) {
	t, err := readTable(ctx, path)
	if err != nil {
		return nil, err
	}
	cols := []string{"pos", "flw", "flg", "bl", "pic", "lin", "cl", "cz", "ni", "erl", "erc", "lt", "hc", "pr", "fo", "cs", "pi"}
	if err := t.need(append(cols, "class")...); err != nil {
		return nil, err
	}
	out := make([]Example, 0, len(t.rows))
	for i := range t.rows {
		var fake bool
		switch c := t.str(i, "class"); c {
		case "r":
		case "a", "i", "s":
			fake = true
		default:
			return nil, fmt.Errorf("%s line %d: class %q, want r, a, i or s", t.file, t.lines[i], c)
		}
		var pos, flw, flg, bl, pic, lin, cl, cz, ni, erl, erc, lt, hc, pr, fo, cs, pi float64
		if err := t.nums(i, cols, &pos, &flw, &flg, &bl, &pic, &lin, &cl, &cz, &ni, &erl, &erc, &lt, &hc, &pr, &fo, &cs, &pi); err != nil {
			return nil, err
		}
		p := features.Unknown()
		setCounts(&p, pos, flw, flg)
		p.BioLength = nonNeg(bl)
		p.HasAvatar = flag01(pic)
		p.ExternalURL = flag01(lin)
		p.CaptionLength = nonNeg(cl)
		p.CaptionEmpty = nonNeg(cz)
		p.NonImage = nonNeg(ni)
		p.EngagementLikes = nonNeg(erl)
		p.EngagementComments = nonNeg(erc)
		p.LocationShare = nonNeg(lt)
		p.Hashtags = nonNeg(hc)
		p.PromoWords = nonNeg(pr)
		p.FollowHuntWords = nonNeg(fo)
		p.CaptionSimilarity = cs
		p.PostIntervalHours = nonNeg(pi)
		out = append(out, Example{Profile: p, Fake: fake})
	}
	return out, nil
}

// twitterBool reads the boolean cells of the Twitter exports: "1", "True"
// or "true" are true; "0", "False", "false" and empty are false (the
// Cresci export writes false as empty).
func twitterBool(s string) (float64, bool) {
	switch strings.ToLower(s) {
	case "1", "true":
		return 1, true
	case "", "0", "false":
		return 0, true
	}
	return math.NaN(), false
}

// twitterTime parses Twitter's created_at in its v1.1 form
// ("Fri Apr 06 10:58:22 +0000 2007") or as pandas writes it.
func twitterTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RubyDate, time.DateTime, time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// twitterRow measures one Twitter v1.1 user object row. The columns that
// give the label away (lang, time_zone, location, utc_offset) are never
// read. observed is when the profile was crawled; zero leaves ages unknown.
func twitterRow(t *table, i int, observed time.Time, fake bool) (Example, error) {
	var posts, flw, flg float64
	if err := t.nums(i, []string{"statuses_count", "followers_count", "friends_count"}, &posts, &flw, &flg); err != nil {
		return Example{}, err
	}
	p := features.Unknown()
	setCounts(&p, posts, flw, flg)
	if v, ok := twitterBool(t.str(i, "default_profile_image")); ok {
		p.HasAvatar = 1 - v
	}
	if v, ok := twitterBool(t.str(i, "protected")); ok {
		p.Private = v
	}
	if v, ok := twitterBool(t.str(i, "verified")); ok {
		p.Verified = v
	}
	p.ExternalURL = features.Bool(t.str(i, "url") != "")
	p.BioLength = float64(utf8.RuneCountInString(t.str(i, "description")))
	user := t.str(i, "screen_name")
	p.SetUsername(user)
	name := t.str(i, "name")
	if _, ok := t.col["name"]; !ok {
		name = t.str(i, "user_name")
	}
	p.SetName(name)
	p.NameIsUsername = features.Bool(strings.EqualFold(name, user))
	if created, ok := twitterTime(t.str(i, "created_at")); ok && !observed.IsZero() {
		p.AgeDays = features.DaysBetween(created, observed)
	}
	return Example{ID: t.str(i, "id"), Profile: p, Fake: fake}, nil
}

var twitterCols = []string{"id", "screen_name", "statuses_count", "followers_count", "friends_count", "created_at"}

func readCresci2015(ctx context.Context, dir string) ([]Example, error) {
	var out []Example
	for _, file := range []struct {
		name string
		fake bool
	}{{"INT_users.csv", true}, {"E13_users.csv", false}} {
		t, err := readTable(ctx, filepath.Join(dir, file.name))
		if err != nil {
			return nil, err
		}
		if err := t.need(append(twitterCols, "updated")...); err != nil {
			return nil, err
		}
		for i := range t.rows {
			observed, _ := time.Parse(time.DateTime, t.str(i, "updated"))
			e, err := twitterRow(t, i, observed, file.fake)
			if err != nil {
				return nil, err
			}
			out = append(out, e)
		}
	}
	return out, nil
}

// recrawled2017 is when the STA160 project re-crawled its profiles (April
// to May 2017; the files carry no crawl time), used to measure account age.
var recrawled2017 = time.Date(2017, 5, 1, 0, 0, 0, 0, time.UTC)

func readTwitter2017(ctx context.Context, dir string) ([]Example, error) {
	return readTwitterFiles(ctx, dir, []twitterFile{
		{"fake_users_chloechen201608_followers.csv", true},
		{"cresci2017_recrawl/genuine_account.csv", false},
	})
}

func readTwitter2017Spambots(ctx context.Context, dir string) ([]Example, error) {
	return readTwitterFiles(ctx, dir, []twitterFile{
		{"social_spambots_1.csv", true}, {"social_spambots_2.csv", true}, {"social_spambots_3.csv", true},
		{"traditional_spambots_1.csv", true}, {"traditional_spambots_3.csv", true}, {"traditional_spambots_4.csv", true},
	})
}

type twitterFile struct {
	name string
	fake bool
}

func readTwitterFiles(ctx context.Context, dir string, files []twitterFile) ([]Example, error) {
	var out []Example
	for _, file := range files {
		t, err := readTable(ctx, filepath.Join(dir, file.name))
		if err != nil {
			return nil, err
		}
		if err := t.need(twitterCols...); err != nil {
			return nil, err
		}
		for i := range t.rows {
			e, err := twitterRow(t, i, recrawled2017, file.fake)
			if err != nil {
				return nil, err
			}
			out = append(out, e)
		}
	}
	return out, nil
}
