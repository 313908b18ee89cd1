// Package schema holds the JSON Schema (draft 2020-12) of the input
// contract, creator-history format v1 (spec/creator-history.md), for tools
// that produce the format. The decoder in package features does not use
// it: it enforces the same rules, and those a schema cannot express.
package schema

import _ "embed"

//go:embed creator-history.schema.json
var creatorHistory string

// CreatorHistory returns the JSON Schema of creator-history v1.
func CreatorHistory() string { return creatorHistory }
