package scannersim

import (
	"errors"
	"io"
	"os"
	"testing"
)

// readN reads exactly n bytes from the host end of the simulated line.
func readN(t *testing.T, f *os.File, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := io.ReadFull(f, b); err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestScanUnplugReplugClose(t *testing.T) {
	s, err := New(&Opts{Suffix: "\t"})
	if err != nil {
		t.Fatal(err)
	}
	host, err := os.Open(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Scan("K7QH2M4X"); err != nil {
		t.Fatal(err)
	}
	if err := s.Raw([]byte("\x00\r")); err != nil {
		t.Fatal(err)
	}
	if got := readN(t, host, 11); got != "K7QH2M4X\t\x00\r" {
		t.Errorf("the line carried %q", got)
	}
	host.Close()
	if s.Scans() != 1 {
		t.Errorf("Scans %d", s.Scans())
	}

	s.Unplug()
	if _, err := os.Lstat(s.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("link still there after Unplug: %v", err)
	}
	if err := s.Scan("x"); !errors.Is(err, ErrUnplugged) {
		t.Errorf("scan while unplugged: %v", err)
	}
	if err := s.Replug(); err != nil {
		t.Fatal(err)
	}
	host, err = os.Open(s.Path())
	if err != nil {
		t.Fatalf("after Replug: %v", err)
	}
	defer host.Close()
	if err := s.Scan("AGAIN"); err != nil {
		t.Fatal(err)
	}
	if got := readN(t, host, 6); got != "AGAIN\t" {
		t.Errorf("after Replug the line carried %q", got)
	}

	dir := s.tmpDir
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("temporary directory left behind: %v", err)
	}
	if err := s.Scan("x"); err == nil {
		t.Error("scan after Close")
	}
}
