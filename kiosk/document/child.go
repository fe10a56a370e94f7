package document

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"syscall"
	"time"
)

// run runs one poppler command as a child process with the document on
// its standard input and returns what it wrote to standard output, at
// most maxOut bytes (room for expect of them is made at once), and the
// child's resource usage.
//
// Limits. The context bounds the time: when it ends the child's whole
// process group is killed (SIGKILL), and Wait gives up on its pipes a
// second later. The memory is bounded by RLIMIT_AS (address space), which
// os/exec cannot set on a child: when util-linux's prlimit is installed
// (it is on every Debian system, util-linux is Essential) the child is
// started as `prlimit --as=BYTES -- cmd args…`, and prlimit sets the limit
// on itself and execs the command, so the pid, the limit and the resource
// usage are the command's own. Without prlimit it falls back to
// `/bin/sh -c 'ulimit -v KB && exec "$@"'`, the same limit through the
// shell. (Setting the limit with prlimit(2) after Start would race with
// the child's first allocations.) A poppler command that hits the limit
// fails its allocation and exits or is killed; either way run reports an
// error. The child also dies with the kiosk (Pdeathsig).
func run(ctx context.Context, command string, args []string, stdin []byte, memory int64, maxOut, expect int) ([]byte, *syscall.Rusage, error) {
	path, err := exec.LookPath(command)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %s", ErrNotInstalled, command)
	}
	argv := append([]string{path}, args...)
	if memory > 0 {
		if p, err := exec.LookPath("prlimit"); err == nil {
			argv = append([]string{p, "--as=" + strconv.FormatInt(memory, 10), "--"}, argv...)
		} else {
			argv = append([]string{"/bin/sh", "-c", `ulimit -v "$0" && exec "$@"`, strconv.FormatInt(memory/1024, 10)}, argv...)
		}
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = time.Second
	cmd.Env = []string{"PATH=/usr/bin:/bin", "LANG=C.UTF-8"}
	cmd.Stdin = bytes.NewReader(stdin)
	out := &capped{max: maxOut}
	// Room for the output the caller expects, at once: a buffer grown by
	// doubling to a page's pixels leaves as much again behind.
	out.b.Grow(min(expect, maxOut))
	errb := &capped{max: 4 << 10, quiet: true}
	cmd.Stdout, cmd.Stderr = out, errb
	err = cmd.Run()
	var ru *syscall.Rusage
	if cmd.ProcessState != nil {
		ru, _ = cmd.ProcessState.SysUsage().(*syscall.Rusage)
	}
	switch {
	case ctx.Err() != nil:
		return nil, ru, fmt.Errorf("%s: %w", command, ctx.Err())
	case out.over:
		return nil, ru, fmt.Errorf("%s: output over %d bytes", command, maxOut)
	case err != nil:
		return nil, ru, fmt.Errorf("%s: %w (%s)", command, err, bytes.TrimSpace(errb.b.Bytes()))
	}
	return out.b.Bytes(), ru, nil
}

// capped keeps at most max bytes. Past that it reports an error (so the
// copy to it stops and the child meets a closed pipe), or, quiet, drops
// the rest.
type capped struct {
	b     bytes.Buffer
	max   int
	over  bool
	quiet bool
}

var errOver = errors.New("output over its limit")

func (c *capped) Write(p []byte) (int, error) {
	if c.b.Len()+len(p) > c.max {
		if c.quiet {
			c.b.Write(p[:max(0, c.max-c.b.Len())])
			return len(p), nil
		}
		c.over = true
		return 0, errOver
	}
	return c.b.Write(p)
}
