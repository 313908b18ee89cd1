package training

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"bonafide/features"
)

// Example is one labelled account, measured into the follower feature
// vector. Importers fill Profile directly from a set's columns and leave
// NaN where the set has no such column.
type Example struct {
	Set      string // the name of the set it came from (the group for leave-one-dataset-out)
	Platform string // "instagram", "x", ...
	ID       string // the account id where the set has one, "" otherwise
	Profile  features.Profile
	Fake     bool
}

// A Source is one labelled public dataset the importers know. Its files
// are not part of the project: Path is relative to a datasets folder that
// the user obtains separately (see SOURCE.txt in each folder).
type Source struct {
	Name     string // the name used on the command line and in model cards
	Platform string
	Path     string // folder or file under the datasets root
	Licence  string
	Citation string
	Note     string // how it was labelled and what it maps to

	read func(ctx context.Context, path string) ([]Example, error)
}

// Sources lists the known labelled sets in a fixed order. Leaking columns
// named in the datasets README (Cresci's lang, time_zone, location,
// utc_offset) are never read.
func Sources() []Source {
	return []Source{
		{
			Name: "instafake", Platform: "instagram", Path: "instafake",
			Licence:  "CC BY-NC 4.0 (non-commercial)",
			Citation: "Akyon & Kalfaoglu 2019, Instagram Fake and Automated Account Detection, arXiv:1910.03090",
			Note:     "fake-v1.0 task: 200 fake, 994 real profiles (8 numbers each), labelled by the authors",
			read:     readInstaFake,
		},
		{
			Name: "instafake-automated", Platform: "instagram", Path: "instafake/automated_combined_with_averages_DERIVED.csv",
			Licence:  "CC BY-NC 4.0 (non-commercial)",
			Citation: "Akyon & Kalfaoglu 2019, arXiv:1910.03090 (per-media lists aggregated to means by a third party)",
			Note:     "automated-v1.0 task: 700 accounts using like/follow automation (counted as fake) and 700 not",
			read:     readInstaFakeAutomated,
		},
		{
			Name: "kaggle", Platform: "instagram", Path: "kaggle-instagram-fake-spammer-genuine",
			Licence:  "unknown (treat as research use only)",
			Citation: "Kaggle, Instagram fake spammer genuine accounts (free4ever1, 2019)",
			Note:     "train.csv and test.csv merged: 348 fake/spammer, 348 genuine; labelling method undocumented",
			read:     readKaggle,
		},
		{
			Name: "purba", Platform: "instagram", Path: "purba2020-instagram-fake-authentic/user_fake_authentic_4class.csv",
			Licence:  "none stated (research use, cite the paper)",
			Citation: "Purba, Asirvatham & Murugesan 2020, Classification of Instagram fake users using supervised machine learning algorithms, IJECE 10(3)",
			Note:     "4 classes: real; active fake, inactive fake and spammer all counted as fake (bought accounts)",
			read:     readPurba,
		},
		{
			Name: "cresci-2015", Platform: "x", Path: "cresci-2015",
			Licence:  "research use with citation (no open licence)",
			Citation: "Cresci et al. 2015, Fame for sale: efficient detection of fake Twitter followers, Decision Support Systems 80",
			Note:     "INT: followers bought in 2013 (fake); E13: hand-checked humans (real); lang, time_zone, location, utc_offset dropped",
			read:     readCresci2015,
		},
		{
			Name: "twitter-2017", Platform: "x", Path: "twitter-sta160-recrawl-2017",
			Licence:  "none stated (secondary data, research use only)",
			Citation: "UC Davis STA160 2017 re-crawl; genuine accounts of Cresci et al. 2017, The paradigm-shift of social spambots, WWW'17",
			Note:     "followers of a student account, presumed bought (fake), and the 2017 re-crawl of Cresci-2017 genuine accounts (real)",
			read:     readTwitter2017,
		},
		{
			Name: "twitter-2017-spambots", Platform: "x", Path: "twitter-sta160-recrawl-2017/cresci2017_recrawl",
			Licence:  "none stated (secondary data, research use only)",
			Citation: "Cresci et al. 2017, The paradigm-shift of social spambots, WWW'17 (2017 re-crawl)",
			Note:     "social and traditional spambots (all counted as fake; one class only, so it cannot be evaluated alone)",
			read:     readTwitter2017Spambots,
		},
	}
}

// SourceByName returns the known set with that name.
func SourceByName(name string) (Source, bool) {
	for _, s := range Sources() {
		if s.Name == name {
			return s, true
		}
	}
	return Source{}, false
}

// ErrUnknownSet is returned for a set name that is neither a known source
// nor a file. Errors may be wrapped; test with errors.Is.
var ErrUnknownSet = errors.New("training: unknown data set")

// ImportStats counts what an import read and kept, per set.
type ImportStats struct {
	Set        string
	Read       int // rows read from the files
	Duplicates int // exact duplicates within the set (same features and label), dropped
	Overlap    int // accounts already imported from an earlier set (same platform and id), dropped
	Fake, Real int // rows kept
}

// Import reads the named sets and deduplicates them before anything is
// split: exact duplicate rows within a set (same feature vector and
// label) are dropped, and an account (platform and id) that an earlier set
// already holds is dropped from the later one. A name is a known source
// (see Sources), resolved under root, or the path of a file in the generic
// labelled format (JSON Lines, see ReadLabelled). The result keeps the
// order of names and, within a set, the order of its files.
func Import(ctx context.Context, root string, names []string) ([]Example, []ImportStats, error) {
	var out []Example
	var stats []ImportStats
	seenID := map[string]string{}
	seenSet := map[string]bool{}
	for _, name := range names {
		ex, setName, err := importOne(ctx, root, name)
		if err != nil {
			return nil, nil, err
		}
		if seenSet[setName] {
			return nil, nil, fmt.Errorf("import %s: set named twice", setName)
		}
		seenSet[setName] = true
		st := ImportStats{Set: setName, Read: len(ex)}
		seenRow := map[string]bool{}
		for _, e := range ex {
			e.Set = setName
			if e.ID != "" {
				key := e.Platform + "\x00" + e.ID
				if prev, ok := seenID[key]; ok {
					if prev == setName {
						st.Duplicates++
					} else {
						st.Overlap++
					}
					continue
				}
				seenID[key] = setName
			}
			rk := rowKey(e)
			if seenRow[rk] {
				st.Duplicates++
				continue
			}
			seenRow[rk] = true
			if e.Fake {
				st.Fake++
			} else {
				st.Real++
			}
			out = append(out, e)
		}
		stats = append(stats, st)
	}
	return out, stats, nil
}

func importOne(ctx context.Context, root, name string) ([]Example, string, error) {
	if src, ok := SourceByName(name); ok {
		path := filepath.Join(root, src.Path)
		if _, err := os.Stat(path); err != nil {
			return nil, "", fmt.Errorf("import %s: %w", name, err)
		}
		ex, err := src.read(ctx, path)
		if err != nil {
			return nil, "", fmt.Errorf("import %s: %w", name, err)
		}
		for i := range ex {
			ex[i].Platform = src.Platform
		}
		return ex, src.Name, nil
	}
	if _, err := os.Stat(name); err != nil {
		return nil, "", fmt.Errorf("import %q: %w (known sets: %s)", name, ErrUnknownSet, strings.Join(SourceNames(), ", "))
	}
	ex, err := ReadLabelledFile(ctx, name)
	if err != nil {
		return nil, "", err
	}
	return ex, strings.TrimSuffix(filepath.Base(name), filepath.Ext(name)), nil
}

// SourceNames returns the names of Sources in order.
func SourceNames() []string {
	var names []string
	for _, s := range Sources() {
		names = append(names, s.Name)
	}
	return names
}

// rowKey identifies a row by its label and the exact bits of its features
// (NaN and NaN compare equal here, as they should for deduplication).
func rowKey(e Example) string {
	var vec [32]float64
	v := e.Profile.Vector(vec[:0])
	b := make([]byte, 1, 1+8*len(v))
	if e.Fake {
		b[0] = 1
	}
	for _, x := range v {
		bits := math.Float64bits(x)
		if math.IsNaN(x) {
			bits = 0x7ff8000000000001
		}
		b = binary.LittleEndian.AppendUint64(b, bits)
	}
	return string(b)
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
