package layout

import (
	"fmt"
	"image/color"
	"math"
	"strings"
	"unicode"

	"github.com/henan-county/kiosk/kiosk/session"
)

// Problem is one way a laid-out screen fails a resident.
type Problem struct {
	Rule   string // "off-screen", "overlap", "text-overflow", "focus", "spacing", "contrast", "latin"
	Detail string
}

func (p Problem) String() string { return p.Rule + ": " + p.Detail }

// Limits of the check.
const (
	// MinTargetGap is the least space between two tappable targets.
	MinTargetGap = 24.0
	// MinContrast and MinContrastElder are the least text contrast.
	MinContrast      = 4.5
	MinContrastElder = 7.0
)

// Check lays down the rules every resident screen keeps, in every mode
// and orientation: nothing cut off by the screen or by another widget, no
// text larger than its box, the focused field with its label and its
// error in view, at least MinTargetGap between targets, text contrast of
// at least 4.5:1 (7:1 in elder mode, night palette included), and no
// Latin letters in what a resident reads except the codes they need
// (tracking numbers, an ID number's X). tech skips the last rule (the
// technician screens put English beside Chinese on purpose).
func Check(s *Screen, v *session.View, m Measurer, tech bool) []Problem {
	if m == nil {
		m = ApproxMeasurer{}
	}
	c := checker{s: s, v: v, m: m}
	from := 0
	if s.ModalFrom >= 0 {
		from = s.ModalFrom // what lies under a dialog is behind its scrim
	}
	live := s.Widgets[from:]
	c.bounds(live)
	c.overlaps(live)
	c.text(live)
	c.spacing(live)
	c.contrast(live)
	if s.ModalFrom < 0 {
		c.focus()
	}
	if !tech {
		c.latin(live)
	}
	return c.out
}

type checker struct {
	s   *Screen
	v   *session.View
	m   Measurer
	out []Problem
}

func (c *checker) add(rule, f string, a ...any) {
	c.out = append(c.out, Problem{rule, fmt.Sprintf(f, a...)})
}

func name(w *Widget) string {
	if w.ID != "" {
		return w.ID
	}
	if len(w.Lines) > 0 {
		return fmt.Sprintf("%q", w.Lines[0])
	}
	return fmt.Sprintf("kind %d at %.0f,%.0f", w.Kind, w.Rect.X, w.Rect.Y)
}

// visible: the part of the content a resident sees holds the widget
// (pages keep the content within the area; a screen that still scrolls is
// checked at its top).
func (c *checker) inView(w *Widget) bool {
	if !w.Scroll {
		return true
	}
	a := c.s.Scroll
	return w.Rect.Y >= a.Y-0.5 && w.Rect.Y+w.Rect.H <= a.Y+a.H+0.5
}

func (c *checker) bounds(ws []Widget) {
	s := c.s
	for i := range ws {
		w := &ws[i]
		r := w.Rect
		if r.X < -0.5 || r.Y < -0.5 || r.X+r.W > s.W+0.5 || r.Y+r.H > s.H+0.5 {
			if !w.Scroll || c.inView(w) {
				c.add("off-screen", "%s %v on a %.0f×%.0f screen", name(w), r, s.W, s.H)
			}
		}
		if w.Scroll && !background(w) && s.MaxScroll() == 0 && !c.inView(w) {
			c.add("off-screen", "%s %v outside the content area %v", name(w), r, s.Scroll)
		}
		if w.Scroll && !c.inView(w) && s.MaxScroll() > 0 {
			// Partly shown at the edge of a scrolling area: cut in half.
			a := s.Scroll
			if r.Y < a.Y+a.H && r.Y+r.H > a.Y+a.H && !background(w) {
				c.add("off-screen", "%s cut by the bottom of a scrolling area", name(w))
			}
		}
	}
}

// solid widgets are drawn as things: two of them must not overlap.
func solid(w *Widget) bool { return !background(w) && w.Kind != Spinner }

func (c *checker) overlaps(ws []Widget) {
	for i := range ws {
		a := &ws[i]
		if !solid(a) || !c.inView(a) {
			continue
		}
		for j := i + 1; j < len(ws); j++ {
			b := &ws[j]
			if !solid(b) || !c.inView(b) {
				continue
			}
			if overlapRect(a.Rect, b.Rect) {
				c.add("overlap", "%s %v and %s %v", name(a), a.Rect, name(b), b.Rect)
			}
		}
	}
}

func overlapRect(a, b Rect) bool {
	return a.X < b.X+b.W-0.5 && b.X < a.X+a.W-0.5 && a.Y < b.Y+b.H-0.5 && b.Y < a.Y+a.H-0.5
}

func (c *checker) text(ws []Widget) {
	for i := range ws {
		w := &ws[i]
		if len(w.Lines) == 0 || !c.inView(w) {
			continue
		}
		inner := w.Rect.W
		switch w.Kind {
		case Button, Field, Row, Box:
			if w.Kind != Button || !w.Center {
				inner -= 2 * c.s.Theme.Gap
			}
		}
		for _, l := range w.Lines {
			if lw := c.m.Advance(l, w.Size); lw > inner+0.5 {
				c.add("text-overflow", "%s: %q is %.0f px wide in %.0f px", name(w), l, lw, inner)
			}
		}
		h := lineH(w.Size) * float64(len(w.Lines))
		if w.Kind == Row {
			h += lineH(w.SubSize) * float64(len(w.Sub))
		}
		if h > w.Rect.H+1 {
			c.add("text-overflow", "%s: %d lines need %.0f px in %.0f px", name(w), len(w.Lines), h, w.Rect.H)
		}
	}
}

func tappable(w *Widget) bool { return w.Event != nil || w.Local != "" }

func (c *checker) spacing(ws []Widget) {
	for i := range ws {
		a := &ws[i]
		if !tappable(a) || !c.inView(a) {
			continue
		}
		for j := i + 1; j < len(ws); j++ {
			b := &ws[j]
			if !tappable(b) || !c.inView(b) || overlapRect(a.Rect, b.Rect) {
				continue
			}
			if d := rectGap(a.Rect, b.Rect); d < MinTargetGap-0.5 {
				c.add("spacing", "%s and %s are %.0f px apart", name(a), name(b), d)
			}
		}
	}
}

// rectGap is the distance between two rectangles that do not overlap.
func rectGap(a, b Rect) float64 {
	dx := max(b.X-(a.X+a.W), a.X-(b.X+b.W), 0)
	dy := max(b.Y-(a.Y+a.H), a.Y-(b.Y+b.H), 0)
	return math.Hypot(dx, dy)
}

// contrast: each text against what is drawn behind it.
func (c *checker) contrast(ws []Widget) {
	th := c.s.Theme
	least := MinContrast
	if c.v != nil && c.v.Elder {
		least = MinContrastElder
	}
	for i := range ws {
		w := &ws[i]
		if len(w.Lines) == 0 || !c.inView(w) {
			continue
		}
		bg, fg := th.Colours(w.Role)
		if w.Kind == Label && (w.Role == Plain || w.Role == Surface) {
			fg = th.Text
		}
		if bg.A == 0 || w.Kind == Label {
			bg = c.behind(ws, i)
		}
		if w.Kind == Field {
			bg = th.Surface
		}
		if r := Contrast(opaque(fg), opaque(bg)); r < least-0.005 {
			c.add("contrast", "%s: %.2f:1 < %.1f:1", name(w), r, least)
		}
	}
}

// behind is the colour under widget i: the topmost earlier widget with a
// background that holds it, else the screen's background.
func (c *checker) behind(ws []Widget, i int) color.RGBA {
	th := c.s.Theme
	r := ws[i].Rect
	for j := i - 1; j >= 0; j-- {
		o := &ws[j]
		bg, _ := th.Colours(o.Role)
		if bg.A == 0 || o.Kind == Label {
			continue
		}
		if o.Rect.X <= r.X+0.5 && o.Rect.Y <= r.Y+0.5 && o.Rect.X+o.Rect.W >= r.X+r.W-0.5 && o.Rect.Y+o.Rect.H >= r.Y+r.H-0.5 {
			if o.Role == Scrim {
				break
			}
			return bg
		}
	}
	return th.Bg
}

func opaque(c color.RGBA) color.RGBA { c.A = 0xFF; return c }

// focus: the field being typed, its label and its error are all in view
// and covered by nothing.
func (c *checker) focus() {
	if c.v == nil || c.v.Screen != session.ScreenForm || c.v.Focus == "" {
		return
	}
	var field *Widget
	for i := range c.s.Widgets {
		if c.s.Widgets[i].ID == "field:"+c.v.Focus {
			field = &c.s.Widgets[i]
		}
	}
	if field == nil {
		c.add("focus", "the focused field %q is not on the screen", c.v.Focus)
		return
	}
	for i := range c.s.Widgets {
		w := &c.s.Widgets[i]
		if w.Scroll && (w == field || field.Group != 0 && w.Group == field.Group) && !c.inView(w) {
			c.add("focus", "%s of the focused field is out of view", name(w))
		}
	}
}

// latin: what a resident reads is Chinese; only codes they need keep
// Latin letters.
func (c *checker) latin(ws []Widget) {
	// What the resident types in pinyin is Latin by nature: the letter
	// keys, the search box and the letters being converted.
	allowed := []string{}
	if c.v != nil {
		if c.v.Result != nil && c.v.Result.TrackingNo != "" {
			allowed = append(allowed, c.v.Result.TrackingNo, c.v.Result.Tracking)
		}
		if d := c.v.Document; d != nil && d.VerificationCode != "" {
			allowed = append(allowed, d.VerificationCode) // printed on the proof, checked against it
		}
		if p := c.v.Payment; p != nil && p.OrderNo != "" {
			allowed = append(allowed, p.OrderNo) // the order, as the payer's phone shows it
		}
		for _, s := range []string{c.v.Pinyin, c.v.Query} {
			if s != "" {
				allowed = append(allowed, s)
			}
		}
	}
	for i := range ws {
		w := &ws[i]
		if strings.HasPrefix(w.ID, "key:") {
			continue
		}
		for _, l := range append(append([]string(nil), w.Lines...), w.Sub...) {
			if t := latinWord(l, allowed); t != "" {
				c.add("latin", "%s: %q in %q", name(w), t, l)
			}
		}
	}
}

// latinWord returns the first run of Latin letters in s that is not part
// of an allowed code or an ID number's check character X.
func latinWord(s string, allowed []string) string {
	for _, a := range allowed {
		s = strings.ReplaceAll(s, a, "")
		s = strings.ReplaceAll(s, strings.ReplaceAll(a, " ", ""), "")
	}
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		if !isLatin(rs[i]) {
			continue
		}
		j := i
		for j < len(rs) && (isLatin(rs[j]) || unicode.IsDigit(rs[j])) {
			j++
		}
		word := string(rs[i:j])
		// A paper size (A4 打印机, A4 纸) is how residents name the paper.
		if len(word) == 2 && (word[0] == 'A' || word[0] == 'B') && word[1] >= '0' && word[1] <= '9' {
			i = j
			continue
		}
		// An ID number ending in X (masked or not): digits or * before it.
		if (word == "X" || word == "x") && i > 0 && (unicode.IsDigit(rs[i-1]) || rs[i-1] == '*') {
			i = j
			continue
		}
		return word
	}
	return ""
}

func isLatin(r rune) bool { return r < 0x80 && unicode.IsLetter(r) || r >= 0xFF21 && r <= 0xFF5A }
