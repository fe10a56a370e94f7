package logging

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"syscall"
)

// Under systemd, kioskd's standard error is a stream into journald. Each
// line there is stamped by journald, and a "<N>" prefix (sd-daemon(3)) sets
// its syslog priority, which `journalctl -p err` filters on. The journal
// handler writes that form: the priority instead of level=, no time=.

// UnderJournal reports whether f is connected to journald's stream:
// systemd sets JOURNAL_STREAM to the stream's "device:inode", and it
// holds only while f is still that stream (not redirected since).
func UnderJournal(f *os.File) bool {
	v := os.Getenv("JOURNAL_STREAM")
	if v == "" {
		return false
	}
	var dev, ino uint64
	if n, err := fmt.Sscanf(v, "%d:%d", &dev, &ino); n != 2 || err != nil {
		return false
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(int(f.Fd()), &st); err != nil {
		return false
	}
	return uint64(st.Dev) == dev && uint64(st.Ino) == ino
}

// Priority is the syslog priority of a slog level: debug 7, info 6,
// warn 4, error 3.
func Priority(l slog.Level) int {
	switch {
	case l >= slog.LevelError:
		return 3
	case l >= slog.LevelWarn:
		return 4
	case l >= slog.LevelInfo:
		return 6
	}
	return 7
}

// NewJournal returns a handler that writes each record to w as one line
// for journald: "<N>msg=… key=value…", at level and above.
func NewJournal(w io.Writer, level slog.Leveler) slog.Handler {
	j := &journal{mu: &sync.Mutex{}, w: w, buf: &bytes.Buffer{}}
	j.text = slog.NewTextHandler(j.buf, &slog.HandlerOptions{Level: level,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && (a.Key == slog.TimeKey || a.Key == slog.LevelKey) {
				return slog.Attr{}
			}
			return a
		}})
	return j
}

type journal struct {
	mu   *sync.Mutex
	w    io.Writer
	buf  *bytes.Buffer
	text slog.Handler
}

func (j *journal) Enabled(ctx context.Context, l slog.Level) bool { return j.text.Enabled(ctx, l) }

func (j *journal) Handle(ctx context.Context, r slog.Record) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.buf.Reset()
	fmt.Fprintf(j.buf, "<%d>", Priority(r.Level))
	if err := j.text.Handle(ctx, r); err != nil {
		return err
	}
	line := j.buf.Bytes()
	if !strings.HasSuffix(string(line), "\n") {
		line = append(line, '\n')
	}
	_, err := j.w.Write(line)
	return err
}

func (j *journal) WithAttrs(attrs []slog.Attr) slog.Handler {
	c := *j
	c.text = j.text.WithAttrs(attrs)
	return &c
}

func (j *journal) WithGroup(name string) slog.Handler {
	c := *j
	c.text = j.text.WithGroup(name)
	return &c
}
