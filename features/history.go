package features

import "time"

// Format is the value of the top-level "format" field this package reads.
const Format = "creator-history/v1"

// History is one creator as observed at one moment: the input contract of
// spec/creator-history.md (format v1). Absent optional fields stay absent
// (see OptInt and friends). Lists keep the order of the document.
type History struct {
	Format     string    `json:"format,omitempty"`
	Platform   string    `json:"platform"`
	ObservedAt time.Time `json:"observed_at"`
	Creator    Creator   `json:"creator"`

	// Series is the creator's follower count over time, sorted by At
	// (oldest first) once decoded.
	Series []SeriesPoint `json:"follower_series,omitempty"`

	// Followers is the oldest follower first, all of them or a sample
	// (see Sample).
	Followers []Follower `json:"followers,omitempty"`

	// Sample says how Followers was drawn. Decoding fills it in when the
	// document leaves it out (see spec), so it is never empty afterwards.
	Sample Sample `json:"follower_sample,omitzero"`

	Posts []Post `json:"posts,omitempty"`
}

// Sample methods of follower_sample.method.
const (
	SampleAll    = "all"
	SampleRandom = "random"
	SampleRecent = "recent"
)

// Sample says how the followers list was drawn from the follower base.
type Sample struct {
	Method     string `json:"method,omitempty"`
	Population OptInt `json:"population,omitzero"`
}

// IsZero reports whether the sample description is absent.
func (s Sample) IsZero() bool { return s.Method == "" && !s.Population.OK }

// Creator is the profile of the account being vetted.
type Creator struct {
	ID        string  `json:"id"`
	Handle    string  `json:"handle,omitempty"`
	Name      string  `json:"name,omitempty"`
	Followers int64   `json:"followers"`
	Following OptInt  `json:"following,omitzero"`
	Posts     OptInt  `json:"posts,omitzero"`
	CreatedAt OptTime `json:"created_at,omitzero"`
	Verified  OptBool `json:"verified,omitzero"`
	Category  string  `json:"category,omitempty"`
}

// SeriesPoint is one snapshot of the creator's own counts.
type SeriesPoint struct {
	At        time.Time `json:"at"`
	Followers int64     `json:"followers"`
	Following OptInt    `json:"following,omitzero"`
}

// Follower is one account that follows the creator.
type Follower struct {
	ID           string    `json:"id"`
	Username     OptString `json:"username,omitzero"`
	Name         OptString `json:"name,omitzero"`
	Bio          OptString `json:"bio,omitzero"`
	HasAvatar    OptBool   `json:"has_avatar,omitzero"`
	ExternalURL  OptBool   `json:"external_url,omitzero"`
	Private      OptBool   `json:"private,omitzero"`
	Verified     OptBool   `json:"verified,omitzero"`
	Followers    OptInt    `json:"followers,omitzero"`
	Following    OptInt    `json:"following,omitzero"`
	Posts        OptInt    `json:"posts,omitzero"`
	CreatedAt    OptTime   `json:"created_at,omitzero"`
	FollowedAt   OptTime   `json:"followed_at,omitzero"`
	LastActiveAt OptTime   `json:"last_active_at,omitzero"`
}

// Post is one of the creator's posts with the comments given for it.
type Post struct {
	ID            string    `json:"id"`
	CreatedAt     time.Time `json:"created_at"`
	Likes         OptInt    `json:"likes,omitzero"`
	Views         OptInt    `json:"views,omitzero"`
	CommentsCount OptInt    `json:"comments_count,omitzero"`
	Caption       OptString `json:"caption,omitzero"`
	Sponsored     OptBool   `json:"sponsored,omitzero"`
	Comments      []Comment `json:"comments,omitempty"`
}

// Comment is one comment on a post. A reply names another comment of the
// same post in ReplyTo; the creator's own replies have AuthorID equal to
// Creator.ID.
type Comment struct {
	ID        string    `json:"id"`
	AuthorID  string    `json:"author_id"`
	Author    OptString `json:"author,omitzero"`
	Text      string    `json:"text"`
	CreatedAt OptTime   `json:"created_at,omitzero"`
	ReplyTo   OptString `json:"reply_to,omitzero"`
	Likes     OptInt    `json:"likes,omitzero"`
}
