// Package report renders a detect.Report for people: a terminal summary
// and a self-contained HTML page. It computes nothing the report does not
// already say.
package report

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"

	"bonafide/detect"
)

// Text writes a terminal summary of r to w: who, the score and verdict,
// the fake share and its interval, the reasons and the growth spikes.
func Text(w io.Writer, r detect.Report) error {
	bw := bufio.NewWriter(w)
	who := r.CreatorID
	if r.Handle != "" {
		who = "@" + r.Handle + " (" + r.CreatorID + ")"
	}
	fmt.Fprintf(bw, "%s on %s, observed %s\n", who, r.Platform, r.ObservedAt)
	fmt.Fprintf(bw, "  authenticity %.0f/100  verdict: %s\n", r.Authenticity, strings.ToUpper(r.Verdict))
	if f := r.FakeFollowers; f.Estimate != nil {
		fmt.Fprintf(bw, "  fake followers ~%.0f%% (90%% interval %.0f-%.0f%%, %d scored, %s)\n",
			100**f.Estimate, 100**f.Low, 100**f.High, *f.Basis, *f.Method)
	} else {
		fmt.Fprintf(bw, "  fake followers: not estimated (no followers given)\n")
	}
	if len(r.Reasons) > 0 {
		fmt.Fprintf(bw, "  why (points from the baseline %.0f):\n", r.Baseline)
		for i, re := range r.Reasons {
			if i == 5 {
				fmt.Fprintf(bw, "    ... and %d more in the JSON report\n", len(r.Reasons)-5)
				break
			}
			fmt.Fprintf(bw, "    %+6.1f  %s\n", re.Impact, re.Text)
		}
	} else {
		fmt.Fprintf(bw, "  nothing moved the score from the baseline %.0f\n", r.Baseline)
	}
	if len(r.GrowthSpikes) > 0 {
		fmt.Fprintf(bw, "  growth spikes:\n")
		for _, s := range r.GrowthSpikes {
			why := ""
			switch {
			case s.ExplainedBy != nil:
				why = " (explained by " + *s.ExplainedBy + ")"
			case s.Unchecked:
				why = " (not checked: before the earliest listed post)"
			}
			fmt.Fprintf(bw, "    %s..%s  +%d (expected %d)  %s%s\n", s.Start, s.End, s.Gained, s.Expected, s.Kind, why)
		}
	}
	flagged := make([]string, 0, len(r.Signals))
	for name, s := range r.Signals {
		if s.Flag {
			flagged = append(flagged, name)
		}
	}
	sort.Strings(flagged)
	if len(flagged) > 0 {
		fmt.Fprintf(bw, "  flagged signals: %s\n", strings.Join(flagged, ", "))
	}
	for _, wn := range r.Warnings {
		fmt.Fprintf(bw, "  warning: %s\n", wn)
	}
	fmt.Fprintf(bw, "  model %s\n", r.Model)
	return bw.Flush()
}
