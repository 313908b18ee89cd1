package main

import (
	"fmt"
	"io"
	"runtime/debug"
)

// buildVersion may be set at link time: -ldflags "-X main.buildVersion=v1.2.3".
var buildVersion = ""

// moduleVersion returns the version of the bonafide module in this binary.
func moduleVersion() string {
	if buildVersion != "" {
		return buildVersion
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

func printVersion(w io.Writer) error {
	b, err := defaultBundle()
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "bonafide %s\nmodel %s %s\n", moduleVersion(), b.Name, b.Digest())
	return err
}
