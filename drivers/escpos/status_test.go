package escpos

import (
	"errors"
	"testing"

	"github.com/henan-county/kiosk/kiosk/devices"
)

func TestValidStatusByte(t *testing.T) {
	for b := 0; b < 256; b++ {
		want := b&0x80 == 0 && b&0x10 != 0 && b&0x02 != 0 && b&0x01 == 0
		if got := ValidStatusByte(byte(b)); got != want {
			t.Errorf("ValidStatusByte(%#02x) = %v", b, got)
		}
	}
	for _, b := range []byte{xon, xoff, 0x00, 0xff, 0x13, 0x92} {
		if ValidStatusByte(b) {
			t.Errorf("%#02x taken for a status byte", b)
		}
	}
}

func TestDecodeStatus(t *testing.T) {
	tests := []struct {
		name   string
		raw    [4]byte
		check  func(Status) bool
		err    error
		state  devices.State
		usable bool
	}{
		{"ready", [4]byte{0x12, 0x12, 0x12, 0x12}, func(s Status) bool { return s.Paper == PaperOK && !s.Offline }, nil, devices.Online, true},
		{"paper low", [4]byte{0x12, 0x12, 0x12, 0x1e}, func(s Status) bool { return s.Paper == PaperLow }, nil, devices.Online, true},
		{"paper out", [4]byte{0x1a, 0x32, 0x12, 0x72}, func(s Status) bool { return s.Paper == PaperOut && s.Offline && s.PaperStop }, ErrPaperOut, devices.UserError, false},
		{"paper stop only", [4]byte{0x1a, 0x32, 0x12, 0x12}, func(s Status) bool { return s.Paper == PaperOut }, ErrPaperOut, devices.UserError, false},
		{"cover open", [4]byte{0x1a, 0x16, 0x12, 0x12}, func(s Status) bool { return s.CoverOpen }, ErrCoverOpen, devices.UserError, false},
		{"cutter", [4]byte{0x1a, 0x52, 0x1a, 0x12}, func(s Status) bool { return s.CutterError && s.Error }, ErrHardware, devices.HardwareError, false},
		{"mechanical", [4]byte{0x12, 0x52, 0x16, 0x12}, func(s Status) bool { return s.MechanicalError }, ErrHardware, devices.HardwareError, false},
		{"unrecoverable", [4]byte{0x12, 0x52, 0x32, 0x12}, func(s Status) bool { return s.Unrecoverable }, ErrHardware, devices.HardwareError, false},
		{"auto-recoverable", [4]byte{0x12, 0x12, 0x52, 0x12}, func(s Status) bool { return s.AutoRecoverable }, nil, devices.Online, true},
		{"offline", [4]byte{0x1a, 0x12, 0x12, 0x12}, func(s Status) bool { return s.Offline }, ErrOffline, devices.Offline, false},
		{"feed button", [4]byte{0x52, 0x1a, 0x12, 0x12}, func(s Status) bool { return s.FeedButton && s.PaperFeeding }, nil, devices.Online, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := DecodeStatus(tc.raw)
			if err != nil {
				t.Fatal(err)
			}
			if !tc.check(s) || s.Raw != tc.raw {
				t.Fatalf("decoded %+v", s)
			}
			if !errors.Is(s.Err(), tc.err) || (tc.err == nil) != (s.Err() == nil) {
				t.Fatalf("Err() = %v, want %v", s.Err(), tc.err)
			}
			if s.DeviceState() != tc.state || s.Usable() != tc.usable {
				t.Fatalf("state %s usable %v", s.DeviceState(), s.Usable())
			}
		})
	}
	if _, err := DecodeStatus([4]byte{0x12, 0x13, 0x12, 0x12}); !errors.Is(err, ErrBadStatus) {
		t.Fatalf("XOFF decoded as status: %v", err)
	}
	var s Status
	if err := DecodeStatusByte(5, 0x12, &s); err == nil {
		t.Fatal("DLE EOT 5 decoded")
	}
}

func TestScanStatusByte(t *testing.T) {
	tests := []struct {
		in   []byte
		v    byte
		n    int
		ok   bool
		name string
	}{
		{[]byte{0x12}, 0x12, 1, true, "plain"},
		{[]byte{xoff, 0x00, 0x1e, 0x12}, 0x1e, 3, true, "after garbage"},
		{[]byte{xon, xoff, 0xff}, 0, 3, false, "only garbage"},
		{nil, 0, 0, false, "empty"},
	}
	for _, tc := range tests {
		v, n, ok := ScanStatusByte(tc.in)
		if v != tc.v || n != tc.n || ok != tc.ok {
			t.Errorf("%s: ScanStatusByte = %#02x %d %v", tc.name, v, n, ok)
		}
	}
}

func FuzzDecodeStatusByte(f *testing.F) {
	for _, b := range []byte{0x12, 0x1e, 0x72, 0x13, 0x11, 0xff, 0x00} {
		for n := 0; n <= 5; n++ {
			f.Add(n, b)
		}
	}
	f.Fuzz(func(t *testing.T, n int, b byte) {
		var s Status
		err := DecodeStatusByte(n, b, &s)
		if err == nil && (n < 1 || n > 4 || !ValidStatusByte(b)) {
			t.Fatalf("DLE EOT %d reply %#02x accepted", n, b)
		}
		if n == 4 && err == nil && s.Paper == "" {
			t.Fatal("paper state not set")
		}
	})
}

func FuzzDecodeStatus(f *testing.F) {
	f.Add([]byte{0x12, 0x12, 0x12, 0x12})
	f.Add([]byte{0x1a, 0x32, 0x12, 0x72})
	f.Add([]byte{0x13, 0x11, 0x00, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		var raw [4]byte
		copy(raw[:], b)
		s, err := DecodeStatus(raw)
		if err != nil {
			if !errors.Is(err, ErrBadStatus) {
				t.Fatalf("error %v does not wrap ErrBadStatus", err)
			}
			return
		}
		// Every decoded status maps to exactly one verdict and state.
		_ = Verdict(s, nil)
		if s.Usable() != (s.Err() == nil) {
			t.Fatalf("Usable %v but Err %v", s.Usable(), s.Err())
		}
		_ = s.String()
	})
}

func FuzzScanStatusByte(f *testing.F) {
	f.Add([]byte{0x13, 0x12})
	f.Add([]byte{0xff, 0x00, 0x11})
	f.Fuzz(func(t *testing.T, b []byte) {
		v, n, ok := ScanStatusByte(b)
		if n < 0 || n > len(b) {
			t.Fatalf("consumed %d of %d", n, len(b))
		}
		if ok && (!ValidStatusByte(v) || b[n-1] != v) {
			t.Fatalf("returned %#02x at %d", v, n)
		}
		for _, c := range b[:n-boolInt(ok)] {
			if ValidStatusByte(c) {
				t.Fatalf("skipped status byte %#02x", c)
			}
		}
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
