package phone

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// ErrAgentGone is returned for a command sent after baresip exited or
// its control connection closed.
var ErrAgentGone = errors.New("phone: baresip is gone")

// Agent is one running baresip (`baresip -f DIR`, no console) and its
// control connection. It is the low layer the Phone supervises; the
// simulated duty desk and the diag use it too.
type Agent struct {
	cmd    *exec.Cmd
	conn   net.Conn
	out    *tail
	events chan CtrlEvent

	wmu     sync.Mutex // one command written at a time
	mu      sync.Mutex
	next    uint64
	pending map[string]chan Response
	readErr error

	exited  chan struct{} // closed when the process has been reaped
	waitErr error
	closed  chan struct{} // closed when the control connection has ended
}

// StartAgent starts baresip with the configuration in dir (as Profile.Write
// left it) and connects to its control port at ctrl, waiting at most
// timeout for it to answer. The child has its own process group and is
// killed if this process dies.
func StartAgent(ctx context.Context, binary, dir, ctrl string, timeout time.Duration) (*Agent, error) {
	cmd := exec.Command(binary, "-f", dir)
	out := &tail{max: 16 << 10}
	cmd.Stdin = nil // /dev/null; and no stdio module reads it
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("phone: start baresip: %w", err)
	}
	a := &Agent{cmd: cmd, out: out, events: make(chan CtrlEvent, 64), pending: map[string]chan Response{},
		exited: make(chan struct{}), closed: make(chan struct{})}
	go func() { a.waitErr = cmd.Wait(); close(a.exited) }()

	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	var d net.Dialer
	for {
		cctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		conn, err := d.DialContext(cctx, "tcp", ctrl)
		cancel()
		if err == nil {
			a.conn = conn
			break
		}
		select {
		case <-a.exited:
			return nil, fmt.Errorf("phone: start baresip: exited (%v) before its control port answered: %s", a.waitErr, a.out.Reason())
		case <-ctx.Done():
			a.Close()
			return nil, fmt.Errorf("phone: start baresip: %w", ctx.Err())
		case <-deadline.C:
			a.Close()
			return nil, fmt.Errorf("phone: start baresip: control port %s did not answer within %v: %s", ctrl, timeout, a.out.Reason())
		case <-time.After(50 * time.Millisecond):
		}
	}
	go a.read()
	return a, nil
}

func (a *Agent) read() {
	r := bufio.NewReader(a.conn)
	var err error
	for {
		var m Message
		m, err = ReadMessage(r)
		if errors.Is(err, ErrFrame) {
			continue // one bad message; the framing may well still hold
		}
		if err != nil {
			break
		}
		if m.Response != nil {
			a.mu.Lock()
			ch := a.pending[m.Response.Token]
			delete(a.pending, m.Response.Token)
			a.mu.Unlock()
			if ch != nil {
				ch <- *m.Response
			}
			continue
		}
		select {
		case a.events <- *m.Event:
		case <-a.exited:
		}
	}
	a.mu.Lock()
	a.readErr = err
	a.mu.Unlock()
	close(a.closed)
	close(a.events)
}

// Events are baresip's events in the order sent; closed when the
// control connection ends. Someone must read them.
func (a *Agent) Events() <-chan CtrlEvent { return a.events }

// Done is closed when the control connection has ended (baresip exited
// or closed it).
func (a *Agent) Done() <-chan struct{} { return a.closed }

// Exited is closed when the process has been reaped.
func (a *Agent) Exited() <-chan struct{} { return a.exited }

// ExitErr is how the process ended (after Exited is closed).
func (a *Agent) ExitErr() error {
	select {
	case <-a.exited:
		return a.waitErr
	default:
		return nil
	}
}

// Pid is the child's process id.
func (a *Agent) Pid() int { return a.cmd.Process.Pid }

// Output is the end of what baresip printed (at most 16 KiB).
func (a *Agent) Output() string { return a.out.String() }

// Do sends a command and waits for its response. A response with ok
// false is an error carrying baresip's words.
func (a *Agent) Do(ctx context.Context, command, params string) (Response, error) {
	a.mu.Lock()
	a.next++
	token := strconv.FormatUint(a.next, 10)
	ch := make(chan Response, 1)
	a.pending[token] = ch
	a.mu.Unlock()
	defer func() {
		a.mu.Lock()
		delete(a.pending, token)
		a.mu.Unlock()
	}()
	b, err := AppendCommand(nil, Command{Command: command, Params: params, Token: token})
	if err != nil {
		return Response{}, err
	}
	a.wmu.Lock()
	if dl, ok := ctx.Deadline(); ok {
		a.conn.SetWriteDeadline(dl)
	} else {
		a.conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
	}
	_, err = a.conn.Write(b)
	a.wmu.Unlock()
	if err != nil {
		return Response{}, fmt.Errorf("%w: %v", ErrAgentGone, err)
	}
	select {
	case r := <-ch:
		if !r.OK {
			return r, fmt.Errorf("phone: baresip refused %s: %s", command, strings.TrimSpace(r.Data))
		}
		return r, nil
	case <-a.closed:
		return Response{}, ErrAgentGone
	case <-ctx.Done():
		return Response{}, ctx.Err()
	}
}

// Close ends baresip: SIGTERM to its process group (it hangs up its call
// on the way out), SIGKILL after a second, then waits for it.
func (a *Agent) Close() error {
	pgid := a.cmd.Process.Pid
	select {
	case <-a.exited:
	default:
		syscall.Kill(-pgid, syscall.SIGTERM)
		select {
		case <-a.exited:
		case <-time.After(time.Second):
			syscall.Kill(-pgid, syscall.SIGKILL)
			<-a.exited
		}
	}
	if a.conn != nil {
		a.conn.Close()
	}
	return nil
}

// tail keeps the end of baresip's output, for saying why it failed.
type tail struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = append(t.b[:0], t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}

// Reason picks baresip's error lines out of its output (colour codes
// taken out), the last three.
func (t *tail) Reason() string {
	var errs []string
	for _, l := range strings.Split(t.String(), "\n") {
		l = strings.TrimSpace(strings.NewReplacer("\x1b[31m", "", "\x1b[;m", "").Replace(l))
		if l == "" {
			continue
		}
		low := strings.ToLower(l)
		if strings.Contains(low, "fail") || strings.Contains(low, "error") || strings.Contains(low, "could not") || strings.Contains(low, "no such") || strings.Contains(low, "in use") {
			errs = append(errs, l)
		}
	}
	if len(errs) == 0 {
		return "no error printed"
	}
	return strings.Join(errs[max(0, len(errs)-3):], "; ")
}
