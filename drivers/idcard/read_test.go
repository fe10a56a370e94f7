package idcard_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/idcard"
	"github.com/henan-county/kiosk/drivers/idcard/idcardsim"
	"github.com/henan-county/kiosk/kiosk/identity"
)

// Every read of a card goes through one find → select → read loop with
// the same bounded retries: the kiosk's polling, the technician's read
// test through the daemon, and the diagnostic's session of its own.
func TestOneReadLoop(t *testing.T) {
	attempts := 1 + idcard.DefaultRetries
	readers := []struct {
		name string
		read func(t *testing.T, sim *idcardsim.Sim) (*identity.Card, error)
	}{
		{"polling", func(t *testing.T, sim *idcardsim.Sim) (*identity.Card, error) {
			h := startReader(t, idcard.Opts{Open: simLine(sim)})
			sim.Place(idcardsim.Han)
			for {
				select {
				case e := <-h.r.Events():
					switch e.Kind {
					case idcard.CardPresent:
						return e.Card, nil
					case idcard.ReadFailed:
						return nil, e.Err
					}
				case <-time.After(5 * time.Second):
					t.Fatal("no read")
				}
			}
		}},
		{"read test", func(t *testing.T, sim *idcardsim.Sim) (*identity.Card, error) {
			h := startReader(t, idcard.Opts{Open: simLine(sim), PollInterval: time.Hour})
			waitOnline(t, h)
			// Served between polls: once it answers, the first poll is
			// over and the next is an hour away.
			if st := h.r.SelfTest(context.Background()); !st.OK {
				t.Fatalf("self-test %+v", st)
			}
			sim.Place(idcardsim.Han)
			return h.r.ReadOnce(context.Background(), 3*time.Second)
		}},
		{"diagnostic session", func(t *testing.T, sim *idcardsim.Sim) (*identity.Card, error) {
			p, err := idcard.Dial(context.Background(), "reader", &idcard.DialOpts{Open: simLine(sim)})
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			sim.Place(idcardsim.Han)
			return p.ReadCard(context.Background(), 3*time.Second, 50*time.Millisecond, nil)
		}},
	}
	for _, rd := range readers {
		for _, tc := range []struct {
			name    string
			damaged int // read replies damaged; 0: every one
			ok      bool
		}{
			{"one damaged reply", 1, true},
			{"damaged up to the bound", attempts - 1, true},
			{"damaged every time", 0, false},
		} {
			t.Run(rd.name+"/"+tc.name, func(t *testing.T) {
				sim := newSim(t, nil)
				sim.SetFaultFor(idcardsim.FaultBadChecksum, tc.damaged)
				c, err := rd.read(t, sim)
				if tc.ok {
					if err != nil {
						t.Fatalf("read: %v", err)
					}
					wantCard(t, c, idcardsim.Han, false)
					c.Wipe()
				} else if !errors.Is(err, idcard.ErrFrameChecksum) {
					t.Fatalf("read: %v, want ErrFrameChecksum", err)
				}
				want := tc.damaged + 1 // damaged ones and the whole one
				if !tc.ok {
					want = attempts
				}
				if n := sim.Stats().Reads; n != want {
					t.Errorf("reader sent %d read replies, want %d", n, want)
				}
			})
		}
	}
}
