// Package diagflag is the command-line convention of the technicians'
// direct diagnostics (kioskctl diag idcard, printer, a4, gpio): -h prints
// the usage on stdout and exits 0; a mistake prints one line saying what
// was wrong, then the usage, on stderr, and exits 64. Scripts depend on
// those exit statuses, so every diagnostic parses through here.
package diagflag

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
)

// Exit statuses shared by every diagnostic.
const (
	ExitOK    = 0
	ExitUsage = 64 // EX_USAGE
)

// Parse parses args with fs. When it returns done, the command has been
// answered (help, or a usage error already printed) and code is its exit
// status; otherwise the caller goes on with the flags parsed. fs's own
// output is stderr afterwards.
func Parse(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (code int, done bool) {
	var msg bytes.Buffer
	fs.SetOutput(&msg)
	err := fs.Parse(args)
	fs.SetOutput(stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		_, _ = stdout.Write(msg.Bytes())
		return ExitOK, true
	case err != nil:
		_, _ = stderr.Write(msg.Bytes())
		return ExitUsage, true
	case fs.NArg() > 0:
		return UsageError(fs, stderr, "unexpected argument %q", fs.Arg(0)), true
	}
	return 0, false
}

// UsageError prints "NAME: reason" and the usage on stderr and returns
// ExitUsage. NAME is the flag set's name.
func UsageError(fs *flag.FlagSet, stderr io.Writer, format string, a ...any) int {
	fmt.Fprintf(stderr, fs.Name()+": "+format+"\n", a...)
	fs.SetOutput(stderr)
	fs.Usage()
	return ExitUsage
}
