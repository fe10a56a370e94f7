// Package eventlog keeps the kiosk's recent events in a ring buffer for
// technicians (kioskctl events, the diagnostics screen): device changes,
// sessions, catalog applies and rejections, outbox parking. Every event is
// masked before it is stored; followers receive new events as they come.
package eventlog

import (
	"sync"
	"time"

	"github.com/henan-county/kiosk/kiosk/mask"
)

// Event is one recorded event.
type Event struct {
	Seq    uint64            `json:"seq"`
	Time   time.Time         `json:"time"`
	Kind   string            `json:"kind"` // device, session, catalog, outbox, admin, gpio
	Source string            `json:"source,omitempty"`
	Text   string            `json:"text"`
	Fields map[string]string `json:"fields,omitempty"`
}

// Log is a fixed-size ring of events.
type Log struct {
	now func() time.Time

	mu   sync.Mutex
	buf  []Event
	next int
	seq  uint64
	subs map[chan Event]struct{}
}

// New returns a log keeping the last size events.
func New(size int, now func() time.Time) *Log {
	if size <= 0 {
		size = 512
	}
	if now == nil {
		now = time.Now
	}
	return &Log{now: now, buf: make([]Event, 0, size), subs: map[chan Event]struct{}{}}
}

// Add records an event, masking its text and fields.
func (l *Log) Add(kind, source, text string, fields map[string]string) {
	e := Event{Time: l.now(), Kind: kind, Source: source, Text: mask.Text(text)}
	if len(fields) > 0 {
		e.Fields = make(map[string]string, len(fields))
		for k, v := range fields {
			e.Fields[k] = mask.Text(v)
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.seq++
	e.Seq = l.seq
	if len(l.buf) < cap(l.buf) {
		l.buf = append(l.buf, e)
	} else {
		l.buf[l.next] = e
		l.next = (l.next + 1) % len(l.buf)
	}
	for ch := range l.subs {
		select {
		case ch <- e:
		default: // a slow follower misses events rather than blocking the kiosk
		}
	}
}

// Recent returns up to n of the newest events, oldest first.
func (l *Log) Recent(n int) []Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]Event, 0, len(l.buf))
	out = append(out, l.buf[l.next:]...)
	out = append(out, l.buf[:l.next]...)
	if n > 0 && len(out) > n {
		out = out[len(out)-n:]
	}
	return out
}

// Follow returns a channel of new events and a function ending it.
func (l *Log) Follow() (<-chan Event, func()) {
	ch := make(chan Event, 64)
	l.mu.Lock()
	l.subs[ch] = struct{}{}
	l.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			l.mu.Lock()
			delete(l.subs, ch)
			l.mu.Unlock()
			close(ch)
		})
	}
}
