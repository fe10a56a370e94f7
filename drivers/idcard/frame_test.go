package idcard

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRequestFrames(t *testing.T) {
	setBaud, err := SetBaud(115200)
	if err != nil {
		t.Fatal(err)
	}
	set9600, _ := SetBaud(9600)
	for _, tc := range []struct {
		name string
		got  []byte
		want string
	}{
		{"reset SAM", ResetSAM(), "AA AA AA 96 69 00 03 10 FF EC"},
		{"SAM status", SAMStatus(), "AA AA AA 96 69 00 03 11 FF ED"},
		{"SAM ID", SAMID(), "AA AA AA 96 69 00 03 12 FF EE"},
		{"find card", FindCard(), "AA AA AA 96 69 00 03 20 01 22"},
		{"select card", SelectCard(), "AA AA AA 96 69 00 03 20 02 21"},
		{"read text", ReadText(), "AA AA AA 96 69 00 03 30 01 32"},
		{"read text finger", ReadTextFinger(), "AA AA AA 96 69 00 03 30 10 23"},
		{"read address", ReadAddress(), "AA AA AA 96 69 00 03 30 03 30"},
		{"set baud 115200", setBaud, "AA AA AA 96 69 00 03 60 00 63"},
		{"set baud 9600", set9600, "AA AA AA 96 69 00 03 60 04 67"},
		{"set max RF frame", SetMaxRFFrame(0x50), "AA AA AA 96 69 00 04 61 FF 50 CA"},
	} {
		if want := unhex(t, tc.want); !bytes.Equal(tc.got, want) {
			t.Errorf("%s: % X, want % X", tc.name, tc.got, want)
		}
	}
	if _, err := SetBaud(4800); !errors.Is(err, ErrBadBaud) {
		t.Errorf("SetBaud(4800) = %v, want ErrBadBaud", err)
	}
}

func TestFindReplyFromTable(t *testing.T) {
	var d Decoder
	d.Write(unhex(t, "AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97"))
	body, err := d.Next()
	if err != nil || body == nil {
		t.Fatalf("Next = %x, %v", body, err)
	}
	r, err := ParseReply(body)
	if err != nil {
		t.Fatal(err)
	}
	if r.SW3 != StatusFound || r.Err("find card") != nil || len(r.Data) != 4 {
		t.Errorf("reply %+v", r)
	}
}

func TestDecoder(t *testing.T) {
	find := EncodeReply(0, 0, StatusFound, []byte{0, 0, 0, 0})
	read := EncodeReply(0, 0, StatusOK, bytes.Repeat([]byte{0xAA}, 1284))
	bad := append([]byte(nil), find...)
	bad[len(bad)-1] ^= 1
	cat := func(bs ...[]byte) []byte { return bytes.Join(bs, nil) }
	for _, tc := range []struct {
		name    string
		in      []byte
		frames  int
		errs    []error
		skipped uint64
	}{
		{"one frame", find, 1, nil, 0},
		{"garbage first", cat([]byte{1, 2, 3, 0xAA, 0xAA}, find), 1, nil, 5},
		{"partial preamble first", cat([]byte{0xAA, 0xAA, 0xAA, 0x96}, find), 1, nil, 4},
		{"two frames", cat(find, read), 2, nil, 0},
		{"bad checksum then good", cat(bad, find), 1, []error{ErrFrameChecksum}, uint64(len(bad))},
		{"impossible length", cat(unhex(t, "AAAAAA9669FFFF"), find), 1, []error{ErrFrameLength}, 7},
		{"photo full of AA", read, 1, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Feed byte by byte, and all at once: same outcome.
			for _, step := range []int{1, 3, len(tc.in)} {
				var d Decoder
				var frames int
				var errs []error
				for i := 0; i < len(tc.in); i += step {
					d.Write(tc.in[i:min(len(tc.in), i+step)])
					for {
						b, err := d.Next()
						if err != nil {
							errs = append(errs, err)
							continue
						}
						if b == nil {
							break
						}
						frames++
					}
				}
				if frames != tc.frames {
					t.Errorf("step %d: %d frames, want %d", step, frames, tc.frames)
				}
				if len(errs) != len(tc.errs) {
					t.Fatalf("step %d: errors %v, want %v", step, errs, tc.errs)
				}
				for i := range errs {
					if !errors.Is(errs[i], tc.errs[i]) {
						t.Errorf("step %d: error %v, want %v", step, errs[i], tc.errs[i])
					}
				}
				if d.Skipped() != tc.skipped {
					t.Errorf("step %d: skipped %d, want %d", step, d.Skipped(), tc.skipped)
				}
			}
		})
	}
}

func TestDecoderLimit(t *testing.T) {
	// A stray header announcing a long frame must not swallow the short
	// reply behind it when the pending command only answers briefly.
	d := Decoder{Limit: 64}
	d.Write(unhex(t, "AAAAAA9669 0508"))
	d.Write(EncodeReply(0, 0, StatusNoCard, []byte{0, 0, 0, 0}))
	var got []byte
	for {
		b, err := d.Next()
		if err != nil {
			continue
		}
		if b == nil {
			break
		}
		got = b
	}
	if got == nil || Status(got[2]) != StatusNoCard {
		t.Fatalf("got %x", got)
	}
}

func TestDecoderZeroesConsumed(t *testing.T) {
	var d Decoder
	d.Write(EncodeReply(0, 0, StatusOK, []byte("secret-card-bytes")))
	d.Write([]byte{0xAA, 0xAA})
	if b, err := d.Next(); err != nil || b == nil {
		t.Fatal(b, err)
	}
	if bytes.Contains(d.buf[:cap(d.buf)], []byte("secret")) {
		t.Error("decoder buffer still holds consumed frame bytes")
	}
}

func TestStatuses(t *testing.T) {
	for _, tc := range []struct {
		sw3  Status
		want error
	}{
		{0x90, nil}, {0x9F, nil}, {0x91, ErrNoContent}, {0x10, ErrChecksum}, {0x11, ErrLength}, {0x21, ErrCommand},
		{0x23, ErrUnauthorised}, {0x24, ErrUnrecognised}, {0x31, ErrCardAuth}, {0x32, ErrSAMAuth}, {0x33, ErrVerify},
		{0x40, ErrCardType}, {0x41, ErrReadFailed}, {0x47, ErrRandom}, {0x60, ErrSAMSelfTest},
		{0x66, ErrSAMNotAuthorised}, {0x80, ErrNoCard}, {0x81, ErrSelectFailed}, {0x77, ErrUnknownStatus},
	} {
		err := Reply{SW3: tc.sw3}.Err("op")
		if tc.want == nil {
			if err != nil {
				t.Errorf("%02X: %v, want nil", byte(tc.sw3), err)
			}
			continue
		}
		if !errors.Is(err, tc.want) {
			t.Errorf("%02X: %v, want %v", byte(tc.sw3), err, tc.want)
		}
		if s, ok := StatusOf(err); !ok || s != tc.sw3 {
			t.Errorf("%02X: StatusOf = %v %v", byte(tc.sw3), s, ok)
		}
		zh, en := tc.sw3.Meaning()
		if zh == "" || en == "" || !strings.Contains(err.Error(), en) {
			t.Errorf("%02X: meaning %q %q, error %q", byte(tc.sw3), zh, en, err)
		}
	}
}
