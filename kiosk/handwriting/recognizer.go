package handwriting

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// DefaultModel is where Debian's tegaki-zinnia-simplified-chinese puts
// its model.
const DefaultModel = "/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model"

// ErrNotInstalled is returned by New when the zinnia command or the model
// is missing (Debian: zinnia-utils, tegaki-zinnia-simplified-chinese).
var ErrNotInstalled = errors.New("handwriting: recogniser not installed")

// Opts configures a Recognizer; nil or zero fields take defaults.
type Opts struct {
	Command string // default "zinnia" (found on PATH)
	Model   string // default DefaultModel
	// Size is the writing area's side in the strokes' units (default
	// 1000): points run from 0 to Size on both axes.
	Size int
	// Candidates is how many candidates each answer has (default 20).
	Candidates int
}

// DefaultOpts are the options nil stands for.
var DefaultOpts = Opts{Command: "zinnia", Model: DefaultModel, Size: 1000, Candidates: 20}

// Recognizer recognises characters with one zinnia process, started at
// the first request and kept running. One request is served at a time;
// it is safe for concurrent use.
type Recognizer struct {
	o Opts

	mu  sync.Mutex // serialises requests and guards the fields below
	p   *proc
	seq uint64
	buf []byte
}

// New checks that the command and the model are there and returns a
// Recognizer; the process starts at the first Recognize. A missing piece
// is ErrNotInstalled, wrapped with what is missing.
func New(opts *Opts) (*Recognizer, error) {
	o := DefaultOpts
	if opts != nil {
		if opts.Command != "" {
			o.Command = opts.Command
		}
		if opts.Model != "" {
			o.Model = opts.Model
		}
		if opts.Size > 0 {
			o.Size = opts.Size
		}
		if opts.Candidates > 0 {
			o.Candidates = opts.Candidates
		}
	}
	path, err := exec.LookPath(o.Command)
	if err != nil {
		return nil, fmt.Errorf("%w: command %s not found (Debian package zinnia-utils)", ErrNotInstalled, o.Command)
	}
	o.Command = path
	if st, err := os.Stat(o.Model); err != nil || !st.Mode().IsRegular() || st.Size() == 0 {
		return nil, fmt.Errorf("%w: model %s not found (Debian package tegaki-zinnia-simplified-chinese)", ErrNotInstalled, o.Model)
	}
	return &Recognizer{o: o}, nil
}

// String names the recogniser.
func (r *Recognizer) String() string { return "zinnia(" + r.o.Model + ")" }

// Size is the writing area's side in the strokes' units.
func (r *Recognizer) Size() int { return r.o.Size }

// Recognize returns the candidates for one character written as strokes
// (in the writing area's units), best first. It starts the process when
// none runs. After an error, or when ctx ends first, the process is
// stopped and the next request starts a new one.
func (r *Recognizer) Recognize(ctx context.Context, strokes []Stroke) ([]Candidate, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seq++
	id := "k" + strconv.FormatUint(r.seq, 10)
	var err error
	r.buf, err = AppendCharacter(r.buf[:0], id, r.o.Size, strokes)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("handwriting: recognise: %w", err)
	}
	if r.p == nil {
		if r.p, err = start(r.o); err != nil {
			return nil, err
		}
	}
	cands, err := r.p.ask(ctx, r.buf, id, r.o.Candidates)
	if err != nil {
		r.p.stop()
		r.p = nil
		return nil, err
	}
	return cands, nil
}

// Close stops the process, if one runs. A later Recognize starts a new
// one.
func (r *Recognizer) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.p != nil {
		r.p.stop()
		r.p = nil
	}
	return nil
}

// proc is one running zinnia.
type proc struct {
	cmd    *exec.Cmd
	in     *os.File      // its standard input (a pipe, so writes take deadlines)
	lines  chan string   // its standard output, line by line; closed when it has exited
	quit   chan struct{} // closed by stop
	exited chan struct{} // closed when the process has exited
	stderr *tailBuffer
	werr   error // Wait's answer, once exited is closed
}

func start(o Opts) (*proc, error) {
	inR, inW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("handwriting: start: %w", err)
	}
	cmd := exec.Command(o.Command, "-m", o.Model, "-n", strconv.Itoa(o.Candidates))
	cmd.Stdin = inR
	// Its own process group, so that stop can end it with anything it
	// started that still holds its output.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := cmd.StdoutPipe()
	if err != nil {
		inR.Close()
		inW.Close()
		return nil, fmt.Errorf("handwriting: start: %w", err)
	}
	p := &proc{cmd: cmd, in: inW, lines: make(chan string, 64), quit: make(chan struct{}),
		exited: make(chan struct{}), stderr: &tailBuffer{max: 512}}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		inR.Close()
		inW.Close()
		return nil, fmt.Errorf("handwriting: start %s: %w", o.Command, err)
	}
	inR.Close() // the child has its own copy
	go p.read(out)
	return p, nil
}

// read passes the process's output on, line by line, until it ends, then
// waits for the process and closes lines (after the lines still queued).
func (p *proc) read(out io.Reader) {
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 0, 4096), 64*1024)
	for sc.Scan() {
		select {
		case p.lines <- sc.Text():
		case <-p.quit:
		}
	}
	p.werr = p.cmd.Wait()
	close(p.lines)
	close(p.exited)
}

// ask writes one request and reads its answer: the header echoing id,
// then exactly n candidates.
func (p *proc) ask(ctx context.Context, req []byte, id string, n int) ([]Candidate, error) {
	if dl, ok := ctx.Deadline(); ok {
		_ = p.in.SetWriteDeadline(dl)
	} else {
		_ = p.in.SetWriteDeadline(time.Time{})
	}
	if _, err := p.in.Write(req); err != nil {
		return nil, fmt.Errorf("handwriting: recognise: write: %w%s", err, p.died())
	}
	header := false
	out := make([]Candidate, 0, n)
	for len(out) < n {
		var line string
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("handwriting: recognise: %w", ctx.Err())
		case l, ok := <-p.lines:
			if !ok {
				return nil, fmt.Errorf("handwriting: recognise: zinnia ended before answering%s", p.died())
			}
			line = l
		}
		if !header {
			got, ok := ParseAnswer(line)
			if !ok || got != id {
				return nil, fmt.Errorf("handwriting: recognise: answer header %q, want request %s", line, id)
			}
			header = true
			continue
		}
		c, err := ParseCandidate(line)
		if err != nil {
			return nil, fmt.Errorf("handwriting: recognise: %w", err)
		}
		out = append(out, c)
	}
	return out, nil
}

// died says how the process ended, when it has.
func (p *proc) died() string {
	select {
	case <-p.exited:
		return fmt.Sprintf(" (zinnia exited: %v; %q)", p.werr, p.stderr.String())
	default:
		return ""
	}
}

// stop ends the process and waits for it.
func (p *proc) stop() {
	close(p.quit)
	p.in.Close() // zinnia ends at the end of its input
	select {
	case <-p.exited:
	case <-time.After(250 * time.Millisecond):
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		<-p.exited
	}
}

// tailBuffer keeps the last max bytes written to it (the process's
// standard error, for error messages).
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, b...)
	if len(t.b) > t.max {
		t.b = append(t.b[:0], t.b[len(t.b)-t.max:]...)
	}
	return len(b), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}
