package diagflag

import (
	"flag"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		args           []string
		code           int
		done           bool
		stdout, stderr string
	}{
		{[]string{"--port", "x"}, 0, false, "", ""},
		{[]string{"-h"}, ExitOK, true, "usage: diag x", ""},
		{[]string{"--bogus"}, ExitUsage, true, "", "flag provided but not defined: -bogus"},
		{[]string{"--port", "x", "extra"}, ExitUsage, true, "", `kioskctl diag x: unexpected argument "extra"`},
	}
	for _, tc := range tests {
		fs := flag.NewFlagSet("kioskctl diag x", flag.ContinueOnError)
		fs.String("port", "", "the port")
		fs.Usage = func() { fs.Output().Write([]byte("usage: diag x\n")) }
		var so, se strings.Builder
		code, done := Parse(fs, tc.args, &so, &se)
		if code != tc.code || done != tc.done || !strings.Contains(so.String(), tc.stdout) || !strings.Contains(se.String(), tc.stderr) {
			t.Errorf("%q: code %d done %v stdout %q stderr %q", tc.args, code, done, so.String(), se.String())
		}
		if tc.code == ExitUsage && !strings.Contains(se.String(), "usage: diag x") {
			t.Errorf("%q: no usage after the mistake: %q", tc.args, se.String())
		}
	}
}
