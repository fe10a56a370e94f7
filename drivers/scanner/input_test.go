package scanner

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/creack/pty"
)

// This machine has no /dev/input: the grab of a real input device is not
// tested here (docs/scanner.md). What is tested is that anything else is
// refused clearly, so a kiosk configured with the wrong path says so
// rather than reading nothing.
func TestGrabRefusesWhatIsNotAnInputDevice(t *testing.T) {
	m, sl, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	defer sl.Close()
	file := filepath.Join(t.TempDir(), "event0")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path string
		want       error
	}{
		{"a null device", os.DevNull, ErrNotInput},
		{"a regular file", file, ErrNotInput},
		{"a serial port (pty)", sl.Name(), ErrNotInput},
		{"nothing there", filepath.Join(t.TempDir(), "event9"), ErrGone},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, err := OpenInput(tc.path, Layout64)
			if err == nil {
				in.Close()
				t.Fatal("opened")
			}
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.path) {
				t.Errorf("err %v, want %v naming the path", err, tc.want)
			}
		})
	}
}

func TestNewWantsOneLine(t *testing.T) {
	for _, o := range []*Opts{nil, {}, {Path: "/dev/ttyACM0", Input: "/dev/input/event3"}} {
		if _, err := New(o); err == nil {
			t.Errorf("New(%+v) accepted", o)
		}
	}
}
