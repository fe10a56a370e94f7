package ui

import (
	"bytes"
	"fmt"
	"image"
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/ui/layout"
	"github.com/henan-county/kiosk/ui/scenes"
)

// frame is one step of a sequence drawn on the same screen.
type frame struct {
	name   string
	view   session.View
	scroll float64
	anim   float64
}

// sequences returns frames as the kiosk shows them one after another:
// every screen in turn, typing and deleting on the search screen, a
// scrolled list, the caret blinking, the card animation, the help dialog
// over a screen, the timeout countdown.
func sequences(t *testing.T) [][]frame {
	var all []frame
	for _, sc := range scenes.All(false) {
		all = append(all, frame{name: sc.Name, view: sc.View})
	}
	now := time.Date(2026, 11, 26, 2, 30, 0, 0, time.UTC)
	m := scenes.Machine(&now)
	var typing []frame
	snap := func(name string, scroll, anim float64) {
		typing = append(typing, frame{name: name, view: m.View(), scroll: scroll, anim: anim})
	}
	m.Handle(session.Start{})
	for _, s := range []float64{0, 40, 40, 95.5, 300, 0} { // home scrolls
		snap(fmt.Sprintf("home@%.0f", s), s, 0)
	}
	m.Handle(session.OpenSearch{})
	snap("search", 0, 0)
	for i, r := range "sbylq" {
		m.Handle(session.SearchKey{R: r})
		snap(fmt.Sprintf("search+%c", r), 0, float64(i))
	}
	for i := 0; i < 3; i++ {
		m.Handle(session.SearchBackspace{})
		snap("search-", 0, 0)
	}
	m.Handle(session.Back{})
	m.Handle(session.ChooseCategory{ID: "social"})
	snap("category", 0, 0)
	m.Handle(session.Help{})
	snap("help", 0, 0)
	m.Handle(session.CloseHelp{})
	snap("category", 0, 0)
	m.Handle(session.Back{})
	m.Handle(session.ChooseService{ID: "ss-record"})
	m.Handle(session.Start{})
	for _, a := range []float64{0, 0.1, 0.55, 1.3} {
		snap(fmt.Sprintf("identify@%.2f", a), 0, a)
	}
	m.Handle(session.CardPresent{Card: scenes.Card()})
	m.Handle(session.ConfirmIdentity{})
	m.Handle(session.FieldFocus{ID: "phone"})
	for i, v := range []string{"1", "13", "138", "13"} {
		m.Handle(session.FieldInput{ID: "phone", Value: v})
		snap("form "+v, 0, float64(i)*0.3)
	}
	for i := 0; i < 4; i++ { // idle until the timeout dialog counts down
		now = now.Add(50 * time.Second)
		m.Handle(session.Tick{Now: now})
		snap(fmt.Sprintf("timeout %d", i), 0, 0)
	}
	// The document screen: every state, then the pages coming out under
	// the page shown, then another resident's page at the same place
	// (it must be drawn anew, never taken for the one before).
	var doc []frame
	byName := map[string]session.View{}
	for _, sc := range scenes.Documents(false) {
		doc = append(doc, frame{name: sc.Name, view: sc.View})
		byName[sc.Name] = sc.View
	}
	doc = append(doc, frame{name: "ready", view: byName["document_ready"]})
	for page := 0; page <= 3; page++ {
		v := byName["document_printing"]
		d := *v.Document
		d.Page, d.Progress = page, session.ProgressText(min(page+1, 3), 3)
		v.Document = &d
		doc = append(doc, frame{name: fmt.Sprintf("printing %d", page), view: v})
	}
	other := byName["document_ready"]
	d := *other.Document
	pg := scenes.SamplePage()
	for i := range pg.Pix[:len(pg.Pix)/3] {
		pg.Pix[i] ^= 0xFF // a different page
	}
	d.Preview = pg
	other.Document = &d
	doc = append(doc, frame{name: "another page", view: other})
	return [][]frame{all, typing, doc}
}

// TestRepaintMatchesFullDraw draws sequences of frames on one screen,
// where only what changed is repainted, and checks every frame against
// a full drawing of the same frame on a fresh image.
func TestRepaintMatchesFullDraw(t *testing.T) {
	r, err := NewRenderer("")
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []layout.Size{layout.Portrait, {W: 1920, H: 1080}} {
		w, h := int(size.W), int(size.H)
		for si, seq := range sequences(t) {
			if si == 0 && w > h {
				continue // every screen in turn: portrait is enough
			}
			screen := ebiten.NewImage(w, h)
			partial := 0
			for i, f := range seq {
				scr := layout.Build(&f.view, size, r.fonts, nil)
				scroll := min(f.scroll, scr.MaxScroll())
				if d := r.painter.damage(screen, scr, scroll, f.anim); len(d) != 1 || d[0] != screen.Bounds() {
					partial++
				}
				// damage above remembered this frame: forget it, then draw.
				r.painter.drawn = nil
				if i > 0 {
					prev := seq[i-1]
					ps := layout.Build(&prev.view, size, r.fonts, nil)
					r.painter.damage(screen, ps, min(prev.scroll, ps.MaxScroll()), prev.anim)
				}
				r.painter.draw(screen, scr, scroll, f.anim)
				got := make([]byte, 4*w*h)
				screen.ReadPixels(got)
				fresh := ebiten.NewImage(w, h)
				r.painter.draw(fresh, scr, scroll, f.anim)
				want := make([]byte, 4*w*h)
				fresh.ReadPixels(want)
				fresh.Deallocate()
				if !bytes.Equal(got, want) {
					n, at := 0, image.Point{}
					for p := 0; p < len(got); p += 4 {
						if !bytes.Equal(got[p:p+4], want[p:p+4]) {
							if n == 0 {
								at = image.Pt(p/4%w, p/4/w)
							}
							n++
						}
					}
					t.Fatalf("%dx%d sequence %d frame %d (%s): %d pixels differ from a full drawing, first at %v",
						w, h, si, i, f.name, n, at)
				}
			}
			screen.Deallocate()
			t.Logf("%dx%d sequence %d: %d of %d frames repainted in part", w, h, si, partial, len(seq))
			if si >= 1 && partial < len(seq)/2 {
				t.Errorf("%dx%d: only %d of %d frames repainted in part", w, h, partial, len(seq))
			}
		}
	}
}
