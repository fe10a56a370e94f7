package eventlog

import (
	"fmt"
	"strings"
	"testing"
)

func TestRingKeepsNewestInOrder(t *testing.T) {
	l := New(3, nil)
	for i := 1; i <= 5; i++ {
		l.Add("device", "printer", fmt.Sprint("e", i), nil)
	}
	got := l.Recent(0)
	if len(got) != 3 || got[0].Text != "e3" || got[2].Text != "e5" || got[2].Seq != 5 {
		t.Fatalf("recent = %+v", got)
	}
	if r := l.Recent(2); len(r) != 2 || r[0].Text != "e4" {
		t.Fatalf("recent(2) = %+v", r)
	}
}

func TestEventsAreMaskedAndFollowed(t *testing.T) {
	l := New(8, nil)
	ch, stop := l.Follow()
	defer stop()
	l.Add("session", "", "card 410122199001011234 read", map[string]string{"id": "410122199001011234"})
	e := <-ch
	if strings.Contains(e.Text, "199001011") || strings.Contains(e.Fields["id"], "199001011") {
		t.Fatalf("unmasked event: %+v", e)
	}
	stop()
	stop() // idempotent
}
