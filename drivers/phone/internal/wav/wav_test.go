package wav

import (
	"bytes"
	"errors"
	"math"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	for _, s := range []Sound{
		{Rate: 8000, Samples: []int16{0, 1, -1, 32767, -32768}},
		{Rate: 22050, Samples: nil},
		Tone(8000, 440, 0.5, 0.1),
	} {
		got, err := Decode(Encode(s))
		if err != nil {
			t.Fatal(err)
		}
		if got.Rate != s.Rate || len(got.Samples) != len(s.Samples) || !equal(got.Samples, s.Samples) {
			t.Fatalf("round trip changed %d samples at %d Hz into %d at %d Hz", len(s.Samples), s.Rate, len(got.Samples), got.Rate)
		}
	}
}

func equal(a, b []int16) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}

func TestDecodeRejects(t *testing.T) {
	good := Encode(Sound{Rate: 8000, Samples: []int16{1, 2}})
	eight := bytes.Clone(good)
	eight[34] = 8 // 8-bit
	mu := bytes.Clone(good)
	mu[20] = 7 // μ-law
	for name, b := range map[string][]byte{
		"empty":     nil,
		"not riff":  []byte("RIFX0000WAVE"),
		"8-bit":     eight,
		"mu-law":    mu,
		"no data":   good[:36],
		"short fmt": append(bytes.Clone(good[:16]), 4, 0, 0, 0, 1, 0, 1, 0),
	} {
		if _, err := Decode(b); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: err = %v, want ErrFormat", name, err)
		}
	}
}

func TestResampleAndFill(t *testing.T) {
	s := Tone(22050, 300, 0.5, 1)
	r := Resample(s, Rate)
	if r.Rate != Rate || len(r.Samples) != Rate {
		t.Fatalf("resampled to %d samples at %d Hz", len(r.Samples), r.Rate)
	}
	if got, want := RMS(r.Samples), 0.5*32767/math.Sqrt2; math.Abs(got-want) > want*0.02 {
		t.Fatalf("RMS after resampling = %.0f, want about %.0f", got, want)
	}
	f := Fill(r, 3, false)
	if len(f.Samples) != 3*Rate || RMS(f.Samples[Rate:]) != 0 || RMS(f.Samples[:Rate]) == 0 {
		t.Fatal("Fill without loop should be the sound then silence")
	}
	l := Fill(r, 2.5, true)
	if len(l.Samples) != 5*Rate/2 || !equal(l.Samples[Rate:2*Rate], r.Samples) {
		t.Fatal("Fill with loop should repeat the sound")
	}
}

// FuzzDecode: any bytes give a sound or ErrFormat, never a panic, and a
// decoded sound survives a round trip.
func FuzzDecode(f *testing.F) {
	f.Add(Encode(Tone(8000, 440, 0.3, 0.01)))
	f.Add(Encode(Sound{Rate: 44100}))
	f.Add([]byte("RIFF\x00\x00\x00\x00WAVEdata\xff\xff\xff\xff"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := Decode(b)
		if err != nil {
			if !errors.Is(err, ErrFormat) {
				t.Fatalf("error %v is not ErrFormat", err)
			}
			return
		}
		again, err := Decode(Encode(s))
		if err != nil || !equal(again.Samples, s.Samples) || again.Rate != s.Rate {
			t.Fatalf("round trip failed: %v", err)
		}
	})
}
