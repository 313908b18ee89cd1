package features_test

import (
	"testing"

	"bonafide/features"
)

func TestFieldErrorString(t *testing.T) {
	tests := []struct {
		name string
		err  features.FieldError
		want string
	}{
		{"JSON Lines", features.FieldError{Source: "a.jsonl", Line: 17, Field: "posts[3].comments[17].created_at", Expected: "an RFC 3339 time", Found: `"yesterday"`},
			`a.jsonl: line 17: posts[3].comments[17].created_at: expected an RFC 3339 time, found "yesterday"`},
		{"bytes", features.FieldError{Field: "creator.id", Expected: "a non-empty string", Found: "nothing"},
			"creator.id: expected a non-empty string, found nothing"},
		{"the document", features.FieldError{Source: "-", Expected: "a JSON object", Found: "an array"},
			"-: expected a JSON object, found an array"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestWarningString(t *testing.T) {
	tests := []struct {
		w    features.Warning
		want string
	}{
		{features.Warning{Field: "followers[12].created_at", Message: "after observed_at"}, "followers[12].created_at: after observed_at"},
		{features.Warning{Message: "odd"}, "odd"},
	}
	for _, tt := range tests {
		if got := tt.w.String(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}
