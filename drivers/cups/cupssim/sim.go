// Package cupssim runs a private CUPS for tests and simulator mode: a
// cupsd of its own (Debian's cups) on a loopback port, with its
// ServerRoot, spool, cache, state and logs in a directory the caller
// gives, and behind its one queue an IPP Everywhere printer,
// ippeveprinter from Debian's cups-ipp-utils (CUPS's own printer
// simulator) on another loopback port. The machine's own CUPS is never
// touched: every path cupsd writes is under the directory, and it
// listens on no socket but its port.
//
// The queue is a driverless one, made as on a real kiosk:
//
//	lpadmin -h 127.0.0.1:PORT -p a4 -E -v ipp://127.0.0.1:PORT2/ipp/print -m everywhere
//
// ippeveprinter runs a print command for each document: a small shell
// script in the directory that copies the document into Printed() (so a
// test can open it, or pdftotext it), reports a page done, and reports
// the fault set with SetFault the way CUPS filters do, with "STATE:
// +media-empty" on its standard error (ippeveprinter(1), COMMAND
// OUTPUT), then fails the job. cupsd's ipp backend carries the printer's
// reasons over to the queue (as media-empty-report) and ends the job.
//
// What is simulated: a printed document; out of paper and paper jam
// during a job (SetFault); the printer offline (StopPrinter, and
// StartPrinter to bring it back); cupsd not running (StopCUPS).
//
// What could not be simulated: a fault that appears while the printer is
// idle (ippeveprinter's reasons change only from a print command, so a
// fault set now shows at the next job); toner low or empty, and door
// open (ippeveprinter reports fixed supply levels, and the ipp backend
// does not carry them over to cupsd's marker attributes, so the driver
// reads them from the printer itself); a job stopped half way through a
// multi-page document (the print command sees the whole document at
// once: pages-done is all or nothing); paper tray levels changing.
//
// Running as root, cupsd refuses to run its filters as root: the
// configuration names User lp and Group lp, so the directory and its
// parents must be searchable by others (os.MkdirTemp under /tmp, made
// 0755, is; a t.TempDir is not). ippeveprinter in CUPS 2.4 will not
// start without a D-Bus system bus to reach Avahi through, even with
// DNS-SD turned off ("-r off"), so the simulator starts a private
// dbus-daemon too and points ippeveprinter at it; nothing is advertised.
package cupssim

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Binaries the simulator runs.
var Binaries = []string{"/usr/sbin/cupsd", "/usr/sbin/ippeveprinter", "/usr/sbin/lpadmin", "dbus-daemon"}

// Missing returns the binaries that are not installed.
func Missing() []string {
	var out []string
	for _, b := range Binaries {
		if _, err := exec.LookPath(b); err != nil {
			out = append(out, b)
		}
	}
	return out
}

// Fault is a condition the simulated printer reports at its next job.
type Fault string

const (
	NoFault    Fault = ""
	MediaEmpty Fault = "media-empty"
	MediaJam   Fault = "media-jam"
)

// Opts configures a simulator.
type Opts struct {
	// Dir holds everything: conf/ (cupsd.conf, cups-files.conf), spool,
	// cache, state, logs, the printer's files and printed/. Required;
	// created if missing.
	Dir string
	// Queue is the queue's name; "" means a4.
	Queue string
	// Port and PrinterPort are cupsd's and the printer's loopback ports;
	// 0 picks a free one. A caller that must name cupsd's address before
	// it is up (simulator mode starts it in the background) chooses Port
	// with FreePort.
	Port, PrinterPort int
	// Printed is where printed documents are kept; "" means Dir/printed.
	// The printer's command runs as the caller, not as lp, so it may lie
	// outside what lp can reach (a kiosk's state directory).
	Printed string
}

// Sim is a running cupsd with a printer behind it.
type Sim struct {
	dir, queue    string
	printed       string
	cupsPort      int
	printerPort   int
	mu            sync.Mutex
	cupsd, ippeve *exec.Cmd
	bus           *exec.Cmd
	closed        bool
}

// Start starts dbus-daemon, ippeveprinter and cupsd, and adds the queue.
// On error everything started is stopped again.
func Start(ctx context.Context, opts Opts) (*Sim, error) {
	if opts.Dir == "" {
		return nil, errors.New("cupssim: Opts.Dir is required")
	}
	if m := Missing(); len(m) > 0 {
		return nil, fmt.Errorf("cupssim: not installed: %s (Debian: cups cups-client cups-ipp-utils dbus-daemon)", strings.Join(m, ", "))
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("cupssim: %w", err)
	}
	s := &Sim{dir: dir, queue: opts.Queue, printed: filepath.Join(dir, "printed")}
	if s.queue == "" {
		s.queue = "a4"
	}
	if opts.Printed != "" {
		if s.printed, err = filepath.Abs(opts.Printed); err != nil {
			return nil, fmt.Errorf("cupssim: %w", err)
		}
		if err := os.MkdirAll(s.printed, 0o750); err != nil {
			return nil, fmt.Errorf("cupssim: %w", err)
		}
	}
	if err := s.prepare(); err != nil {
		return nil, err
	}
	ports, err := freePorts(4)
	if err != nil {
		return nil, err
	}
	// Free ports other than the ones the caller chose.
	ports = slices.DeleteFunc(ports, func(p int) bool { return p == opts.Port || p == opts.PrinterPort })
	s.cupsPort, s.printerPort = ports[0], ports[1]
	if opts.Port != 0 {
		s.cupsPort = opts.Port
	}
	if opts.PrinterPort != 0 {
		s.printerPort = opts.PrinterPort
	}
	if s.cupsPort == s.printerPort {
		return nil, fmt.Errorf("cupssim: cupsd and the printer both on port %d", s.cupsPort)
	}
	if err := s.writeFiles(); err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			s.Close()
		}
	}()
	s.bus = s.command("dbus", "dbus-daemon", "--config-file="+s.path("bus.conf"), "--nofork")
	if err := s.bus.Start(); err != nil {
		return nil, fmt.Errorf("cupssim: dbus-daemon: %w", err)
	}
	if err := waitFor(ctx, func() bool { _, err := os.Stat(s.path("bus")); return err == nil }); err != nil {
		return nil, fmt.Errorf("cupssim: dbus-daemon did not start (log %s): %w", s.path("log", "dbus.log"), err)
	}
	if err := s.StartPrinter(ctx); err != nil {
		return nil, err
	}
	if err := s.startCUPS(ctx); err != nil {
		return nil, err
	}
	out, err := exec.CommandContext(ctx, "/usr/sbin/lpadmin", "-h", s.Server(), "-p", s.queue, "-E",
		"-v", s.DeviceURI(), "-m", "everywhere", "-o", "printer-error-policy=abort-job").CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("cupssim: lpadmin: %w: %s", err, strings.TrimSpace(string(out)))
	}
	// cupsd makes a driverless queue's PPD (asking the printer) after
	// lpadmin has returned, and a job sent before that is aborted ("Unable
	// to convert file 0 to printable format"); it logs this line when the
	// queue is ready.
	ready := fmt.Sprintf("Printer %q is now available.", s.queue)
	if err := waitFor(ctx, func() bool {
		b, _ := os.ReadFile(s.path("log", "error_log"))
		return strings.Contains(string(b), ready)
	}); err != nil {
		return nil, fmt.Errorf("cupssim: queue %s not ready: %w\n%s", s.queue, err, s.logTail("error_log"))
	}
	ok = true
	return s, nil
}

func (s *Sim) path(p ...string) string { return filepath.Join(append([]string{s.dir}, p...)...) }

// prepare makes the directories and checks cupsd's user can reach them.
func (s *Sim) prepare() error {
	for _, d := range []string{"conf", "conf/ppd", "conf/ssl", "spool", "spool/tmp", "cache", "state", "log", "printer", "printed", "control"} {
		if err := os.MkdirAll(s.path(d), 0o755); err != nil {
			return fmt.Errorf("cupssim: %w", err)
		}
	}
	if err := os.Chmod(s.dir, 0o755); err != nil {
		return fmt.Errorf("cupssim: %w", err)
	}
	return Reachable(s.dir)
}

// Reachable says whether cupsd's filters can reach a simulator directory
// dir: running as root, they run as lp, so dir's parents must be
// searchable by others. (As another user, they run as that user.)
func Reachable(dir string) error {
	if os.Geteuid() != 0 {
		return nil
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("cupssim: %w", err)
	}
	for d := filepath.Dir(dir); ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return fmt.Errorf("cupssim: %w", err)
		}
		if fi.Mode().Perm()&0o001 == 0 {
			return fmt.Errorf("cupssim: %s (mode %v) is not searchable by user lp, whom cupsd runs its filters as: put Opts.Dir under /tmp with os.MkdirTemp", d, fi.Mode().Perm())
		}
		if d == "/" {
			return nil
		}
	}
}

func (s *Sim) writeFiles() error {
	usr, grp := "lp", "lp"
	if os.Geteuid() != 0 {
		u, err := user.Current()
		if err != nil {
			return fmt.Errorf("cupssim: %w", err)
		}
		g, err := user.LookupGroupId(u.Gid)
		if err != nil {
			return fmt.Errorf("cupssim: %w", err)
		}
		usr, grp = u.Username, g.Name
	}
	files := map[string]string{
		"conf/cupsd.conf": fmt.Sprintf(`# A private cupsd for the kiosk's tests (drivers/cups/cupssim).
Listen 127.0.0.1:%d
LogLevel info
MaxLogSize 0
Browsing No
BrowseLocalProtocols none
WebInterface No
DefaultAuthType None
JobRetryInterval 1
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  JobPrivateAccess all
  JobPrivateValues none
  SubscriptionPrivateAccess all
  SubscriptionPrivateValues none
  <Limit All>
    Order allow,deny
    Allow all
  </Limit>
</Policy>
`, s.cupsPort),
		"conf/cups-files.conf": fmt.Sprintf(`User %s
Group %s
SystemGroup %s
FileDevice No
Sandboxing Relaxed
ServerRoot %[4]s/conf
RequestRoot %[4]s/spool
TempDir %[4]s/spool/tmp
CacheDir %[4]s/cache
StateDir %[4]s/state
Printcap %[4]s/state/printcap
ServerBin /usr/lib/cups
DataDir /usr/share/cups
ErrorLog %[4]s/log/error_log
AccessLog %[4]s/log/access_log
PageLog %[4]s/log/page_log
`, usr, grp, "root", s.dir),
		"bus.conf": fmt.Sprintf(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
    <allow own="*"/>
    <allow user="*"/>
  </policy>
</busconfig>
`, s.path("bus")),
		// The print command: keep the document, say a page is done, and
		// report the fault the test asked for (or clear the last one).
		"print.sh": fmt.Sprintf(`#!/bin/sh
# ippeveprinter's print command (cupssim): $1 is the document.
cp "$1" "%[2]s/" || exit 1
fault=$(cat %[1]s/control/fault 2>/dev/null)
if [ -n "$fault" ]; then
  # Mid-job: the printer takes the job, then runs out a moment later.
  sleep 1
  echo "STATE: +$fault" >&2
  echo "ERROR: simulated $fault" >&2
  sleep 1
  exit 1
fi
echo "STATE: -media-empty,media-jam" >&2
echo "ATTR: job-impressions-completed=1" >&2
exit 0
`, s.dir, s.printed),
	}
	for name, body := range files {
		mode := os.FileMode(0o644)
		if strings.HasSuffix(name, ".sh") {
			mode = 0o755
		}
		if err := os.WriteFile(s.path(name), []byte(body), mode); err != nil {
			return fmt.Errorf("cupssim: %w", err)
		}
	}
	return s.SetFault(context.Background(), NoFault)
}

func (s *Sim) command(logName, name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	// Its own process group, so Close stops what it starts; and a
	// SIGTERM when the process that started it dies, so a simulator whose
	// kiosk was killed (kill -9, a test's timeout) does not live on.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if f, err := os.OpenFile(s.path("log", logName+".log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644); err == nil {
		cmd.Stdout, cmd.Stderr = f, f
	}
	return cmd
}

func (s *Sim) startCUPS(ctx context.Context) error {
	cmd := s.command("cupsd", "/usr/sbin/cupsd", "-f", "-c", s.path("conf", "cupsd.conf"), "-s", s.path("conf", "cups-files.conf"))
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("cupssim: cupsd: %w", err)
	}
	s.mu.Lock()
	s.cupsd = cmd
	s.mu.Unlock()
	if err := waitPort(ctx, cmd, s.cupsPort); err != nil || exited(cmd) {
		if err == nil {
			err = errors.New("it exited")
		}
		return fmt.Errorf("cupssim: cupsd did not listen: %w\n%s%s", err, s.logTail("cupsd.log"), s.logTail("error_log"))
	}
	return nil
}

// StartPrinter starts ippeveprinter (again, after StopPrinter).
func (s *Sim) StartPrinter(ctx context.Context) error {
	s.mu.Lock()
	if s.ippeve != nil {
		s.mu.Unlock()
		return nil
	}
	cmd := s.command("ippeveprinter", "/usr/sbin/ippeveprinter", "-r", "off", "-n", "localhost",
		"-p", strconv.Itoa(s.printerPort), "-d", s.path("printer"), "-c", s.path("print.sh"),
		"-f", "application/pdf", "-M", "Kiosk", "-m", "A4 Simulated", "-l", "cupssim", "--no-web-forms", "Kiosk A4")
	cmd.Env = append(os.Environ(), "DBUS_SYSTEM_BUS_ADDRESS=unix:path="+s.path("bus"))
	if err := cmd.Start(); err != nil {
		s.mu.Unlock()
		return fmt.Errorf("cupssim: ippeveprinter: %w", err)
	}
	s.ippeve = cmd
	s.mu.Unlock()
	if err := waitPort(ctx, cmd, s.printerPort); err != nil || exited(cmd) {
		if err == nil {
			err = errors.New("it exited")
		}
		return fmt.Errorf("cupssim: ippeveprinter did not listen: %w\n%s", err, s.logTail("ippeveprinter.log"))
	}
	return nil
}

// StopPrinter stops ippeveprinter: the printer is offline.
func (s *Sim) StopPrinter() error {
	s.mu.Lock()
	cmd := s.ippeve
	s.ippeve = nil
	s.mu.Unlock()
	return stop(cmd)
}

// StopCUPS stops cupsd: nothing answers on Server() any more.
func (s *Sim) StopCUPS() error {
	s.mu.Lock()
	cmd := s.cupsd
	s.cupsd = nil
	s.mu.Unlock()
	return stop(cmd)
}

// SetFault sets the fault the printer reports at its next job. NoFault is
// the technician's fix (paper refilled, jam cleared): the printer is
// restarted, which clears its reasons, since ippeveprinter holds jobs
// while it reports media-empty and its reasons change only from a print
// command.
func (s *Sim) SetFault(ctx context.Context, f Fault) error {
	if err := os.WriteFile(s.path("control", "fault"), []byte(f), 0o644); err != nil {
		return fmt.Errorf("cupssim: %w", err)
	}
	if f != NoFault {
		return nil
	}
	s.mu.Lock()
	running := s.ippeve != nil
	s.mu.Unlock()
	if !running {
		return nil
	}
	if err := s.StopPrinter(); err != nil {
		return err
	}
	return s.StartPrinter(ctx)
}

// Server is cupsd's address, host:port.
func (s *Sim) Server() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.cupsPort)) }

// Queue is the queue's name.
func (s *Sim) Queue() string { return s.queue }

// DeviceURI is the printer's URI, as the queue has it.
func (s *Sim) DeviceURI() string {
	return fmt.Sprintf("ipp://127.0.0.1:%d/ipp/print", s.printerPort)
}

// Printed is the directory the printer keeps each printed document in.
func (s *Sim) Printed() string { return s.printed }

// Documents returns the paths of the printed documents, oldest first.
func (s *Sim) Documents() ([]string, error) {
	es, err := os.ReadDir(s.Printed())
	if err != nil {
		return nil, fmt.Errorf("cupssim: %w", err)
	}
	var out []string
	for _, e := range es {
		out = append(out, filepath.Join(s.printed, e.Name()))
	}
	return out, nil
}

// logTail is the end of one log, for an error message.
func (s *Sim) logTail(name string) string {
	b, _ := os.ReadFile(s.path("log", name))
	if len(b) > 1500 {
		b = b[len(b)-1500:]
	}
	return name + ":\n" + string(b)
}

// Logs returns the directory of cupsd's, ippeveprinter's and
// dbus-daemon's logs (for a failing test to show).
func (s *Sim) Logs() string { return s.path("log") }

// Close stops cupsd, ippeveprinter and dbus-daemon and waits for them.
// The directory is left for the caller (a test's cleanup) to remove.
func (s *Sim) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	err := errors.Join(s.StopCUPS(), s.StopPrinter())
	s.mu.Lock()
	bus := s.bus
	s.bus = nil
	s.mu.Unlock()
	return errors.Join(err, stop(bus))
}

// stop ends a process group with SIGTERM, then SIGKILL after 3 s, and
// reaps it.
func stop(cmd *exec.Cmd) error {
	if cmd == nil || cmd.Process == nil {
		return nil
	}
	pid := cmd.Process.Pid
	_ = syscall.Kill(-pid, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		<-done
	}
	if c, ok := cmd.Stdout.(*os.File); ok {
		c.Close()
	}
	return nil
}

// FreePort returns a loopback port free now.
func FreePort() (int, error) {
	p, err := freePorts(1)
	if err != nil {
		return 0, err
	}
	return p[0], nil
}

// freePorts returns n distinct free loopback ports (held open together
// while chosen, so the kernel cannot hand out one twice).
func freePorts(n int) ([]int, error) {
	var out []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("cupssim: free port: %w", err)
		}
		defer l.Close()
		out = append(out, l.Addr().(*net.TCPAddr).Port)
	}
	return out, nil
}

// waitPort waits until cmd listens on port, and gives up early when cmd
// has exited.
func waitPort(ctx context.Context, cmd *exec.Cmd, port int) error {
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	return waitFor(ctx, func() bool {
		if exited(cmd) {
			return true
		}
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
}

// exited reports whether cmd's process has exited (a zombie not yet
// reaped, since nobody waits for it while it starts).
func exited(cmd *exec.Cmd) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", cmd.Process.Pid))
	if err != nil {
		return true
	}
	i := strings.LastIndexByte(string(b), ')')
	return i < 0 || i+2 >= len(b) || b[i+2] == 'Z'
}

func waitFor(ctx context.Context, ok func() bool) error {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	for !ok() {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return nil
}
