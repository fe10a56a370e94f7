package host_test

import (
	"context"
	"testing"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/host"
	"github.com/henan-county/kiosk/kiosk/host/hosttest"
	"github.com/henan-county/kiosk/kiosk/session"
)

// BenchmarkTapToView: a resident's tap posted to the host until its new
// view is published (what the screen waits for before its next frame):
// home and search, alternately.
func BenchmarkTapToView(b *testing.B) {
	c := testCatalog()
	ports := &hosttest.Ports{}
	h := hosttest.Start(b, host.New(&host.Opts{
		Session: session.Opts{Catalog: func() *catalog.Catalog { return c }},
		Ports:   ports.All(), Clock: hosttest.NewClock(start),
	}))
	h.Post(session.Start{})
	if err := h.Sync(context.Background()); err != nil {
		b.Fatal(err)
	}
	evs := []session.Event{session.OpenSearch{}, session.Back{}}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		rev := h.View().Rev
		ch := h.Changed()
		h.Post(evs[i%2])
		<-ch
		if h.View().Rev == rev {
			b.Fatal("no new view")
		}
	}
}
