package session

import (
	"testing"
	"time"
)

// BenchmarkJourney runs a whole print journey through the Machine.
func BenchmarkJourney(b *testing.B) {
	for b.Loop() {
		h := newHarness(b)
		h.do(Start{}, ChooseService{"ss-record"}, Start{}, CardPresent{testCard()}, ConfirmIdentity{},
			FieldInput{"phone", testPhone}, FieldInput{"years", "1"}, Submit{}, Submit{})
		h.do(Printed{}, SkipRating{})
		h.m.View()
	}
}

// BenchmarkTickAndView is the per-frame cost on the home screen.
func BenchmarkTickAndView(b *testing.B) {
	h := newHarness(b)
	h.do(Start{})
	for b.Loop() {
		h.m.Handle(h.clk.add(16 * time.Millisecond))
		h.m.View()
	}
}
