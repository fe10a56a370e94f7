package ui

import (
	"image"
	"runtime"
	"strings"
	"testing"
	"weak"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/kiosk/txn"
	"github.com/henan-county/kiosk/ui/internal/pictures"
	"github.com/henan-county/kiosk/ui/layout"
	"github.com/henan-county/kiosk/ui/scenes"
)

// docViews returns the document scenes by name.
func docViews(elder bool) map[string]session.View {
	out := map[string]session.View{}
	for _, sc := range scenes.Documents(elder) {
		out[sc.Name] = sc.View
	}
	return out
}

// The page is drawn: inside the preview's box the sample page's white
// sheet and its dark lines show, in both orientations.
func TestDocumentPageDrawn(t *testing.T) {
	r, err := NewRenderer("")
	if err != nil {
		t.Fatal(err)
	}
	for _, sz := range []layout.Size{layout.Portrait, layout.Landscape} {
		v := docViews(false)["document_ready"]
		img := r.Render(&v, int(sz.W), int(sz.H), 0)
		s := layout.Build(&v, sz, r.Measurer(), nil)
		pw, _ := s.Find(layout.IDDocPreview)
		box := image.Rect(int(pw.Rect.X), int(pw.Rect.Y), int(pw.Rect.X+pw.Rect.W), int(pw.Rect.Y+pw.Rect.H))
		white, dark := 0, 0
		for y := box.Min.Y; y < box.Max.Y; y++ {
			for x := box.Min.X; x < box.Max.X; x++ {
				c := img.RGBAAt(x, y)
				switch {
				case c.R > 0xF0 && c.G > 0xF0 && c.B > 0xF0:
					white++
				case c.R < 0x60 && c.G < 0x60 && c.B < 0x60:
					dark++
				}
			}
		}
		n := box.Dx() * box.Dy()
		if float64(white)/float64(n) < 0.6 || float64(dark)/float64(n) < 0.01 {
			t.Errorf("%v: the preview box is %.0f%% white and %.1f%% dark: the page is not drawn", sz,
				100*float64(white)/float64(n), 100*float64(dark)/float64(n))
		}
	}
}

// The page's texture is made once while the document screen shows it
// (ready, then printing), and freed as soon as the screen shows
// something else; then nothing of the kiosk's screen holds the page.
func TestDocumentPageDropped(t *testing.T) {
	r, err := NewRenderer("")
	if err != nil {
		t.Fatal(err)
	}
	made, freed := 0, 0
	r.painter.pictures = pictures.New(
		func(k pictures.Key) *ebiten.Image { made++; return pageTexture(k) },
		func(img *ebiten.Image) { freed++; img.Deallocate() })
	views := docViews(false)
	ready, printing := views["document_ready"], views["document_printing"]
	page, ok := ready.Document.Preview.(*image.RGBA)
	if !ok || printing.Document.Preview != ready.Document.Preview {
		t.Fatal("the scenes do not share one page")
	}
	w := weak.Make(page)
	r.Render(&ready, 1080, 1920, 0)
	r.Render(&printing, 1080, 1920, 0)
	r.Render(&printing, 1080, 1920, 0.5)
	if made != 1 || freed != 0 || r.painter.pictures.Len() != 1 {
		t.Fatalf("while shown: made %d, freed %d, holds %d; want one texture kept", made, freed, r.painter.pictures.Len())
	}
	// The same page at another size is another texture; the first goes.
	r.Render(&printing, 1920, 1080, 0)
	if made != 2 || freed != 1 || r.painter.pictures.Len() != 1 {
		t.Fatalf("at another size: made %d, freed %d, holds %d", made, freed, r.painter.pictures.Len())
	}
	// The resident took her pages: the take screen shows no page.
	take := views["document_take"]
	take.Document.Preview = page // the view still carries it; the screen does not show it
	r.Render(&take, 1920, 1080, 0)
	if freed != 2 || r.painter.pictures.Len() != 0 {
		t.Fatalf("after the page left the screen: freed %d, holds %d", freed, r.painter.pictures.Len())
	}
	for _, d := range r.painter.drawn {
		for _, wd := range d.widgets {
			if wd.Picture != nil {
				t.Fatalf("the painter remembers a picture in %q", wd.ID)
			}
		}
	}
	// Nothing but this test refers to the page now.
	page, views, ready, printing, take = nil, nil, session.View{}, session.View{}, session.View{}
	runtime.GC()
	runtime.GC()
	if w.Value() != nil {
		t.Fatal("the page is still reachable from the screen's painter")
	}
}

// A print matter through the real host and Machine, by taps: the proof's
// page is on the screen with 打印 2 页, its texture made once; the pages
// come out one by one under the progress; 请取走打印件 shows no page, and
// from then on the screen holds no texture of it.
func TestDocumentByTaps(t *testing.T) {
	a, r := newRigApp(t, nil)
	r.docs.Gate = true
	r.ports.AnswerSubmit(func(tx txn.Transaction) txn.Result {
		return txn.Result{TxID: tx.ID, Outcome: txn.Completed, TrackingNo: "K7QH2M4X"}
	}, nil)
	for _, id := range []string{"start", "cat:social", "svc:ss-record", "begin"} {
		tapID(t, a, id)
	}
	a.Post(session.CardPresent{Card: scenes.Card()})
	a.Sync()
	tapID(t, a, "confirm")
	tapID(t, a, "field:phone")
	for _, k := range "13812345678" {
		tapID(t, a, "pad:"+string(k))
	}
	for _, id := range []string{"field:years", "choice:3", "next", "submit"} {
		tapID(t, a, id)
	}
	state := func() session.DocState {
		if a.view.Screen != session.ScreenDocument || a.view.Document == nil {
			return ""
		}
		return a.view.Document.State
	}
	waitFor(t, a, "the proof shown", func() bool { return state() == session.DocReady })
	pw, ok := a.Screen().Find(layout.IDDocPreview)
	seen := r.docs.Seen()
	if !ok || len(seen.Previews) != 1 || pw.Picture != image.Image(seen.Previews[0]) {
		t.Fatalf("preview %+v; the port rendered %d", pw, len(seen.Previews))
	}
	if b, _ := a.Screen().Find("print"); strings.Join(b.Lines, "") != "打印 2 页" {
		t.Fatalf("print button %q", b.Lines)
	}
	a.Render()
	if n := a.painter.pictures.Len(); n != 1 {
		t.Fatalf("%d textures for the page shown", n)
	}
	tapID(t, a, "print")
	waitFor(t, a, "printing", func() bool { return state() == session.DocPrinting })
	for page := 1; page <= 2; page++ {
		r.docs.Step()
		waitFor(t, a, "a page out", func() bool {
			return state() == session.DocTake || state() == session.DocPrinting && a.view.Document.Page == page
		})
		if state() == session.DocPrinting {
			bar, _ := a.Screen().Find(layout.IDDocBar)
			if bar.Value != float64(page)/2 {
				t.Fatalf("page %d: bar at %v", page, bar.Value)
			}
			a.Render()
			if n := a.painter.pictures.Len(); n != 1 {
				t.Fatalf("page %d: %d textures", page, n)
			}
		}
	}
	waitFor(t, a, "take", func() bool { return state() == session.DocTake })
	if _, ok := a.Screen().Find(layout.IDDocPreview); ok {
		t.Fatal("the page is still shown on take")
	}
	if n := a.painter.pictures.Len(); n != 0 {
		t.Fatalf("%d textures left after the page left the screen", n)
	}
	tapID(t, a, "next")
	if a.view.Screen != session.ScreenResult {
		t.Fatalf("after take: %s", a.view.Screen)
	}
	if jobs := r.docs.Seen().Jobs; len(jobs) != 1 || jobs[0].Reprint {
		t.Fatalf("jobs %+v", jobs)
	}
}
