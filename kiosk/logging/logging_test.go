package logging

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestHandlerMasksMessages(t *testing.T) {
	for in, want := range map[string]string{
		"card 41012219900101123X read":  "card 410122********123X read",
		"pr USA330000000001 ok":         "pr USA330*****0001 ok",
		"身份证410122195603151231号":        "身份证410122********1231号",
		"sms to 13812345678 failed":     "sms to 138****5678 failed",
		"permit H12345678":              "permit H1*****78",
		"tracking ZM20261126ABCD":       "tracking ZM20261126ABCD",
		"short 12345":                   "short 12345",
		"backend 0371-62112345 no line": "backend 0371-****2345 no line",
	} {
		var buf bytes.Buffer
		slog.New(New(slog.NewTextHandler(&buf, nil), nil)).Info(in)
		if got := buf.String(); !strings.Contains(got, want) {
			t.Errorf("logged %q as %s, want %q", in, got, want)
		}
	}
}

func TestHandlerMasksAttrsAndErrors(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(New(slog.NewTextHandler(&buf, nil), nil))
	log.Info("read 410122199001011234", "id", "410122199001011234", "err", errors.New("bad 410122199001011234"),
		slog.Group("card", "number", "410122199001011234"))
	log.With("who", "410122199001011234").Info("x")
	log.Info("y", "valuer", valuer("410122199001011234"), "phone", int64(13812345678), "count", 3)
	if strings.Contains(buf.String(), "410122199001011234") || strings.Contains(buf.String(), "13812345678") {
		t.Fatalf("full number in log: %s", buf.String())
	}
	if c := strings.Count(buf.String(), "410122********1234"); c != 6 {
		t.Errorf("want 6 masked numbers, got %d: %s", c, buf.String())
	}
	if !strings.Contains(buf.String(), "phone=138****5678") || !strings.Contains(buf.String(), "count=3") {
		t.Errorf("numeric attributes: %s", buf.String())
	}
}

type valuer string

func (v valuer) LogValue() slog.Value { return slog.StringValue(string(v)) }

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
