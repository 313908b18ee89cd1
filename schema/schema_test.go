package schema_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"bonafide/features"
	"bonafide/schema"
)

// schemaExempt lists the bad fixtures that the schema accepts, each with
// the reason no JSON Schema can reject it. The decoder must reject them.
var schemaExempt = map[string]string{
	"duplicate-follower-id.json":                    "uniqueness of one property across array items (uniqueItems compares whole items)",
	"duplicate-post-id.json":                        "uniqueness of one property across array items",
	"duplicate-comment-id.json":                     "uniqueness of one property across array items",
	"duplicate-series-time.json":                    "uniqueness of an instant written two ways across array items",
	"reply-to-unknown.json":                         "a reference to another item of the array",
	"reply-to-self.json":                            "a reference to another item of the array",
	"reply-to-other-post.json":                      "a reference to another item of the array",
	"observed-before-creator-created.json":          "an order between two fields' values",
	"observed-before-creator-created-reversed.json": "an order between two fields' values",
	"invalid-utf8.json":                             "JSON parsers replace invalid UTF-8 before a schema sees the text",
	"invalid-utf8-key.json":                         "JSON parsers replace invalid UTF-8 before a schema sees the text",
	"lone-surrogate.json":                           "JSON parsers replace lone surrogates before a schema sees the text",
	"duplicate-key.json":                            "JSON parsers keep one of the duplicate keys before a schema sees the object",
	"deep-nesting.json":                             "no keyword limits the nesting depth of unknown fields' values",
}

func compile(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(schema.CreatorHistory()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource("creator-history.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("creator-history.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

// validate reports the schema's verdict on a document; a document that is
// not JSON fails it.
func validate(sch *jsonschema.Schema, b []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}

func fixtures(t *testing.T, dir string) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "features", "testdata", dir, "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no fixtures in features/testdata/%s: %v", dir, err)
	}
	return paths
}

// TestGoodFixtures checks that every good fixture passes the schema and
// the decoder.
func TestGoodFixtures(t *testing.T) {
	sch := compile(t)
	for _, path := range fixtures(t, "good") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := validate(sch, b); err != nil {
				t.Errorf("schema rejects it: %v", err)
			}
			if _, _, err := features.Decode(bytes.NewReader(b)); err != nil {
				t.Errorf("decoder rejects it: %v", err)
			}
		})
	}
}

// TestBadFixtures checks that every bad fixture fails the decoder and the
// schema, but for the exemptions, which must still be needed.
func TestBadFixtures(t *testing.T) {
	sch := compile(t)
	seen := map[string]bool{}
	for _, path := range fixtures(t, "bad") {
		name := filepath.Base(path)
		seen[name] = true
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := features.Decode(bytes.NewReader(b)); err == nil {
				t.Errorf("decoder accepts it")
			}
			err = validate(sch, b)
			why, exempt := schemaExempt[name]
			switch {
			case err == nil && !exempt:
				t.Errorf("schema accepts it")
			case err != nil && exempt:
				t.Errorf("schema rejects it, so the exemption (%s) is no longer needed: %v", why, err)
			}
		})
	}
	for name := range schemaExempt {
		if !seen[name] {
			t.Errorf("exemption for %s, which is no fixture", name)
		}
	}
}
