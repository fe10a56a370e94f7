// Package printersim is a simulated ESC/POS receipt printer on a
// pseudo-terminal. It speaks the real wire protocol: it reads at the pace
// of its baud rate (10 bits a byte), parses everything it is sent, answers
// DLE EOT status requests, honours XON/XOFF, and draws the paper roll into
// one PNG per cut. Tests and `make run` point the real driver
// (drivers/escpos over drivers/serialport) at its stable symlink exactly as
// they would at /dev/ttyUSB0.
//
// Faults on command: run out of paper after n more bytes, paper low, cover
// open, offline, cutter error, silent (answers nothing), unplugged and
// plugged back in.
//
// Conn puts the printer on an in-memory line (a socket pair) instead: the
// same protocol, pacing and faults, for a driver built over a transport
// (escpos.Opts.Open) rather than a path.
package printersim

import (
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/henan-county/kiosk/drivers/serialport"
	"golang.org/x/image/font"
)

// Paper states for SetPaper.
const (
	PaperOK  = "ok"
	PaperLow = "low"
	PaperOut = "out"
)

// ErrUnplugged: Conn was called while the printer is unplugged.
var ErrUnplugged = errors.New("printersim: printer unplugged")

// Opts configures a simulated printer.
type Opts struct {
	// Link is the stable path (a symlink to the pty) the driver opens.
	// Empty: no pty; the driver connects with Conn.
	Link string
	// Dir receives receipt-NNN.png for every cut (and receipt-NNN-partial.png
	// for a receipt cut short by paper running out). Empty: no files.
	Dir  string
	Baud int // 0 means 115200
	Dots int // 0 means 384 (58 mm)
	// PlainGBK: bytes from 0x80 up are GB18030 without FS &. Otherwise the
	// printer needs FS & … FS . and prints code-page junk without it.
	PlainGBK bool
	// XONXOFF: send XOFF when going offline or when the input buffer is
	// nearly full, XON when it can take data again. (A pty has no
	// RTS/CTS or DTR/DSR lines, so in-band XON/XOFF is the flow control
	// the simulator can really give.)
	XONXOFF bool
	// Buffer is the printer's input buffer in bytes (e.g. 4096). Zero: the
	// mechanism keeps up with any line (no buffer to overrun). With a
	// buffer, bytes wait in it until the mechanism takes them at PrintRate;
	// bytes arriving at a full buffer are dropped and counted (Dropped).
	// DLE EOT status requests are answered on arrival, as real-time
	// commands are.
	Buffer int
	// PrintRate is how many bytes a second the mechanism takes from the
	// buffer (0: 4000, slower than a 115200-baud line).
	PrintRate int
	// FontPath is the CJK font collection; empty means DefaultFont; "-"
	// means the built-in basicfont.
	FontPath string
	// OnReceipt is called for every cut, in order, from the simulator's
	// own goroutine once the PNG is written (pngPath is empty when Dir is
	// empty or the write failed). raw is the receipt's bytes without status
	// requests.
	OnReceipt func(pngPath string, raw []byte)
	Logger    *slog.Logger
}

// Sim is one simulated printer.
type Sim struct {
	opts Opts
	log  *slog.Logger
	face font.Face

	mu        sync.Mutex
	master    io.ReadWriteCloser // the printer's end of the line: pty master or socket
	slave     *os.File           // the pty's host end; nil on an in-memory line
	gen       int                // line generation, bumped by Unplug/Replug/Conn
	unplug    bool               // Unplug was called and Replug was not
	onConn    bool               // the printer is on an in-memory line
	paper     string
	outAfter  int64 // bytes until paper runs out; <0: never
	cover     bool
	offline   bool
	silent    bool
	cutterErr bool
	xoffSent  bool
	closed    bool
	buf       []byte // the input buffer (Opts.Buffer > 0)
	full      bool   // buffer above its high-water mark: XOFF until it drains
	dropped   int64  // bytes lost to a full buffer
	rt        []byte // the end of the input, for DLE EOT split across reads
	mechStop  chan struct{}
	mechDone  chan struct{}
	received  int64
	readers   []byteWaiter // ReceivedAtLeast callers not yet satisfied
	receipts  [][]byte
	raw       []byte // bytes of the receipt being printed
	nPNG      int
	partials  int
	pg        *Paper
	pending   []byte
	done      chan struct{}
	out       chan output   // finished pages for the writer goroutine
	outDone   chan struct{} // closed when the writer has finished
}

// byteWaiter is closed once the printer has read n bytes in all.
type byteWaiter struct {
	n  int64
	ch chan struct{}
}

// output is one finished page: written and announced off the protocol
// path, so encoding a PNG never delays a status reply.
type output struct {
	img    *image.Gray
	path   string
	raw    []byte
	notify bool
}

func (s *Sim) writer(in <-chan output, done chan<- struct{}) {
	defer close(done)
	for o := range in {
		path := o.path
		if path != "" {
			if err := writePNG(path, o.img); err != nil {
				s.log.Error("simulated printer: write png", "err", err)
				path = ""
			}
		}
		if o.notify && s.opts.OnReceipt != nil {
			s.opts.OnReceipt(path, o.raw)
		}
	}
}

// New starts a simulated printer.
func New(opts *Opts) (*Sim, error) {
	var o Opts
	if opts != nil {
		o = *opts
	}
	if o.Baud <= 0 {
		o.Baud = 115200
	}
	if o.Dots <= 0 {
		o.Dots = 384
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	fp := o.FontPath
	if fp == "" {
		fp = DefaultFont
	}
	if fp == "-" {
		fp = ""
	}
	face, _ := LoadFace(fp)
	s := &Sim{opts: o, log: log, face: face, paper: PaperOK, outAfter: -1}
	s.pg = NewPaper(o.Dots, o.PlainGBK, face)
	s.out, s.outDone = make(chan output, 64), make(chan struct{})
	go s.writer(s.out, s.outDone)
	if o.Buffer > 0 {
		if s.opts.PrintRate <= 0 {
			s.opts.PrintRate = 4000
		}
		s.mechStop, s.mechDone = make(chan struct{}), make(chan struct{})
		go s.mechanism()
	}
	if o.Link == "" {
		return s, nil
	}
	if err := s.plug(); err != nil {
		close(s.out)
		return nil, err
	}
	return s, nil
}

// Path returns the link the driver opens.
func (s *Sim) Path() string { return s.opts.Link }

// plug creates a pty, points the link at it and starts reading.
func (s *Sim) plug() error {
	m, sl, err := serialport.LinkPTY(s.opts.Link, s.opts.Baud)
	if err != nil {
		return fmt.Errorf("printersim: %w", err)
	}
	s.attach(m, sl)
	return nil
}

// attach makes m (and the pty's host end sl, nil on an in-memory line)
// the printer's line and starts reading it.
func (s *Sim) attach(m io.ReadWriteCloser, sl *os.File) {
	s.mu.Lock()
	s.master, s.slave = m, sl
	s.unplug, s.onConn = false, sl == nil
	s.gen++
	gen := s.gen
	s.done = make(chan struct{})
	done := s.done
	s.pending = s.pending[:0]
	s.mu.Unlock()
	go s.readLoop(m, gen, done)
}

// Conn moves the printer onto a new in-memory line and returns the host's
// end, as if its cable had been moved: the pty and its link go away, and
// a line from an earlier Conn is cut. The line is a socket pair, buffered
// both ways like a serial line; the printer still reads at Opts.Baud.
// While the printer is unplugged Conn fails with ErrUnplugged.
func (s *Sim) Conn() (net.Conn, error) {
	s.mu.Lock()
	closed, unplugged := s.closed, s.unplug
	s.mu.Unlock()
	if closed {
		return nil, errors.New("printersim: connect: simulator closed")
	}
	if unplugged {
		return nil, fmt.Errorf("printersim: connect: %w", ErrUnplugged)
	}
	if err := s.detach(); err != nil {
		return nil, err
	}
	a, b, err := serialport.Pair("printersim-line")
	if err != nil {
		return nil, fmt.Errorf("printersim: connect: %w", err)
	}
	s.attach(a, nil)
	return b, nil
}

func wire(n int, baud int) time.Duration {
	return time.Duration(int64(n) * 10 * int64(time.Second) / int64(baud))
}

// readLoop consumes what the driver sends at the line rate.
func (s *Sim) readLoop(m io.Reader, gen int, done chan struct{}) {
	defer close(done)
	buf := make([]byte, 32)
	var next time.Time
	for {
		t0 := time.Now()
		n, err := m.Read(buf)
		if n > 0 {
			// The receive clock: each byte takes its wire time. When the
			// read had to wait, the line was idle and the clock restarts
			// now; when data was already queued the clock runs on, so time
			// spent printing is not added to the line's.
			if now := time.Now(); now.Sub(t0) > time.Millisecond && next.Before(now) {
				next = now
			}
			if next.IsZero() {
				next = t0
			}
			next = next.Add(wire(n, s.opts.Baud))
			time.Sleep(time.Until(next))
			if s.opts.Buffer > 0 {
				s.receive(buf[:n], gen)
			} else {
				s.consume(buf[:n], gen)
			}
		}
		if err != nil {
			return
		}
	}
}

func (s *Sim) consume(b []byte, gen int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.consumeLocked(b, gen)
}

func (s *Sim) consumeLocked(b []byte, gen int) {
	if gen != s.gen {
		return
	}
	s.received += int64(len(b))
	kept := s.readers[:0]
	for _, w := range s.readers {
		if s.received >= w.n {
			close(w.ch)
			continue
		}
		kept = append(kept, w)
	}
	s.readers = kept
	if !s.usableLocked() {
		s.realTimeOnlyLocked(b)
		return
	}
	s.pending = append(s.pending, b...)
	for len(s.pending) > 0 {
		c, n, err := Next(s.pending)
		if err != nil {
			break // incomplete: wait for more
		}
		cmdBytes := s.pending[:n]
		if c.Op == OpStatus {
			if s.opts.Buffer == 0 { // else answered on arrival
				s.answerLocked(c.N)
			}
		} else {
			s.printLocked(c, cmdBytes)
		}
		s.pending = s.pending[n:]
	}
	// Keep the buffer from creeping through memory.
	if len(s.pending) == 0 {
		s.pending = s.pending[:0:0]
	}
}

// realTimeOnlyLocked is a printer in an error state (paper out, cover
// open, offline, cutter jammed): it takes no data, and what it had of a
// command cut short is lost, but it still answers the real-time status
// request DLE EOT n wherever it arrives. Without this a status request
// sent after a job paused mid-command (XOFF at paper out) was swallowed as
// that command's parameters.
func (s *Sim) realTimeOnlyLocked(b []byte) {
	buf := append(s.pending, b...)
	s.pending = s.pending[:0:0]
	for i := 0; i < len(buf); i++ {
		if buf[i] != 0x10 {
			continue
		}
		switch {
		case i+2 < len(buf) && buf[i+1] == 0x04:
			if n := int(buf[i+2]); n >= 1 && n <= 4 && s.opts.Buffer == 0 {
				s.answerLocked(n)
			}
			i += 2
		case i+1 == len(buf) || i+2 == len(buf) && buf[i+1] == 0x04:
			// A request cut by the line: keep it for the next bytes.
			s.pending = append(s.pending, buf[i:]...)
			return
		}
	}
}

// printLocked applies one command to the paper, unless the printer cannot
// print now.
func (s *Sim) printLocked(c Cmd, b []byte) {
	if s.outAfter >= 0 {
		s.outAfter -= int64(len(b))
		if s.outAfter < 0 {
			s.outAfter = -1
			s.paper = PaperOut
			s.log.Info("simulated printer ran out of paper")
			s.partialLocked()
			s.flowLocked()
		}
	}
	if !s.usableLocked() {
		return // offline: data is lost, as on a real printer
	}
	s.raw = append(s.raw, b...)
	if img := s.pg.Apply(c); img != nil {
		raw := s.raw
		s.raw = nil
		s.receipts = append(s.receipts, raw)
		s.nPNG++
		path := ""
		if s.opts.Dir != "" {
			path = filepath.Join(s.opts.Dir, fmt.Sprintf("receipt-%03d.png", s.nPNG))
		}
		s.emitLocked(output{img: img, path: path, raw: raw, notify: true})
	}
}

func (s *Sim) partialLocked() {
	img := s.pg.Cut()
	s.raw = nil
	s.partials++
	if img == nil || s.opts.Dir == "" {
		return
	}
	s.nPNG++
	path := filepath.Join(s.opts.Dir, fmt.Sprintf("receipt-%03d-partial.png", s.nPNG))
	s.emitLocked(output{img: img, path: path})
}

func (s *Sim) emitLocked(o output) {
	if s.out == nil {
		return
	}
	s.out <- o
}

// writePNG writes img to path atomically, so a watcher never sees half a
// file.
func writePNG(path string, img image.Image) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}

func (s *Sim) usableLocked() bool {
	return s.paper != PaperOut && !s.cover && !s.offline && !s.cutterErr
}

// flowLocked sends XOFF when the printer cannot take data and XON when it
// can again.
func (s *Sim) flowLocked() {
	if !s.opts.XONXOFF || s.master == nil {
		return
	}
	stop := !s.usableLocked() || s.full
	if stop == s.xoffSent {
		return
	}
	s.xoffSent = stop
	b := byte(0x11)
	if stop {
		b = 0x13
	}
	s.master.Write([]byte{b})
}

// receive takes bytes off the line into the input buffer: real-time
// status requests are answered at once, the rest waits for the mechanism,
// and what does not fit is dropped.
func (s *Sim) receive(b []byte, gen int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if gen != s.gen {
		return
	}
	s.received += int64(len(b))
	kept := s.readers[:0]
	for _, w := range s.readers {
		if s.received >= w.n {
			close(w.ch)
			continue
		}
		kept = append(kept, w)
	}
	s.readers = kept
	// DLE EOT n, wherever it is (also split across reads).
	rt := append(s.rt, b...)
	for i := 0; i+2 < len(rt); i++ {
		if rt[i] == 0x10 && rt[i+1] == 0x04 && rt[i+2] >= 1 && rt[i+2] <= 4 && i+2 >= len(s.rt) {
			s.answerLocked(int(rt[i+2]))
		}
	}
	s.rt = append(s.rt[:0], rt[max(0, len(rt)-2):]...)
	room := s.opts.Buffer - len(s.buf)
	take := min(room, len(b))
	s.buf = append(s.buf, b[:take]...)
	if lost := len(b) - take; lost > 0 {
		if s.dropped == 0 {
			s.log.Warn("simulated printer: input buffer overrun, bytes lost", "buffer", s.opts.Buffer)
		}
		s.dropped += int64(lost)
	}
	s.watermarkLocked()
}

// watermarkLocked holds the line (XOFF) once the buffer is half full, and
// releases it once it has drained to a quarter: the free half covers what
// is already on its way when the driver hears XOFF (its 256-byte pacing
// window and however long its reader takes to act, which on a loaded
// machine running the race detector was seen to be over 100 ms).
func (s *Sim) watermarkLocked() {
	margin := max(512, s.opts.Buffer/2)
	switch {
	case !s.full && len(s.buf) >= s.opts.Buffer-margin:
		s.full = true
	case s.full && len(s.buf) <= s.opts.Buffer/4:
		s.full = false
	}
	s.flowLocked()
}

// mechanism takes bytes from the input buffer at PrintRate and prints
// them. A printer in an error state loses what it holds, as without a
// buffer.
func (s *Sim) mechanism() {
	defer close(s.mechDone)
	const tick = 10 * time.Millisecond
	t := time.NewTicker(tick)
	defer t.Stop()
	credit := 0.0
	for {
		select {
		case <-s.mechStop:
			return
		case <-t.C:
		}
		s.mu.Lock()
		credit = min(credit+float64(s.opts.PrintRate)*tick.Seconds(), float64(s.opts.Buffer))
		n := min(int(credit), len(s.buf))
		if n > 0 {
			credit -= float64(n)
			chunk := append([]byte(nil), s.buf[:n]...)
			s.buf = append(s.buf[:0], s.buf[n:]...)
			s.consumeLocked(chunk, s.gen)
			s.watermarkLocked()
		} else if len(s.buf) == 0 {
			credit = 0 // an idle mechanism saves up nothing
		}
		s.mu.Unlock()
	}
}

// Dropped returns how many bytes were lost to a full input buffer.
func (s *Sim) Dropped() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dropped
}

// Buffered returns how many bytes wait in the input buffer.
func (s *Sim) Buffered() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.buf)
}

// StatusByte is the simulated reply to DLE EOT n.
func (s *Sim) StatusByte(n int) (byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.statusLocked(n)
}

func (s *Sim) statusLocked(n int) (byte, bool) {
	b := byte(0x12)
	switch n {
	case 1:
		if !s.usableLocked() {
			b |= 0x08
		}
	case 2:
		if s.cover {
			b |= 0x04
		}
		if s.paper == PaperOut {
			b |= 0x20
		}
		if s.cutterErr {
			b |= 0x40
		}
	case 3:
		if s.cutterErr {
			b |= 0x08
		}
	case 4:
		switch s.paper {
		case PaperLow:
			b |= 0x0c
		case PaperOut:
			b |= 0x60
		}
	default:
		return 0, false
	}
	return b, true
}

func (s *Sim) answerLocked(n int) {
	if s.silent || s.master == nil {
		return
	}
	if b, ok := s.statusLocked(n); ok {
		s.master.Write([]byte{b})
	}
}

// Inject sends raw bytes to the driver as if the printer had sent them:
// line noise, a late status reply, a stray XON.
func (s *Sim) Inject(b []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.master == nil {
		return errors.New("printersim: inject: unplugged")
	}
	_, err := s.master.Write(b)
	return err
}

// PaperOutAfter makes the paper run out after n more bytes of print data.
func (s *Sim) PaperOutAfter(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.outAfter = int64(n)
}

// SetPaper sets the paper roll: PaperOK, PaperLow or PaperOut.
func (s *Sim) SetPaper(state string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.paper != PaperOut && state == PaperOut {
		s.partialLocked()
	}
	s.paper = state
	if state != PaperOut {
		s.outAfter = -1
	}
	s.flowLocked()
}

// OpenCover opens or closes the paper cover.
func (s *Sim) OpenCover(open bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cover = open
	s.flowLocked()
}

// SetOffline takes the printer offline (it still answers status requests).
func (s *Sim) SetOffline(off bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.offline = off
	s.flowLocked()
}

// SetCutterError sets or clears an auto-cutter error.
func (s *Sim) SetCutterError(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cutterErr = on
	s.flowLocked()
}

// SetSilent makes the printer stop answering anything (a hung printer).
func (s *Sim) SetSilent(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.silent = on
}

// Unplug makes the device vanish: the link is removed and the pty
// closed, or the in-memory line is cut (the driver reads EOF) and Conn
// refuses until Replug.
func (s *Sim) Unplug() error {
	s.mu.Lock()
	s.unplug = true
	s.mu.Unlock()
	return s.detach()
}

// detach closes the current line and waits for its reader to stop.
func (s *Sim) detach() error {
	s.mu.Lock()
	if s.master == nil {
		s.mu.Unlock()
		return nil
	}
	m, sl, done := s.master, s.slave, s.done
	s.master, s.slave = nil, nil
	s.gen++
	s.xoffSent = false
	s.buf, s.full, s.rt = s.buf[:0], false, s.rt[:0]
	s.mu.Unlock()
	if sl != nil {
		os.Remove(s.opts.Link)
	}
	m.Close()
	if sl != nil {
		sl.Close()
	}
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		return errors.New("printersim: unplug: reader did not stop")
	}
	return nil
}

// Replug brings the device back at the same link, or, for a printer on
// an in-memory line or without a link, lets Conn connect again.
func (s *Sim) Replug() error {
	s.mu.Lock()
	if s.closed || !s.unplug {
		s.mu.Unlock()
		return nil
	}
	if s.onConn || s.opts.Link == "" {
		s.unplug = false
		s.mu.Unlock()
		return nil
	}
	s.mu.Unlock()
	return s.plug() // clears unplug once the pty is there
}

// Close unplugs the printer for good, once every finished page has been
// written and announced.
func (s *Sim) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	err := s.Unplug()
	if s.mechStop != nil {
		close(s.mechStop)
		<-s.mechDone
	}
	s.mu.Lock()
	close(s.out)
	s.out = nil
	s.mu.Unlock()
	<-s.outDone
	return err
}

// Receipts returns the raw bytes of each cut receipt (status requests
// excluded).
func (s *Sim) Receipts() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([][]byte, len(s.receipts))
	for i, r := range s.receipts {
		out[i] = append([]byte(nil), r...)
	}
	return out
}

// Partials returns how many receipts were cut short by paper running out.
func (s *Sim) Partials() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.partials
}

// Received returns how many bytes the printer has read.
func (s *Sim) Received() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.received
}

// ReceivedAtLeast returns a channel closed once the printer has read n
// bytes in all (at once if it already has), so a test can act while a job
// is on the wire without polling Received.
func (s *Sim) ReceivedAtLeast(n int64) <-chan struct{} {
	ch := make(chan struct{})
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.received >= n {
		close(ch)
		return ch
	}
	s.readers = append(s.readers, byteWaiter{n: n, ch: ch})
	return ch
}
