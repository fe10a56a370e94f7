package host_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/host"
	"github.com/henan-county/kiosk/kiosk/host/hosttest"
	"github.com/henan-county/kiosk/kiosk/session"
)

// withText gives the test catalog's subsidy matter a free-text field.
func withText(o *host.Opts) {
	c := testCatalog()
	for i := range c.Services {
		if c.Services[i].ID == "subsidy" {
			c.Services[i].Form = append(c.Services[i].Form, catalog.Field{ID: "need", Label: "想办的事", Type: catalog.FieldText})
		}
	}
	o.Session.Catalog = func() *catalog.Catalog { return c }
}

func (r *rig) toText() {
	r.t.Helper()
	r.do(session.Start{}, session.ChooseService{ID: "subsidy"}, session.Start{},
		session.CardPresent{Card: testCard()}, session.ConfirmIdentity{})
	if v := r.do(session.FieldFocus{ID: "need"}); v.Focus != "need" {
		r.t.Fatalf("focus %q on %s", v.Focus, v.Screen)
	}
}

// TestHandwritingThroughThePort: a stroke goes to the recogniser off the
// host's loop and its candidates come back to the view.
func TestHandwritingThroughThePort(t *testing.T) {
	hw := &hosttest.Handwriting{}
	r := newRig(t, withText, func(o *host.Opts) { o.Ports.Handwriting = hw })
	r.toText()
	if v := r.do(session.UseHandwriting{On: true}); !v.HandwritingOffered || !v.Handwriting {
		t.Fatalf("pad not shown: offered %v, pad %v", v.HandwritingOffered, v.Handwriting)
	}
	r.do(session.Stroke{Points: []session.Point{{X: 100, Y: 500}, {X: 900, Y: 500}}})
	v := r.waitFor("the candidates", func(v host.View) bool { return len(v.Session.Candidates) > 0 })
	if v.Session.Candidates[0] != "一" || len(v.Session.Strokes) != 1 {
		t.Fatalf("candidates %q, %d strokes", v.Session.Candidates, len(v.Session.Strokes))
	}
	r.do(session.Stroke{Points: []session.Point{{X: 500, Y: 100}, {X: 500, Y: 900}}})
	r.waitFor("十", func(v host.View) bool { return slices.Equal(v.Session.Candidates[:1], []string{"十"}) })
	calls := hw.Calls()
	if len(calls) != 2 || len(calls[1]) != 2 || calls[1][1][1] != (session.Point{X: 500, Y: 900}) {
		t.Fatalf("recogniser asked %v", calls)
	}
	if s := r.do(session.PickCandidate{Text: "十"}); len(s.Strokes) != 0 || len(s.Candidates) != 0 {
		t.Fatalf("after the pick: %d strokes, %q", len(s.Strokes), s.Candidates)
	}

	// A failing recogniser is told to the resident; the kiosk carries on.
	hw.AnswerWith(func([][]session.Point) ([]string, error) { return nil, errors.New("zinnia: gone") })
	r.do(session.Stroke{Points: []session.Point{{X: 1, Y: 1}}})
	r.waitFor("the failure notice", func(v host.View) bool { return v.Session.Notice != "" })
}

// TestNoRecogniserNoPad: without the port the pad is not offered.
func TestNoRecogniserNoPad(t *testing.T) {
	r := newRig(t, withText)
	r.toText()
	if v := r.do(session.UseHandwriting{On: true}); v.HandwritingOffered || v.Handwriting {
		t.Fatal("pad offered without a recogniser")
	}
}
