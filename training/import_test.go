package training_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"bonafide/features"
	"bonafide/training"
)

// imports caches each set's import for the tests of this file (Purba
// takes seconds under the race detector).
var imports = struct {
	sync.Mutex
	ex    map[string][]training.Example
	stats map[string]training.ImportStats
}{ex: map[string][]training.Example{}, stats: map[string]training.ImportStats{}}

func importSet(t *testing.T, root, set string) ([]training.Example, training.ImportStats) {
	t.Helper()
	imports.Lock()
	defer imports.Unlock()
	if ex, ok := imports.ex[set]; ok {
		return ex, imports.stats[set]
	}
	ex, stats, err := training.Import(context.Background(), root, []string{set})
	if err != nil {
		t.Fatal(err)
	}
	imports.ex[set], imports.stats[set] = ex, stats[0]
	return ex, stats[0]
}

// TestImportRowCounts pins the row counts after deduplication against the
// figures in the datasets README and SOURCE.txt files.
func TestImportRowCounts(t *testing.T) {
	root := datasetsDir(t)
	tests := []struct {
		set                    string
		read, dups, fake, real int
	}{
		{"instafake", 1194, 29, 200, 965},
		{"instafake-automated", 1400, 5, 700, 695},
		{"kaggle", 696, 4, 345, 347},
		{"purba", 43307, 1082, 31784, 10441},
		{"cresci-2015", 2818, 0, 1337, 1481},
		{"twitter-2017", 7695, 0, 2650, 5045},
		{"twitter-2017-spambots", 7134, 9, 7125, 0}, // 9 bots differ only in the hour they were made (ages are whole days)
	}
	for _, tt := range tests {
		t.Run(tt.set, func(t *testing.T) {
			ex, st := importSet(t, root, tt.set)
			if st.Read != tt.read || st.Duplicates != tt.dups || st.Fake != tt.fake || st.Real != tt.real {
				t.Errorf("stats = %+v, want read %d, duplicates %d, fake %d, real %d", st, tt.read, tt.dups, tt.fake, tt.real)
			}
			if len(ex) != tt.fake+tt.real {
				t.Errorf("%d examples, want %d", len(ex), tt.fake+tt.real)
			}
			for _, e := range ex {
				if e.Set != tt.set {
					t.Fatalf("example of set %q in import of %q", e.Set, tt.set)
				}
				checkFinite(t, e.Profile)
			}
		})
	}
}

// TestImportOverlap checks that an account held by an earlier set is
// dropped from a later one (E13 humans re-crawled in 2017).
func TestImportOverlap(t *testing.T) {
	root := datasetsDir(t)
	_, stats, err := training.Import(context.Background(), root, []string{"cresci-2015", "twitter-2017"})
	if err != nil {
		t.Fatal(err)
	}
	if got := stats[1].Overlap; got != 1335 {
		t.Errorf("twitter-2017 overlap with cresci-2015 = %d, want 1335 (SOURCE.txt)", got)
	}
	_, alone := importSet(t, root, "twitter-2017")
	if alone.Overlap != 0 || alone.Real != stats[1].Real+1335 {
		t.Errorf("twitter-2017 alone = %+v, after cresci-2015 = %+v", alone, stats[1])
	}
}

// TestImportColumns checks what each set fills and leaves missing.
func TestImportColumns(t *testing.T) {
	root := datasetsDir(t)
	names := features.ProfileNames()
	idx := map[string]int{}
	for i, n := range names {
		idx[n] = i
	}
	tests := []struct {
		set              string
		present, missing []string
	}{
		{"instafake", []string{"log_posts", "private", "username_digit_ratio", "bio_length"}, []string{"external_url", "caption_length", "name_words"}},
		{"kaggle", []string{"log_posts", "username_digit_ratio", "name_words", "external_url"}, []string{"username_length", "caption_length"}},
		{"purba", []string{"log_posts", "caption_length", "post_interval_hours", "external_url"}, []string{"private", "username_digit_ratio"}},
		{"cresci-2015", []string{"log_posts", "age_days", "username_length", "verified"}, []string{"caption_length", "inactive_days"}},
	}
	for _, tt := range tests {
		t.Run(tt.set, func(t *testing.T) {
			ex, _ := importSet(t, root, tt.set)
			v := ex[0].Profile.Vector(nil)
			for _, n := range tt.present {
				if math.IsNaN(v[idx[n]]) {
					t.Errorf("%s missing in %s", n, tt.set)
				}
			}
			for _, n := range tt.missing {
				if !math.IsNaN(v[idx[n]]) {
					t.Errorf("%s = %v in %s, want missing (NaN)", n, v[idx[n]], tt.set)
				}
			}
		})
	}
}

func TestImportUnknownSet(t *testing.T) {
	_, _, err := training.Import(context.Background(), t.TempDir(), []string{"no-such-set"})
	if !errors.Is(err, training.ErrUnknownSet) {
		t.Fatalf("err = %v, want ErrUnknownSet", err)
	}
}

func checkFinite(t testing.TB, p features.Profile) {
	t.Helper()
	for i, x := range p.Vector(nil) {
		if math.IsInf(x, 0) {
			t.Fatalf("%s = %v", features.ProfileNames()[i], x)
		}
	}
}

func TestReadLabelled(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		label   bool
		want    int
		wantErr string
	}{
		{"two lines", `{"id":"1","fake":true,"posts":3}` + "\n\n" + `{"id":"2","fake":false,"platform":"x"}`, true, 2, ""},
		{"unknown field ignored", `{"id":"1","fake":true,"colour":"red"}`, true, 1, ""},
		{"missing label", `{"id":"1"}`, true, 0, "line 1: fake: missing"},
		{"missing label allowed", `{"id":"1"}`, false, 1, ""},
		{"missing id", `{"fake":true}`, true, 0, "line 1: id: missing"},
		{"negative count", `{"id":"1","fake":true,"followers":-1}`, true, 0, "line 1: followers: want a count >= 0"},
		{"bad time", `{"id":"1","fake":true,"created_at":"yesterday"}`, true, 0, "line 1: decode follower"},
		{"wrong type", `{"id":"1","fake":"yes"}`, true, 0, "line 1: decode follower: fake: want bool"},
		{"repeated id", `{"id":"1","fake":true}` + "\n" + `{"id":"1","fake":false}`, true, 0, `line 2: id: "1" already on line 1`},
		{"not an object", `[1,2]`, true, 0, "line 1: not a JSON object"},
		{"trailing text", `{"id":"1","fake":true} {}`, true, 0, "line 1: decode follower: text after the object"},
		{"bad utf-8", "{\"id\":\"\xff\",\"fake\":true}", true, 0, "line 1: not valid UTF-8"},
		{"upper-case platform", `{"id":"1","fake":true,"platform":"X"}`, true, 0, "line 1: platform"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := 0
			err := training.ReadLabelled(context.Background(), strings.NewReader(tt.in), tt.label, func(int, training.Labelled) error {
				n++
				return nil
			})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if n != tt.want {
				t.Errorf("read %d, want %d", n, tt.want)
			}
		})
	}
}

func TestLabelledExampleAges(t *testing.T) {
	in := `{"id":"1","fake":true,"created_at":"2026-11-14","observed_at":"2026-11-24"}` + "\n" + `{"id":"2","fake":false,"created_at":"2026-11-14"}`
	var got []training.Example
	err := training.ReadLabelled(context.Background(), strings.NewReader(in), true, func(_ int, l training.Labelled) error {
		got = append(got, l.Example())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Profile.AgeDays != 10 || !got[0].Fake {
		t.Errorf("first = %+v, want age 10 days, fake", got[0])
	}
	if !math.IsNaN(got[1].Profile.AgeDays) || got[1].Fake {
		t.Errorf("second age = %v fake = %v, want NaN (no observed_at), real", got[1].Profile.AgeDays, got[1].Fake)
	}
}

// FuzzReadLabelled checks that the generic decoder never panics and that
// whatever it accepts measures into finite-or-missing features.
func FuzzReadLabelled(f *testing.F) {
	f.Add([]byte(`{"id":"1","fake":true,"posts":3,"followers":10,"following":2000,"username":"ab12","bio":"","created_at":"2020-01-01","observed_at":"2026-01-01"}`))
	f.Add([]byte(`{"id":"2","fake":false,"name":"A B","last_active_at":"2026-01-01T00:00:00Z"}` + "\n" + `{"id":"3","fake":true}`))
	f.Add([]byte("{\"id\":\"\xff\"}"))
	f.Add([]byte(`{"id":"1","followers":9223372036854775807,"following":0,"fake":true}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = training.ReadLabelled(context.Background(), bytes.NewReader(b), false, func(_ int, l training.Labelled) error {
			if l.ID == "" {
				t.Fatal("accepted a follower without id")
			}
			checkFinite(t, l.Example().Profile)
			return nil
		})
	})
}

// FuzzImportCSV writes fuzzed bytes as a set's CSV file and imports it:
// the importers must return an error or finite-or-missing features, never
// panic.
func FuzzImportCSV(f *testing.F) {
	f.Add(0, []byte("profile pic,nums/length username,fullname words,nums/length fullname,name==username,description length,external URL,private,#posts,#followers,#follows,fake\n1,0.27,0,0,0,53,0,0,32,1000,955,0\n"))
	f.Add(1, []byte("pos,flw,flg,bl,pic,lin,cl,cz,ni,erl,erc,lt,hc,pr,fo,cs,pi,class\n69,541,440,293,1,0,223,0,0.111,10.12,0.5,0.944,0.556,0,0,0.107055,334.596802,r\n1,,-3,1e308,2,0,0,0,0,0,0,0,0,0,0,0,0,s\n"))
	f.Add(2, []byte(`"id","name","screen_name","statuses_count","followers_count","friends_count","created_at","url","default_profile_image","protected","verified","description","updated"`+"\n"+`"1","A","a1","3","4","588","Thu Sep 08 13:20:35 +0000 2011",,"1",,,"hi","2015-02-14 10:54:49"`+"\n"))
	f.Add(3, []byte(",id,user_name,screen_name,statuses_count,followers_count,friends_count,url,default_profile_image,protected,verified,description,created_at\n0,1,Al,px,1272,28,1658,,False,False,True,\"a\nb\",2013-07-22 10:05:39\n"))
	f.Fuzz(func(t *testing.T, which int, b []byte) {
		root := t.TempDir()
		var set, file string
		switch ((which % 4) + 4) % 4 {
		case 0:
			set, file = "kaggle", "kaggle-instagram-fake-spammer-genuine/train.csv"
			write(t, filepath.Join(root, "kaggle-instagram-fake-spammer-genuine/test.csv"), []byte("profile pic,nums/length username,fullname words,nums/length fullname,name==username,description length,external URL,private,#posts,#followers,#follows,fake\n"))
		case 1:
			set, file = "purba", "purba2020-instagram-fake-authentic/user_fake_authentic_4class.csv"
		case 2:
			set, file = "cresci-2015", "cresci-2015/INT_users.csv"
			write(t, filepath.Join(root, "cresci-2015/E13_users.csv"), []byte("id,screen_name,statuses_count,followers_count,friends_count,created_at,updated\n"))
		case 3:
			set, file = "twitter-2017", "twitter-sta160-recrawl-2017/fake_users_chloechen201608_followers.csv"
			write(t, filepath.Join(root, "twitter-sta160-recrawl-2017/cresci2017_recrawl/genuine_account.csv"), []byte("id,screen_name,statuses_count,followers_count,friends_count,created_at\n"))
		}
		write(t, filepath.Join(root, file), b)
		ex, _, err := training.Import(context.Background(), root, []string{set})
		if err != nil {
			return
		}
		for _, e := range ex {
			checkFinite(t, e.Profile)
		}
	})
}

func write(t testing.TB, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
