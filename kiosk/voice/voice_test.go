package voice

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"testing"
	"time"
)

func TestGenerateAndCache(t *testing.T) {
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		t.Skip("espeak-ng not installed")
	}
	c, err := New(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b, err := c.WAV(ctx, "请把身份证放在下方感应区")
	if err != nil {
		t.Fatal(err)
	}
	if string(b[:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		t.Fatalf("not a WAV: %q", b[:12])
	}
	st, err := os.Stat(c.Path("请把身份证放在下方感应区"))
	if err != nil {
		t.Fatal(err)
	}
	// The second call reads the cache: the file is not rewritten.
	if _, err := c.WAV(ctx, "请把身份证放在下方感应区"); err != nil {
		t.Fatal(err)
	}
	st2, _ := os.Stat(c.Path("请把身份证放在下方感应区"))
	if !st2.ModTime().Equal(st.ModTime()) {
		t.Fatal("cached prompt regenerated")
	}
	if c.Path("a") == c.Path("b") {
		t.Fatal("different prompts share a file")
	}
}

func TestNoSynth(t *testing.T) {
	c, _ := New(t.TempDir(), &Opts{Command: "no-such-espeak"})
	if _, err := c.WAV(context.Background(), "你好"); !errors.Is(err, ErrNoSynth) {
		t.Fatalf("err = %v", err)
	}
}
