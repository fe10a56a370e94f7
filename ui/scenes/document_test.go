package scenes

import (
	"testing"

	"github.com/henan-county/kiosk/kiosk/session"
)

// Documents shows every state of the document stage, each as the
// contract describes it, on a page shaped like A4 with something on it.
func TestDocuments(t *testing.T) {
	states := []session.DocState{session.DocFetching, session.DocReady, session.DocPrinting, session.DocTake,
		session.DocStopped, session.DocRefused, session.DocNoFetch}
	for _, elder := range []bool{false, true} {
		seen := map[session.DocState]bool{}
		for _, sc := range Documents(elder) {
			v, d := sc.View, sc.View.Document
			if v.Screen != session.ScreenDocument || d == nil || v.Elder != elder || v.Title == "" || v.Prompt == "" {
				t.Fatalf("%s: %+v", sc.Name, v)
			}
			seen[d.State] = true
			if (d.State == session.DocReady) != (d.PrintLabel != "") {
				t.Errorf("%s: print label %q in state %s", sc.Name, d.PrintLabel, d.State)
			}
			if (d.State == session.DocPrinting) != (d.Progress != "") {
				t.Errorf("%s: progress %q in state %s", sc.Name, d.Progress, d.State)
			}
			if d.CanReprint && d.WaitPrinter {
				t.Errorf("%s: both 重新打印 and waiting for the printer", sc.Name)
			}
			if w := session.LatinWords(v.Title+v.Prompt+d.Message, d.VerificationCode); len(w) > 0 {
				t.Errorf("%s: English words %q", sc.Name, w)
			}
		}
		for _, s := range states {
			if !seen[s] {
				t.Errorf("elder=%v: no scene in state %s", elder, s)
			}
		}
	}
	p := SamplePage()
	b := p.Bounds()
	if a := float64(b.Dy()) / float64(b.Dx()); a < 1.40 || a > 1.43 {
		t.Errorf("sample page is 1:%.3f, want A4", a)
	}
	dark := 0
	for i := 0; i < len(p.Pix); i += 4 {
		if p.Pix[i] < 0x80 {
			dark++
		}
	}
	if share := float64(dark) / float64(b.Dx()*b.Dy()); share < 0.02 || share > 0.3 {
		t.Errorf("sample page is %.1f%% dark: want a white page with lines on it", share*100)
	}
}
