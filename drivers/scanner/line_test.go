package scanner

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// result is one Next outcome: a code, or the sentinel of a rejected line.
type result struct {
	code string
	err  error
}

// decodeAll feeds chunks one by one and collects every outcome.
func decodeAll(d *LineDecoder, chunks ...[]byte) []result {
	var out []result
	for _, c := range chunks {
		d.Write(c)
		for {
			code, err := d.Next()
			if err != nil {
				sentinel := ErrGarbage
				if errors.Is(err, ErrTooLong) {
					sentinel = ErrTooLong
				}
				out = append(out, result{err: sentinel})
				continue
			}
			if code == nil {
				break
			}
			out = append(out, result{code: string(code)})
		}
	}
	return out
}

func TestLineDecoder(t *testing.T) {
	long := strings.Repeat("9", 40)
	for _, tc := range []struct {
		name   string
		max    int
		suffix string
		chunks []string
		want   []result
	}{
		{"CR", 0, "", []string{"134567890123456789\r"}, []result{{code: "134567890123456789"}}},
		{"LF", 0, "", []string{"K7QH2M4X\n"}, []result{{code: "K7QH2M4X"}}},
		{"CRLF is one end", 0, "", []string{"K7QH2M4X\r\nZM20261126K7QH2M4X\r\n"}, []result{{code: "K7QH2M4X"}, {code: "ZM20261126K7QH2M4X"}}},
		{"CRLF split", 0, "", []string{"K7QH2M4X\r", "\nNEXT\r", "\n"}, []result{{code: "K7QH2M4X"}, {code: "NEXT"}}},
		{"code in pieces", 0, "", []string{"http", "s://zwfw.", "zhongmu.gov.cn/jd?no=K7QH2M4X", "\r"}, []result{{code: "https://zwfw.zhongmu.gov.cn/jd?no=K7QH2M4X"}}},
		{"no end yet", 0, "", []string{"K7QH2M4X"}, nil},
		{"empty lines skipped", 0, "", []string{"\r\n\r\n\nA B\n\n"}, []result{{code: "A B"}}},
		{"tab suffix", 0, "\t", []string{"CODE1\tCODE2\t"}, []result{{code: "CODE1"}, {code: "CODE2"}}},
		{"two-byte suffix split", 0, "\x03\x04", []string{"CODE1\x03", "\x04CODE2\x03\x04"}, []result{{code: "CODE1"}, {code: "CODE2"}}},
		{"CR inside a suffixed code", 0, "\t", []string{"CO\rDE\t"}, []result{{err: ErrGarbage}}},
		{"too long, then the next code whole", 10, "", []string{long + "\r\nAFTER\r\n"}, []result{{err: ErrTooLong}, {code: "AFTER"}}},
		{"too long across writes", 10, "", []string{long, long, "\r", "AFTER\r"}, []result{{err: ErrTooLong}, {code: "AFTER"}}},
		{"exactly max", 10, "", []string{"0123456789\r"}, []result{{code: "0123456789"}}},
		{"one over max", 10, "", []string{"0123456789A\r"}, []result{{err: ErrTooLong}}},
		{"control byte", 0, "", []string{"1345\x0767890\rGOOD\r"}, []result{{err: ErrGarbage}, {code: "GOOD"}}},
		{"high byte", 0, "", []string{"\xe4\xbb\x98\xe6\xac\xbe\rGOOD\r"}, []result{{err: ErrGarbage}, {code: "GOOD"}}},
		{"DEL", 0, "", []string{"AB\x7fC\n"}, []result{{err: ErrGarbage}}},
		{"NUL from an unknown key", 0, "", []string{"AB\x00C\r"}, []result{{err: ErrGarbage}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := &LineDecoder{Max: tc.max, Suffix: []byte(tc.suffix)}
			var chunks [][]byte
			for _, c := range tc.chunks {
				chunks = append(chunks, []byte(c))
			}
			got := decodeAll(d, chunks...)
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("outcome %d: got %v, want %v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestLineErrorsDoNotQuoteTheCode(t *testing.T) {
	d := &LineDecoder{Max: 20}
	d.Write([]byte("1345678901\x01345678\r" + strings.Repeat("6", 30) + "\r"))
	for range 2 {
		_, err := d.Next()
		if err == nil {
			t.Fatal("no error")
		}
		if strings.Contains(err.Error(), "1345678") || strings.Contains(err.Error(), "666") {
			t.Errorf("error quotes the code: %v", err)
		}
	}
	if d.Dropped() != 30 {
		t.Errorf("dropped %d bytes, want 30", d.Dropped())
	}
}

// FuzzLineDecoder: however the stream is cut into reads, the outcomes are
// the same; every code is printable ASCII within the bound and holds no
// terminator; and a code after a terminator is never lost, whatever came
// before it.
func FuzzLineDecoder(f *testing.F) {
	f.Add([]byte("134567890123456789\r\nK7QH2M4X\n"), uint8(3), []byte("GOOD"), uint8(16))
	f.Add([]byte(strings.Repeat("x", 100)), uint8(1), []byte("AFTER"), uint8(8))
	f.Add([]byte("\x00\xff\r\r\n"), uint8(0), []byte("https://a/b?no=K7QH2M4X"), uint8(0))
	f.Fuzz(func(t *testing.T, stream []byte, step uint8, code []byte, maxLen uint8) {
		m := int(maxLen)
		limit := m
		if limit == 0 {
			limit = DefaultMaxLen
		}
		whole := decodeAll(&LineDecoder{Max: m}, stream)
		var chunks [][]byte
		n := int(step) + 1
		for i := 0; i < len(stream); i += n {
			chunks = append(chunks, stream[i:min(i+n, len(stream))])
		}
		split := decodeAll(&LineDecoder{Max: m}, chunks...)
		if len(whole) != len(split) {
			t.Fatalf("whole %v, in reads of %d %v", whole, n, split)
		}
		for i := range whole {
			if whole[i] != split[i] {
				t.Fatalf("outcome %d: whole %v, in reads %v", i, whole[i], split[i])
			}
			c := whole[i].code
			if whole[i].err == nil && (c == "" || len(c) > limit) {
				t.Fatalf("code of %d bytes (max %d)", len(c), m)
			}
			for _, b := range []byte(c) {
				if b < 0x20 || b > 0x7e {
					t.Fatalf("code holds 0x%02x", b)
				}
			}
		}
		// Resynchronisation: anything, a terminator, then a good code.
		good := bytes.Map(func(r rune) rune {
			if r < 0x20 || r > 0x7e {
				return 'x'
			}
			return r
		}, code)
		if len(good) == 0 || len(good) > limit {
			return
		}
		in := append(append(append(bytes.Clone(stream), '\n'), good...), '\r')
		out := decodeAll(&LineDecoder{Max: m}, in)
		if len(out) == 0 || out[len(out)-1].code != string(good) {
			t.Fatalf("the code after the terminator was lost: %v", out)
		}
	})
}
