// Package sdnotify speaks systemd's service notification protocol
// (sd_notify(3)) without dependencies: readiness, status text and watchdog
// keep-alives sent as datagrams to the unix socket named by NOTIFY_SOCKET
// (a path, or an abstract socket written "@name"), and the watchdog
// interval read from WATCHDOG_USEC / WATCHDOG_PID.
//
// Outside systemd (no NOTIFY_SOCKET) every call is a no-op returning nil,
// so the daemon calls them unconditionally.
//
// kioskd feeds the watchdog from its main loop only while the screen is
// drawing and the device supervisor is alive, at half the interval, so a
// hung UI gets the kiosk restarted.
package sdnotify

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

// Notifier sends notifications to one socket. The zero value and a nil
// *Notifier do nothing.
type Notifier struct {
	socket string // "" disables
	env    func(string) string
}

// New returns a notifier for the socket and watchdog settings in the
// process environment (getenv nil: os.Getenv).
func New(getenv func(string) string) *Notifier {
	if getenv == nil {
		getenv = os.Getenv
	}
	return &Notifier{socket: getenv("NOTIFY_SOCKET"), env: getenv}
}

// Enabled reports whether a notification socket is configured.
func (n *Notifier) Enabled() bool { return n != nil && n.socket != "" }

// Send writes one raw notification (newline-separated KEY=VALUE lines).
func (n *Notifier) Send(state string) error {
	if !n.Enabled() {
		return nil
	}
	name := n.socket
	switch {
	case strings.HasPrefix(name, "@"):
		name = "\x00" + name[1:] // abstract namespace
	case strings.HasPrefix(name, "/"):
	default:
		return fmt.Errorf("sdnotify: send: %w: %q", ErrBadSocket, n.socket)
	}
	conn, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: name, Net: "unixgram"})
	if err != nil {
		return fmt.Errorf("sdnotify: send: %w", err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte(state)); err != nil {
		return fmt.Errorf("sdnotify: send: %w", err)
	}
	return nil
}

// ErrBadSocket means NOTIFY_SOCKET is neither a path nor "@abstract".
var ErrBadSocket = errors.New("bad NOTIFY_SOCKET")

// Ready tells systemd the service has started (Type=notify).
func (n *Notifier) Ready() error { return n.Send("READY=1") }

// Stopping tells systemd the service is shutting down.
func (n *Notifier) Stopping() error { return n.Send("STOPPING=1") }

// Watchdog sends one watchdog keep-alive.
func (n *Notifier) Watchdog() error { return n.Send("WATCHDOG=1") }

// Status sets the one-line status shown by systemctl status. Newlines are
// replaced so the text cannot inject other assignments.
func (n *Notifier) Status(s string) error {
	s = strings.NewReplacer("\n", " ", "\r", " ").Replace(s)
	return n.Send("STATUS=" + s)
}

// WatchdogInterval returns the watchdog timeout systemd expects keep-alives
// within, and whether the watchdog is enabled for this process. Callers
// send keep-alives at half the interval.
func (n *Notifier) WatchdogInterval() (time.Duration, bool) {
	if n == nil || n.env == nil {
		return 0, false
	}
	usec, err := strconv.ParseUint(n.env("WATCHDOG_USEC"), 10, 63)
	if err != nil || usec == 0 {
		return 0, false
	}
	if pid := n.env("WATCHDOG_PID"); pid != "" && pid != strconv.Itoa(os.Getpid()) {
		return 0, false // meant for another process
	}
	return time.Duration(usec) * time.Microsecond, true
}

// Package-level helpers reading the process environment on each call.

// Ready is New(nil).Ready().
func Ready() error { return New(nil).Ready() }

// Watchdog is New(nil).Watchdog().
func Watchdog() error { return New(nil).Watchdog() }

// Status is New(nil).Status(s).
func Status(s string) error { return New(nil).Status(s) }

// WatchdogInterval is New(nil).WatchdogInterval().
func WatchdogInterval() (time.Duration, bool) { return New(nil).WatchdogInterval() }
