package detect

// AttributionsByRecursion returns what Attributions does, computed by the
// recursion of Algorithm 2 rather than the leaf tables, for the tests that
// check the two give the same bits.
func (m *CreatorModel) AttributionsByRecursion(all []float64) []float64 {
	return m.shapRecursive(m.inputs(all))
}

// HasLeafTables reports whether shap uses the leaf tables.
func (m *CreatorModel) HasLeafTables() bool { return m.leaves != nil }
