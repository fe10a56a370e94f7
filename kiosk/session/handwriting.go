package session

import (
	"slices"

	"github.com/henan-county/kiosk/kiosk/ime"
)

// Handwriting entry: a writing pad in the text keyboard's place, for
// residents who cannot spell pinyin. Offered only where the kiosk has a
// recogniser (Opts.Handwriting). The resident switches between 拼音 and
// 手写, writes one character stroke by stroke, and picks it from the
// candidate bar (PickCandidate, as with pinyin). After each stroke the
// Machine asks for a recognition (the Recognize effect); the host runs it
// off its goroutine and posts Recognized. What was written is personal
// (a name, an address): it is wiped with the pad and with the session.

// PadSize is the writing pad's side in its own coordinates: a stroke's
// points run from 0 to PadSize on both axes, y down, whatever the pad's
// size on the screen.
const PadSize = 1000

// Point is one sample of a stroke on the writing pad.
type Point struct{ X, Y int }

// Limits of the ink on the pad: more is not one character.
const (
	maxPadStrokes   = 32
	maxStrokePoints = 256
)

// Resident actions on the writing pad.
type (
	// UseHandwriting switches the focused text field's input to the
	// writing pad (On) or back to pinyin. Ignored without a recogniser.
	UseHandwriting struct{ On bool }
	// Stroke adds one stroke written on the pad: its points in pad
	// coordinates, in the order written. The Machine takes ownership of
	// Points.
	Stroke struct{ Points []Point }
	// ClearPad wipes the pad and its candidates.
	ClearPad struct{}
	// PadDone: the resident has finished writing. A character still on
	// the pad is typed as its first candidate, the pad is wiped and the
	// field's input closes, showing the whole form again.
	PadDone struct{}
)

func (UseHandwriting) isEvent() {}
func (Stroke) isEvent()         {}
func (ClearPad) isEvent()       {}
func (PadDone) isEvent()        {}

// Recognized is the daemon's answer to a Recognize effect: the
// candidates for the pad's character, best first, or why there are none.
type Recognized struct {
	Seq        int
	Candidates []string
	Err        error
}

func (Recognized) isEvent() {}

// Recognize asks the daemon to recognise the character on the pad and
// post Recognized with the same Seq. Strokes is a copy for the daemon.
type Recognize struct {
	Seq     int
	Strokes [][]Point
}

func (Recognize) isEffect() {}

// pad is the writing pad's state.
type pad struct {
	on, off bool      // the resident chose 手写, or 拼音 (kept from field to field)
	strokes [][]Point // the ink, oldest first
	seq     int       // of the last Recognize; older answers are stale
}

// padOn reports whether text is written on the pad: the resident's
// choice, else in elder mode yes (the residents who most need it, and
// whose paged letters leave no room for a switch under them).
func (m *Machine) padOn() bool { return m.pad.on || m.elder && !m.pad.off }

func isPadAction(ev Event) bool {
	switch ev.(type) {
	case UseHandwriting, Stroke, ClearPad, PadDone:
		return true
	}
	return false
}

// padAction handles the writing pad on a focused text field.
func (m *Machine) padAction(ev Event, fx *effects) {
	if !m.o.Handwriting || !m.textFocus() {
		return
	}
	switch e := ev.(type) {
	case UseHandwriting:
		was := m.padOn()
		m.pad.on, m.pad.off = e.On, !e.On
		if m.padOn() != was {
			m.setPinyin(nil) // clears the letters, the candidates and the pad
		}
	case Stroke:
		s := cleanStroke(e.Points)
		clear(e.Points)
		if !m.padOn() || len(s) == 0 || len(m.pad.strokes) >= maxPadStrokes {
			return
		}
		m.pad.strokes = append(m.pad.strokes, s)
		m.pad.seq++
		ink := make([][]Point, len(m.pad.strokes))
		for i, s := range m.pad.strokes {
			ink[i] = slices.Clone(s)
		}
		fx.add(Recognize{Seq: m.pad.seq, Strokes: ink})
	case ClearPad:
		if m.padOn() {
			m.setPinyin(nil)
			if m.notice == noticeNotRecognised || m.notice == noticeRecogniserFailed {
				m.notice = ""
			}
		}
	case PadDone:
		if m.padOn() && len(m.pad.strokes) > 0 && len(m.cands) > 0 {
			m.setValue(m.focus, m.values[m.focus]+m.cands[0].Text)
		}
		m.setPinyin(nil)
		m.focus = ""
	}
}

// What the form says when the pad's character has no candidates.
const (
	noticeRecogniserFailed = "手写识别暂时出了问题，请点“清除”再写一次，或点“拼音”输入"
	noticeNotRecognised    = "没有认出这个字，请点“清除”再写一次"
)

// recognized takes the recogniser's answer for the ink on the pad now:
// the characters residents write (ime's common order) first, then the
// rest, each in the recogniser's order.
func (m *Machine) recognized(e Recognized) {
	if !m.padOn() || e.Seq != m.pad.seq || len(m.pad.strokes) == 0 || !m.textFocus() {
		return
	}
	clear(m.cands)
	m.cands, m.candFrom = m.cands[:0], 0
	if m.notice == noticeNotRecognised || m.notice == noticeRecogniserFailed {
		m.notice = ""
	}
	if e.Err != nil {
		m.notice = noticeRecogniserFailed
		return
	}
	eng := m.engine()
	seen := map[string]bool{}
	for _, common := range []bool{true, false} {
		for _, c := range e.Candidates {
			if c == "" || seen[c] || eng.Common(c) != common || len(m.cands) == maxCandidates {
				continue
			}
			seen[c] = true
			m.cands = append(m.cands, ime.Candidate{Text: c})
		}
	}
	if len(m.cands) == 0 {
		m.notice = noticeNotRecognised
	}
}

// clearPad wipes the ink; an answer still on its way is for ink no
// longer there. Candidates are the input method's (setPinyin clears them).
func (m *Machine) clearPad() {
	for _, s := range m.pad.strokes {
		clear(s)
	}
	clear(m.pad.strokes)
	m.pad.strokes = nil
	m.pad.seq++
}

// padView fills the writing pad's part of the view.
func (m *Machine) padView(v *View) {
	if !m.o.Handwriting || !m.textFocus() {
		return
	}
	v.HandwritingOffered = true
	v.Handwriting = m.padOn()
	if v.Handwriting && len(m.pad.strokes) > 0 {
		v.Strokes = make([][]Point, len(m.pad.strokes))
		for i, s := range m.pad.strokes {
			v.Strokes[i] = slices.Clone(s)
		}
	}
}

// cleanStroke returns a stroke's points clamped to the pad, without
// repeats, thinned to at most maxStrokePoints (the first and last kept).
func cleanStroke(pts []Point) []Point {
	out := make([]Point, 0, min(len(pts), maxStrokePoints))
	step := 1
	if len(pts) > maxStrokePoints {
		step = (len(pts) + maxStrokePoints - 2) / (maxStrokePoints - 1)
	}
	for i, p := range pts {
		if i%step != 0 && i != len(pts)-1 {
			continue
		}
		p = Point{min(max(p.X, 0), PadSize), min(max(p.Y, 0), PadSize)}
		if n := len(out); n > 0 && out[n-1] == p {
			continue
		}
		if len(out) == maxStrokePoints {
			out[len(out)-1] = p
			continue
		}
		out = append(out, p)
	}
	return out
}
