package logging

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestScrubMasksIDNumbers(t *testing.T) {
	for in, want := range map[string]string{
		"card 41012219900101123X read": "card 410122********123X read",
		"pr USA330000000001 ok":        "pr USA330*****0001 ok",
		"tracking ZM20261126ABCD":      "tracking ZM20261126ABCD",
		"short 12345":                  "short 12345",
	} {
		if got := Scrub(in); got != want {
			t.Errorf("Scrub(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHandlerMasksAttrsAndErrors(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(New(slog.NewTextHandler(&buf, nil), nil))
	log.Info("read 410122199001011234", "id", "410122199001011234", "err", errors.New("bad 410122199001011234"),
		slog.Group("card", "number", "410122199001011234"))
	log.With("who", "410122199001011234").Info("x")
	if strings.Contains(buf.String(), "410122199001011234") {
		t.Fatalf("full ID number in log: %s", buf.String())
	}
	if c := strings.Count(buf.String(), "410122********1234"); c != 5 {
		t.Errorf("want 5 masked numbers, got %d: %s", c, buf.String())
	}
}

func TestHandlerRateLimitsRepeatedWarnings(t *testing.T) {
	var buf bytes.Buffer
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	log := slog.New(New(slog.NewTextHandler(&buf, nil), &Opts{Window: time.Minute, Now: func() time.Time { return now }}))
	for i := 0; i < 50; i++ {
		log.Warn("printer offline", "err", "no answer")
		now = now.Add(time.Second)
	}
	log.Warn("printer offline", "err", "cover open") // a different error is written at once
	if n := strings.Count(buf.String(), "printer offline"); n != 2 {
		t.Fatalf("want 2 lines within the window, got %d:\n%s", n, buf.String())
	}
	now = now.Add(time.Minute)
	log.Warn("printer offline", "err", "no answer")
	if !strings.Contains(buf.String(), "suppressed_repeats=49") {
		t.Errorf("suppressed count missing:\n%s", buf.String())
	}
	for i := 0; i < 5; i++ {
		log.Info("card read") // info is never suppressed
	}
	if n := strings.Count(buf.String(), "card read"); n != 5 {
		t.Errorf("info lines: %d", n)
	}
}
