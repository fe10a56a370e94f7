// Package idcardsim is a simulated identity card reader. It speaks the
// reader's real protocol (drivers/idcard's wire format) on a
// pseudo-terminal, so the kiosk's real serial code opens it exactly as it
// would open /dev/ttyUSB0. Output is paced at the configured baud rate
// (10 bits a byte), the reader only understands a host whose line runs at
// its own rate, and it follows the set-baud command.
//
// Card fixtures of every layout are built in (see Fixtures), and faults a
// kiosk meets can be switched on: garbage on the line, replies in small
// pieces, a slow line, damaged checksums, a failing SAM, a reader that
// stops answering, a card taken away mid-read, and a port that disappears
// (Unplug) and comes back (Replug). SetFaultFor limits a fault to its next
// few replies, like one damaged frame on a noisy line.
//
// Conn moves the reader off the pty onto an in-memory line (a socket
// pair): the same protocol, pacing and faults, for a driver built over a
// transport (idcard.Opts.Open) rather than a path.
package idcardsim

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/henan-county/kiosk/drivers/idcard"
	"github.com/henan-county/kiosk/drivers/serialport"
)

// Fault is a misbehaviour the simulated reader can be switched into.
type Fault int

const (
	FaultNone          Fault = iota
	FaultGarbage             // random bytes before every reply
	FaultSplit               // replies sent in small pieces with gaps
	FaultSlow                // the line runs SlowFactor times slower than the baud rate
	FaultBadChecksum         // card read replies arrive with a wrong CHK
	FaultSAMSelfTest         // the SAM fails its self-test (SW3 60)
	FaultSilent              // the reader stops answering
	FaultRemoveMidRead       // the card is taken away during the read (SW3 41)
)

var faultNames = [...]string{"none", "garbage", "split", "slow", "bad-checksum", "sam-self-test", "silent", "remove-mid-read"}

func (f Fault) String() string {
	if f >= 0 && int(f) < len(faultNames) {
		return faultNames[f]
	}
	return fmt.Sprintf("Fault(%d)", int(f))
}

// Faults lists every fault.
func Faults() []Fault {
	return []Fault{FaultNone, FaultGarbage, FaultSplit, FaultSlow, FaultBadChecksum, FaultSAMSelfTest, FaultSilent, FaultRemoveMidRead}
}

// ParseFault is the inverse of Fault.String.
func ParseFault(s string) (Fault, error) {
	for i, n := range faultNames {
		if n == s {
			return Fault(i), nil
		}
	}
	return 0, fmt.Errorf("idcardsim: unknown fault %q", s)
}

// ErrUnknownFixture: Place was given a name Fixtures does not list.
var ErrUnknownFixture = errors.New("idcardsim: unknown fixture")

// Opts configures a simulator. nil means defaults.
type Opts struct {
	// Link is the stable path the kiosk opens (like /dev/kiosk-idcard); it
	// is a symlink to the current pty. Default: "idcard" in a new
	// temporary directory, removed by Close.
	Link string
	// Baud is the reader's line rate at start (default 115200).
	Baud int
	// Refind makes find succeed again for a card already read while it
	// stays in the field (some readers do; the default, like most, halts
	// a card once read until it leaves the field). SetRefind changes it.
	Refind bool
	// Serials makes select card answer a serial number of the card's own
	// (the fixture's) instead of the eight zero bytes real readers answer.
	// The driver must not care either way.
	Serials bool
	// SlowFactor is how much slower FaultSlow makes the line (default 30).
	SlowFactor int
	// SAMID is the module's ID (default 05.01-20101201-000123456-000654321).
	SAMID [16]byte
	// Logger (default: discard).
	Logger *slog.Logger
}

// Stats counts what the simulated reader saw.
type Stats struct {
	Requests  int // well-formed request frames
	Ignored   int // requests a silent reader (FaultSilent) left unanswered
	Reads     int // card reads answered with card data
	BaudWrong int // requests that arrived at the wrong line rate
}

// Sim is a running simulated reader.
type Sim struct {
	link    string
	tmpDir  string
	refind  bool
	serials bool
	slow    int
	samID   [16]byte
	log     *slog.Logger
	rng     *rand.Rand
	mu      sync.Mutex
	baud    int
	master  io.Closer // the simulator's end of the line: pty master or socket
	slave   *os.File  // the pty's host end; nil on an in-memory line
	card    *fixture
	cardNm  string
	found   bool
	sel     bool
	halted  bool
	fault   Fault
	left    int // replies the fault still changes; 0: until SetFault
	stats   Stats
	reqc    chan struct{} // closed at the next request; see Requested
	gen     int           // line generation; a serve loop exits when it changes
	closed  bool
	unplug  bool // Unplug was called and Replug was not
	onConn  bool // the reader is on an in-memory line (Conn), not a pty
	wg      sync.WaitGroup
	pathNow string
}

// New starts a simulated reader on a fresh pty behind the link.
func New(opts *Opts) (*Sim, error) {
	var o Opts
	if opts != nil {
		o = *opts
	}
	s := &Sim{link: o.Link, refind: o.Refind, serials: o.Serials, slow: o.SlowFactor, baud: o.Baud, samID: o.SAMID, log: o.Logger,
		rng: rand.New(rand.NewPCG(1, 2)), reqc: make(chan struct{})}
	if s.baud == 0 {
		s.baud = 115200
	}
	if _, err := idcard.BaudCode(s.baud); err != nil {
		return nil, fmt.Errorf("idcardsim: %w", err)
	}
	if s.slow <= 1 {
		s.slow = 30
	}
	if s.samID == ([16]byte{}) {
		s.samID = [16]byte{5, 0, 1, 0, 0x51, 0xB8, 0x32, 0x01, 0x40, 0xE2, 0x01, 0x00, 0xF1, 0xFB, 0x09, 0x00}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.link == "" {
		d, err := os.MkdirTemp("", "idcardsim")
		if err != nil {
			return nil, fmt.Errorf("idcardsim: %w", err)
		}
		s.tmpDir = d
		s.link = filepath.Join(d, "idcard")
	}
	if err := s.plug(); err != nil {
		if s.tmpDir != "" {
			os.RemoveAll(s.tmpDir)
		}
		return nil, err
	}
	return s, nil
}

// Path returns the stable link the kiosk should open.
func (s *Sim) Path() string { return s.link }

// PTY returns the current pty slave path behind the link ("" when unplugged).
func (s *Sim) PTY() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pathNow
}

// Fixtures lists the card fixtures Place accepts.
func Fixtures() []string { return append([]string(nil), fixtureNames...) }

// Fixtures lists the card fixtures Place accepts.
func (s *Sim) Fixtures() []string { return Fixtures() }

// Place puts a card on the reader (replacing any card there).
func (s *Sim) Place(name string) error {
	f, ok := fixtureByName(name)
	if !ok {
		return fmt.Errorf("idcardsim: place %q: %w", name, ErrUnknownFixture)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.card, s.cardNm = &f, name
	s.found, s.sel, s.halted = false, false, false
	return nil
}

// SetRefind switches how find answers for a card already read that still
// lies there: true finds it again, false (the default) answers "no card"
// until it leaves the field.
func (s *Sim) SetRefind(refind bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refind = refind
}

// Refind reports how find answers for a card already read (see SetRefind).
func (s *Sim) Refind() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refind
}

// Remove takes the card away.
func (s *Sim) Remove() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.removeLocked()
}

func (s *Sim) removeLocked() {
	s.card, s.cardNm = nil, ""
	s.found, s.sel, s.halted = false, false, false
}

// Card returns the name of the card on the reader, "" for none.
func (s *Sim) Card() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cardNm
}

// SetFault switches the reader into a fault (FaultNone to heal it).
func (s *Sim) SetFault(f Fault) {
	s.SetFaultFor(f, 0)
}

// SetFaultFor switches the reader into fault f for the next n replies the
// fault changes, then heals it: with FaultBadChecksum, n card reads come
// back damaged and the next is whole; with FaultSilent, n requests go
// unanswered. n <= 0 keeps the fault until SetFault.
func (s *Sim) SetFaultFor(f Fault, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fault, s.left = f, max(n, 0)
}

// spendLocked counts one reply changed by fault f.
func (s *Sim) spendLocked(f Fault) {
	if f == FaultNone || s.fault != f || s.left == 0 {
		return
	}
	s.left--
	if s.left == 0 {
		s.fault = FaultNone
	}
}

// Baud returns the reader's current line rate.
func (s *Sim) Baud() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.baud
}

// Stats returns counters.
func (s *Sim) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// Requested returns a channel that is closed when the reader next
// receives a well-formed request, once Stats counts it (Requests, and
// Ignored when it will not be answered). Take it before reading Stats to
// miss nothing.
func (s *Sim) Requested() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reqc
}

// Unplug makes the port disappear: the pty is closed and the link
// removed, or the in-memory line is cut (the host reads EOF) and Conn
// refuses until Replug.
func (s *Sim) Unplug() {
	s.mu.Lock()
	s.unplug = true
	s.mu.Unlock()
	s.detach()
}

// detach closes the current line and waits for its serve loop to end.
func (s *Sim) detach() {
	s.mu.Lock()
	m, sl := s.master, s.slave
	s.master, s.slave, s.pathNow = nil, nil, ""
	s.gen++
	s.mu.Unlock()
	os.Remove(s.link)
	if m != nil {
		m.Close()
	}
	if sl != nil {
		sl.Close()
	}
	s.wg.Wait()
}

// Replug brings the port back: a new pty behind the same link, or, for a
// reader on an in-memory line, lets Conn connect again.
func (s *Sim) Replug() error {
	s.mu.Lock()
	if !s.unplug || s.closed {
		s.mu.Unlock()
		return nil
	}
	s.unplug = false
	onConn := s.onConn
	s.mu.Unlock()
	if onConn {
		return nil
	}
	return s.plug()
}

// Conn moves the reader onto a new in-memory line and returns the host's
// end, as if the reader's cable had been moved: the pty and its link go
// away, and a line from an earlier Conn is cut. The line is a socket pair:
// buffered both ways like a serial line, with read deadlines, and no baud
// rate (the reader answers at whatever rate the host thinks it uses;
// replies are still paced at Opts.Baud). While the reader is unplugged
// Conn fails with idcard.ErrGone.
func (s *Sim) Conn() (net.Conn, error) {
	s.mu.Lock()
	closed, unplugged := s.closed, s.unplug
	s.mu.Unlock()
	if closed {
		return nil, errors.New("idcardsim: connect: simulator closed")
	}
	if unplugged {
		return nil, fmt.Errorf("idcardsim: connect: %w", idcard.ErrGone)
	}
	s.detach()
	simEnd, host, err := serialport.Pair("idcardsim-line")
	if err != nil {
		return nil, fmt.Errorf("idcardsim: connect: %w", err)
	}
	s.mu.Lock()
	s.master, s.onConn = simEnd, true
	s.gen++
	gen := s.gen
	s.wg.Add(1)
	s.mu.Unlock()
	go s.serve(simEnd, nil, gen)
	return host, nil
}

// Close stops the simulator and removes its link.
func (s *Sim) Close() error {
	s.Unplug()
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	if s.tmpDir != "" {
		return os.RemoveAll(s.tmpDir)
	}
	return nil
}

func (s *Sim) plug() error {
	m, sl, err := serialport.LinkPTY(s.link, s.baud)
	if err != nil {
		return fmt.Errorf("idcardsim: %w", err)
	}
	s.mu.Lock()
	s.master, s.slave, s.pathNow = m, sl, sl.Name()
	s.unplug, s.onConn = false, false
	s.gen++
	gen := s.gen
	s.mu.Unlock()
	s.wg.Add(1)
	go s.serve(m, sl, gen)
	return nil
}

func ioctlTermios(f *os.File, req uint, t *unix.Termios) error {
	sc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var errno unix.Errno
	cerr := sc.Control(func(fd uintptr) {
		_, _, errno = unix.Syscall(unix.SYS_IOCTL, fd, uintptr(req), uintptr(unsafe.Pointer(t)))
	})
	if cerr != nil {
		return cerr
	}
	if errno != 0 {
		return errno
	}
	return nil
}

var rateOf = map[uint32]int{unix.B115200: 115200, unix.B57600: 57600, unix.B38400: 38400, unix.B19200: 19200, unix.B9600: 9600}

// hostBaud reads the line rate the host set on its end of the pty.
func hostBaud(sl *os.File) int {
	var t unix.Termios
	if err := ioctlTermios(sl, unix.TCGETS, &t); err != nil {
		return 0
	}
	return rateOf[t.Cflag&unix.CBAUD]
}

func (s *Sim) current(gen int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gen == gen
}

// serve answers requests on one line: m is the simulator's end, sl the
// pty's host end (nil on an in-memory line).
func (s *Sim) serve(m io.ReadWriter, sl *os.File, gen int) {
	defer s.wg.Done()
	var dec idcard.Decoder
	buf := make([]byte, 256)
	for {
		n, err := m.Read(buf)
		if err != nil {
			if sl == nil || !s.current(gen) {
				return // an in-memory line ends when either end closes it
			}
			// EIO while no host holds the slave open: wait for one.
			time.Sleep(10 * time.Millisecond)
			continue
		}
		dec.Write(buf[:n])
		for {
			body, ferr := dec.Next()
			if ferr != nil {
				// The real reader answers a damaged request with SW3 10.
				s.reply(m, sl, gen, 0, idcard.EncodeReply(0, 0, idcard.StatusChecksum, nil))
				continue
			}
			if body == nil {
				break
			}
			s.handle(m, sl, gen, body)
		}
	}
}

func (s *Sim) handle(m io.Writer, sl *os.File, gen int, body []byte) {
	s.mu.Lock()
	baud, fault := s.baud, s.fault
	s.mu.Unlock()
	wrongBaud := sl != nil && hostBaud(sl) != baud
	s.mu.Lock()
	s.stats.Requests++
	if fault == FaultSilent && !wrongBaud {
		s.stats.Ignored++
	}
	close(s.reqc)
	s.reqc = make(chan struct{})
	s.mu.Unlock()
	reqLen := len(body) + idcard.HeaderLen + 1
	if wrongBaud {
		// At the wrong rate the reader sees framing errors and the host
		// sees noise.
		s.mu.Lock()
		s.stats.BaudWrong++
		s.mu.Unlock()
		noise := make([]byte, reqLen)
		s.mu.Lock()
		for i := range noise {
			noise[i] = byte(s.rng.IntN(256)) &^ 0x01 // never 0x69, so never a whole preamble
		}
		s.mu.Unlock()
		s.send(m, gen, baud, noise, FaultNone)
		return
	}
	// The request itself takes wire time to arrive.
	time.Sleep(wireTime(reqLen, baud))
	if fault == FaultSilent {
		s.mu.Lock()
		s.spendLocked(fault)
		s.mu.Unlock()
		return
	}
	if len(body) < 2 {
		s.reply(m, sl, gen, 0, idcard.EncodeReply(0, 0, idcard.StatusLength, nil))
		return
	}
	cmd, para := body[0], body[1]
	var out []byte
	newBaud := 0
	s.mu.Lock()
	switch {
	case cmd == idcard.CmdSAM && para == idcard.ParaNone, cmd == idcard.CmdSAMStat && para == idcard.ParaNone:
		if fault == FaultSAMSelfTest {
			out = idcard.EncodeReply(0, 0, idcard.StatusSAMSelfTest, nil)
			s.spendLocked(fault)
		} else {
			out = idcard.EncodeReply(0, 0, idcard.StatusOK, nil)
		}
	case cmd == idcard.CmdSAMID && para == idcard.ParaNone:
		out = idcard.EncodeReply(0, 0, idcard.StatusOK, s.samID[:])
	case cmd == idcard.CmdCard && para == idcard.ParaFind:
		if s.card != nil && (!s.halted || s.refind) {
			s.found = true
			out = idcard.EncodeReply(0, 0, idcard.StatusFound, []byte{0, 0, 0, 0})
		} else {
			out = idcard.EncodeReply(0, 0, idcard.StatusNoCard, []byte{0, 0, 0, 0})
		}
	case cmd == idcard.CmdCard && para == idcard.ParaSelect:
		if s.card != nil && s.found {
			s.sel = true
			reply := make([]byte, 8) // what real readers answer
			if s.serials {
				reply = s.card.serial[:]
			}
			out = idcard.EncodeReply(0, 0, idcard.StatusOK, reply)
		} else {
			out = idcard.EncodeReply(0, 0, idcard.StatusSelectFailed, make([]byte, 8))
		}
	case cmd == idcard.CmdRead && (para == idcard.ParaReadText || para == idcard.ParaReadFinger):
		withFinger := para == idcard.ParaReadFinger
		switch {
		case fault == FaultSAMSelfTest:
			out = idcard.EncodeReply(0, 0, idcard.StatusSAMSelfTest, nil)
			s.spendLocked(fault)
		case s.card == nil || !s.sel:
			out = idcard.EncodeReply(0, 0, idcard.StatusReadFailed, nil)
		case fault == FaultRemoveMidRead:
			// The RF read breaks off; the reader reports it after a while.
			s.removeLocked()
			s.spendLocked(fault)
			s.mu.Unlock()
			time.Sleep(150 * time.Millisecond)
			s.reply(m, sl, gen, fault, idcard.EncodeReply(0, 0, idcard.StatusReadFailed, nil))
			return
		default:
			c, _ := Fixture(s.cardNm)
			text, err := idcard.EncodeText(c)
			if err != nil {
				s.log.Error("idcardsim: fixture does not encode", "fixture", s.cardNm, "err", err)
				out = idcard.EncodeReply(0, 0, idcard.StatusReadFailed, nil)
				break
			}
			data := idcard.EncodeRead(idcard.ReadResult{Text: text, Photo: c.Photo, Fingerprint: c.Fingerprint}, withFinger)
			out = idcard.EncodeReply(0, 0, idcard.StatusOK, data)
			s.halted = true
			s.stats.Reads++
			if fault == FaultBadChecksum {
				out[len(out)-1] ^= 0x5A
				s.spendLocked(fault)
			}
		}
	case cmd == idcard.CmdRead && para == idcard.ParaReadAddress:
		switch {
		case s.card == nil || !s.sel:
			out = idcard.EncodeReply(0, 0, idcard.StatusReadFailed, nil)
		case s.card.address == "":
			out = idcard.EncodeReply(0, 0, idcard.StatusNoContent, nil)
		default:
			blk := make([]byte, 70)
			for i := 0; i < len(blk); i += 2 {
				blk[i] = ' '
			}
			for i, r := range []rune(s.card.address) {
				if 2*i+1 < len(blk) && r < 0x10000 {
					blk[2*i], blk[2*i+1] = byte(r), byte(r>>8)
				}
			}
			out = idcard.EncodeReply(0, 0, idcard.StatusOK, blk)
		}
	case cmd == idcard.CmdSetBaud:
		if b, err := idcard.BaudFromCode(para); err == nil {
			newBaud = b
			out = idcard.EncodeReply(0, 0, idcard.StatusOK, nil)
		} else {
			out = idcard.EncodeReply(0, 0, idcard.StatusCommand, nil)
		}
	case cmd == idcard.CmdSetFrame && para == idcard.ParaNone && len(body) == 3:
		out = idcard.EncodeReply(0, 0, idcard.StatusOK, nil)
	default:
		out = idcard.EncodeReply(0, 0, idcard.StatusCommand, nil)
	}
	s.mu.Unlock()
	s.reply(m, sl, gen, fault, out)
	if newBaud != 0 {
		s.mu.Lock()
		s.baud = newBaud
		s.mu.Unlock()
	}
}

// reply sends a frame with the current fault's distortions.
func (s *Sim) reply(m io.Writer, sl *os.File, gen int, fault Fault, frame []byte) {
	s.mu.Lock()
	baud := s.baud
	switch fault {
	case FaultGarbage, FaultSplit, FaultSlow:
		s.spendLocked(fault)
	}
	if fault == FaultGarbage {
		g := make([]byte, 1+s.rng.IntN(40))
		for i := range g {
			g[i] = byte(s.rng.IntN(256))
		}
		// A lone partial preamble makes the noise harder to skip.
		g = append(g, 0xAA, 0xAA, 0xAA)
		frame = append(g, frame...)
	}
	s.mu.Unlock()
	s.send(m, gen, baud, frame, fault)
}

func wireTime(n, baud int) time.Duration {
	return time.Duration(n) * 10 * time.Second / time.Duration(baud)
}

// send writes b paced at baud: each byte is handed over once its ten bits
// would have arrived.
func (s *Sim) send(m io.Writer, gen, baud int, b []byte, fault Fault) {
	chunk := max(1, baud/10/500) // about 2 ms of line per write
	if fault == FaultSlow {
		baud = max(1, baud/s.slow)
		chunk = max(1, baud/10/100)
	}
	start := time.Now()
	for off := 0; off < len(b); {
		n := chunk
		if fault == FaultSplit {
			s.mu.Lock()
			n = 1 + s.rng.IntN(7)
			s.mu.Unlock()
		}
		end := min(len(b), off+n)
		due := start.Add(wireTime(end, baud))
		if fault == FaultSplit {
			due = due.Add(time.Duration(off/7) * time.Millisecond)
		}
		if d := time.Until(due); d > 0 {
			time.Sleep(d)
		}
		if !s.current(gen) {
			return
		}
		if _, err := m.Write(b[off:end]); err != nil {
			return
		}
		off = end
	}
}
