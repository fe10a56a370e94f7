package hosttest

import (
	"context"
	"sync"

	"github.com/henan-county/kiosk/kiosk/session"
)

// Handwriting is a recogniser for tests (host.Handwriting): it records
// every request and answers as told. It is not among All's ports; a test
// that wants the writing pad sets it. The zero value answers by the
// number of strokes: 一 for one, 十 for two, 王 for more, each with two
// look-alikes after it.
type Handwriting struct {
	mu     sync.Mutex
	answer func(strokes [][]session.Point) ([]string, error)
	calls  [][][]session.Point
}

// AnswerWith sets how requests are answered (nil: by the number of
// strokes).
func (h *Handwriting) AnswerWith(f func(strokes [][]session.Point) ([]string, error)) {
	h.mu.Lock()
	h.answer = f
	h.mu.Unlock()
}

// Recognize records the strokes and answers.
func (h *Handwriting) Recognize(ctx context.Context, strokes [][]session.Point) ([]string, error) {
	cp := make([][]session.Point, len(strokes))
	for i, s := range strokes {
		cp[i] = append([]session.Point(nil), s...)
	}
	h.mu.Lock()
	h.calls = append(h.calls, cp)
	answer := h.answer
	h.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if answer != nil {
		return answer(cp)
	}
	switch len(strokes) {
	case 1:
		return []string{"一", "乙", "丨"}, nil
	case 2:
		return []string{"十", "七", "乂"}, nil
	}
	return []string{"王", "玉", "主"}, nil
}

// Calls returns the strokes of every request so far.
func (h *Handwriting) Calls() [][][]session.Point {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([][][]session.Point(nil), h.calls...)
}
