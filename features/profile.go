package features

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// ProfileVersion names the definition of the follower feature vector. It
// is part of ProfileSchema: bump it when a feature's meaning changes even
// if its name does not.
const ProfileVersion = "bonafide-profile/v1"

// Profile is the raw measurements of one account that the follower model
// reads. Every field is a float64 and NaN when unknown: a source that does
// not say whether an account is private leaves Private as NaN, never 0.
// Flags are 0 or 1. Counts are log1p-scaled where the field name says Log.
//
// The first group comes from the follower object of the input contract
// (see ProfileOf). The second group (captions, engagement, posting rhythm)
// is aggregated over an account's own posts; the input contract does not
// carry it, so ProfileOf leaves it NaN, but labelled sets that measured it
// (Purba 2020) fill it and the trees learn what to do when it is missing.
type Profile struct {
	LogPosts           float64 // log1p(posts published)
	LogFollowers       float64 // log1p(the account's own followers)
	LogFollowing       float64 // log1p(accounts it follows)
	FollowRatio        float64 // log1p(following) - log1p(followers)
	HasAvatar          float64 // 1 when it shows a picture of its own
	Private            float64 // 1 when the account is private (protected)
	Verified           float64 // 1 when the platform verified it
	ExternalURL        float64 // 1 when the profile links out
	BioLength          float64 // bio length in characters (runes); 0 = empty bio
	UsernameLength     float64 // username length in characters
	UsernameDigits     float64 // decimal digits in the username
	UsernameDigitRatio float64 // UsernameDigits / UsernameLength (0 for an empty name)
	NameWords          float64 // whitespace-separated words in the display name
	NameDigitRatio     float64 // digits / characters of the display name
	NameIsUsername     float64 // 1 when the display name equals the username (case-folded)
	AgeDays            float64 // days from account creation to observed_at
	InactiveDays       float64 // days from the last visible activity to observed_at

	CaptionLength      float64 // mean caption length of its posts, in characters
	CaptionEmpty       float64 // share of posts with an (almost) empty caption, 0..1
	NonImage           float64 // share of posts that are not images, 0..1
	EngagementLikes    float64 // mean likes per post over followers, in percent
	EngagementComments float64 // mean comments per post over followers, in percent
	LocationShare      float64 // share of posts with a location tag, 0..1
	Hashtags           float64 // mean hashtags per post
	PromoWords         float64 // usage of promotional keywords (Purba "pr")
	FollowHuntWords    float64 // usage of follower-hunting keywords such as follow4follow (Purba "fo")
	CaptionSimilarity  float64 // mean cosine similarity between its captions, 0..1
	PostIntervalHours  float64 // mean hours between its posts
}

// profileNames is the order of Vector. Appending a name at the end,
// removing or reordering one changes ProfileSchema, and bundles trained
// on the old order are refused.
var profileNames = [...]string{
	"log_posts",
	"log_followers",
	"log_following",
	"follow_ratio",
	"has_avatar",
	"private",
	"verified",
	"external_url",
	"bio_length",
	"username_length",
	"username_digits",
	"username_digit_ratio",
	"name_words",
	"name_digit_ratio",
	"name_is_username",
	"age_days",
	"inactive_days",
	"caption_length",
	"caption_empty",
	"non_image",
	"engagement_likes",
	"engagement_comments",
	"location_share",
	"hashtags",
	"promo_words",
	"follow_hunt_words",
	"caption_similarity",
	"post_interval_hours",
}

// ProfileNames lists the features in Vector order. Changing it requires
// retraining. The caller owns the returned slice.
func ProfileNames() []string {
	out := make([]string, len(profileNames))
	copy(out, profileNames[:])
	return out
}

// ProfileSchema returns the hex SHA-256 digest of ProfileVersion and the
// feature names in order. A model bundle records it, and loading refuses a
// bundle whose schema differs from the code's.
func ProfileSchema() string {
	h := sha256.New()
	h.Write([]byte(ProfileVersion))
	for _, n := range profileNames {
		h.Write([]byte{'\n'})
		h.Write([]byte(n))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Unknown returns a Profile with every measurement missing (NaN).
func Unknown() Profile {
	n := math.NaN()
	return Profile{n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n,
		n, n, n, n, n, n, n, n, n, n, n}
}

// Vector appends the features to dst in ProfileNames order and returns the
// extended slice. It does not allocate when dst has room.
func (p Profile) Vector(dst []float64) []float64 {
	return append(dst,
		p.LogPosts,
		p.LogFollowers,
		p.LogFollowing,
		p.FollowRatio,
		p.HasAvatar,
		p.Private,
		p.Verified,
		p.ExternalURL,
		p.BioLength,
		p.UsernameLength,
		p.UsernameDigits,
		p.UsernameDigitRatio,
		p.NameWords,
		p.NameDigitRatio,
		p.NameIsUsername,
		p.AgeDays,
		p.InactiveDays,
		p.CaptionLength,
		p.CaptionEmpty,
		p.NonImage,
		p.EngagementLikes,
		p.EngagementComments,
		p.LocationShare,
		p.Hashtags,
		p.PromoWords,
		p.FollowHuntWords,
		p.CaptionSimilarity,
		p.PostIntervalHours,
	)
}

// ProfileOf measures a follower of the input contract. Ages are counted
// from observedAt, never from the clock, in whole days (DaysBetween), so
// that a follower listed by several creators observed on the same day has
// the same vector (and the batch cache scores it once). What the follower object leaves
// out stays NaN; the post aggregates are always NaN here.
func ProfileOf(f Follower, observedAt time.Time) Profile {
	p := Unknown()
	if f.Posts.OK {
		p.LogPosts = Log1p(f.Posts.V)
	}
	if f.Followers.OK {
		p.LogFollowers = Log1p(f.Followers.V)
	}
	if f.Following.OK {
		p.LogFollowing = Log1p(f.Following.V)
	}
	p.FollowRatio = p.LogFollowing - p.LogFollowers // NaN when either is
	p.HasAvatar = Flag(f.HasAvatar)
	p.Private = Flag(f.Private)
	p.Verified = Flag(f.Verified)
	p.ExternalURL = Flag(f.ExternalURL)
	if f.Bio.OK {
		p.BioLength = float64(utf8.RuneCountInString(f.Bio.V))
	}
	if f.Username.OK {
		p.SetUsername(f.Username.V)
	}
	if f.Name.OK {
		p.SetName(f.Name.V)
		if f.Username.OK {
			p.NameIsUsername = Bool(strings.EqualFold(strings.TrimSpace(f.Name.V), f.Username.V))
		}
	}
	if f.CreatedAt.OK {
		p.AgeDays = DaysBetween(f.CreatedAt.V, observedAt)
	}
	if f.LastActiveAt.OK {
		p.InactiveDays = DaysBetween(f.LastActiveAt.V, observedAt)
	}
	return p
}

// SetUsername fills UsernameLength, UsernameDigits and UsernameDigitRatio
// from a user name.
func (p *Profile) SetUsername(u string) {
	n, d := 0, 0
	for _, r := range u {
		n++
		if unicode.IsDigit(r) {
			d++
		}
	}
	p.UsernameLength = float64(n)
	p.UsernameDigits = float64(d)
	p.UsernameDigitRatio = Ratio(float64(d), float64(n))
}

// SetName fills NameWords and NameDigitRatio from a display name.
func (p *Profile) SetName(name string) {
	n, d, words := 0, 0, 0
	inWord := false
	for _, r := range name {
		n++
		if unicode.IsDigit(r) {
			d++
		}
		space := unicode.IsSpace(r)
		if !space && !inWord {
			words++
		}
		inWord = !space
	}
	p.NameWords = float64(words)
	p.NameDigitRatio = Ratio(float64(d), float64(n))
}

// Log1p returns log(1+n) for a count; a negative count (bad data) is
// treated as unknown (NaN).
func Log1p(n int64) float64 {
	if n < 0 {
		return math.NaN()
	}
	return math.Log1p(float64(n))
}

// Flag returns 1 or 0 for a present flag and NaN for an absent one.
func Flag(b OptBool) float64 {
	if !b.OK {
		return math.NaN()
	}
	return Bool(b.V)
}

// Bool returns 1 for true and 0 for false.
func Bool(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// Ratio returns num/den, or 0 when den is 0 (an empty name has no digits).
func Ratio(num, den float64) float64 {
	if den == 0 {
		return 0
	}
	return num / den
}

// Days converts a duration to fractional days.
func Days(d time.Duration) float64 { return d.Hours() / 24 }

// DaysBetween counts the calendar days (UTC) from the date of from to the
// date of to: 0 on the same day, negative when to's date comes first.
func DaysBetween(from, to time.Time) float64 {
	f, t := from.UTC(), to.UTC()
	df := time.Date(f.Year(), f.Month(), f.Day(), 0, 0, 0, 0, time.UTC)
	dt := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return math.Round(dt.Sub(df).Hours() / 24)
}
