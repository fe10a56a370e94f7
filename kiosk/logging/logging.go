// Package logging builds the daemon's slog handler: it masks anything that
// looks like a resident's ID, permit or phone number with mask.Text as a
// last line of defence (callers mask first), and rate-limits repeated
// records so a device failing every second does not flood the journal.
package logging

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/henan-county/kiosk/kiosk/mask"
)

// Opts tunes the handler.
type Opts struct {
	// Window in which identical records (same level, message and error)
	// are counted rather than written again. 0 means one minute.
	Window time.Duration
	Now    func() time.Time
}

// Handler wraps another slog.Handler.
type Handler struct {
	next slog.Handler
	lim  *limiter
}

type limiter struct {
	window time.Duration
	now    func() time.Time
	mu     sync.Mutex
	seen   map[string]*entry
}

type entry struct {
	first      time.Time
	suppressed int
}

// New returns a masking, rate-limiting handler in front of next.
func New(next slog.Handler, o *Opts) *Handler {
	l := &limiter{window: time.Minute, now: time.Now, seen: map[string]*entry{}}
	if o != nil {
		if o.Window > 0 {
			l.window = o.Window
		}
		if o.Now != nil {
			l.now = o.Now
		}
	}
	return &Handler{next: next, lim: l}
}

// Enabled reports whether next handles level.
func (h *Handler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.next.Enabled(ctx, level)
}

// Handle masks the record and writes it unless it repeats one written
// within the window; the first record after the window says how many were
// suppressed.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	nr := slog.NewRecord(r.Time, r.Level, mask.Text(r.Message), r.PC)
	key := r.Level.String() + "\x00" + nr.Message // masked: the key is kept for a window
	r.Attrs(func(a slog.Attr) bool {
		a = scrubAttr(a)
		if a.Key == "err" || a.Key == "error" || a.Key == "device" {
			key += "\x00" + a.Value.String()
		}
		nr.AddAttrs(a)
		return true
	})
	if r.Level >= slog.LevelWarn {
		if ok, n := h.lim.allow(key); !ok {
			return nil
		} else if n > 0 {
			nr.AddAttrs(slog.Int("suppressed_repeats", n))
		}
	}
	return h.next.Handle(ctx, nr)
}

func (l *limiter) allow(key string) (bool, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	e, ok := l.seen[key]
	if !ok || now.Sub(e.first) >= l.window {
		n := 0
		if ok {
			n = e.suppressed
		}
		l.seen[key] = &entry{first: now}
		if len(l.seen) > 4096 {
			for k, v := range l.seen {
				if now.Sub(v.first) >= l.window {
					delete(l.seen, k)
				}
			}
		}
		return true, n
	}
	e.suppressed++
	return false, 0
}

func scrubAttr(a slog.Attr) slog.Attr {
	a.Value = a.Value.Resolve() // a LogValuer could hide a number
	switch a.Value.Kind() {
	case slog.KindString:
		return slog.String(a.Key, mask.Text(a.Value.String()))
	case slog.KindInt64, slog.KindUint64:
		// A phone number logged as a number.
		if s := a.Value.String(); mask.Text(s) != s {
			return slog.String(a.Key, mask.Text(s))
		}
	case slog.KindGroup:
		g := a.Value.Group()
		out := make([]any, len(g))
		for i, x := range g {
			out[i] = scrubAttr(x)
		}
		return slog.Group(a.Key, out...)
	case slog.KindAny:
		if err, ok := a.Value.Any().(error); ok {
			return slog.String(a.Key, mask.Text(err.Error()))
		}
		return slog.String(a.Key, mask.Text(fmt.Sprint(a.Value.Any())))
	}
	return a
}

// WithAttrs returns a handler with attrs added (scrubbed).
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	s := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		s[i] = scrubAttr(a)
	}
	return &Handler{next: h.next.WithAttrs(s), lim: h.lim}
}

// WithGroup returns a handler that nests attrs in a group.
func (h *Handler) WithGroup(name string) slog.Handler {
	return &Handler{next: h.next.WithGroup(name), lim: h.lim}
}
