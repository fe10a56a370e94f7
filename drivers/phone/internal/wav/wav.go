// Package wav reads and writes the 16-bit PCM WAV files baresip's aufile
// and sndfile modules use, and shapes a recording into what aufile wants:
// 8 kHz mono (the G.711 call's rate), long enough for a whole call.
package wav

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// Rate is the sample rate of a G.711 call, the only one aufile takes here.
const Rate = 8000

// ErrFormat is a file that is not 16-bit PCM WAV.
var ErrFormat = errors.New("wav: not a 16-bit PCM WAV file")

// Sound is mono 16-bit samples at Rate samples a second.
type Sound struct {
	Rate    int
	Samples []int16
}

// Decode reads a RIFF WAVE file of 16-bit PCM, mono or stereo (mixed
// down), at any rate up to 192 kHz.
func Decode(b []byte) (Sound, error) {
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return Sound{}, fmt.Errorf("%w: no RIFF WAVE header", ErrFormat)
	}
	var (
		channels, bits int
		rate           int
		haveFmt        bool
	)
	for p := 12; p+8 <= len(b); {
		id := string(b[p : p+4])
		size := int(binary.LittleEndian.Uint32(b[p+4 : p+8]))
		body := b[p+8:]
		if size < 0 || size > len(body) {
			if id != "data" {
				return Sound{}, fmt.Errorf("%w: chunk %q runs past the end", ErrFormat, id)
			}
			size = len(body) - len(body)%2 // a recording cut short: take what is there
		}
		body = body[:size]
		switch id {
		case "fmt ":
			if size < 16 {
				return Sound{}, fmt.Errorf("%w: short fmt chunk", ErrFormat)
			}
			format := binary.LittleEndian.Uint16(body[0:2])
			channels = int(binary.LittleEndian.Uint16(body[2:4]))
			rate = int(binary.LittleEndian.Uint32(body[4:8]))
			bits = int(binary.LittleEndian.Uint16(body[14:16]))
			if (format != 1 && format != 0xfffe) || bits != 16 || channels < 1 || channels > 2 || rate < 1000 || rate > 192000 {
				return Sound{}, fmt.Errorf("%w: format %d, %d channels, %d bits, %d Hz", ErrFormat, format, channels, bits, rate)
			}
			haveFmt = true
		case "data":
			if !haveFmt {
				return Sound{}, fmt.Errorf("%w: data before fmt", ErrFormat)
			}
			frame := 2 * channels
			n := size / frame
			s := Sound{Rate: rate, Samples: make([]int16, n)}
			for i := range n {
				sum := 0
				for c := range channels {
					sum += int(int16(binary.LittleEndian.Uint16(body[i*frame+2*c:])))
				}
				s.Samples[i] = int16(sum / channels)
			}
			return s, nil
		}
		p += 8 + size + size%2
	}
	return Sound{}, fmt.Errorf("%w: no data chunk", ErrFormat)
}

// Encode writes s as a mono 16-bit PCM WAV file.
func Encode(s Sound) []byte {
	n := 2 * len(s.Samples)
	b := make([]byte, 44+n)
	copy(b, "RIFF")
	binary.LittleEndian.PutUint32(b[4:], uint32(36+n))
	copy(b[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(b[16:], 16)
	binary.LittleEndian.PutUint16(b[20:], 1)
	binary.LittleEndian.PutUint16(b[22:], 1)
	binary.LittleEndian.PutUint32(b[24:], uint32(s.Rate))
	binary.LittleEndian.PutUint32(b[28:], uint32(2*s.Rate))
	binary.LittleEndian.PutUint16(b[32:], 2)
	binary.LittleEndian.PutUint16(b[34:], 16)
	copy(b[36:], "data")
	binary.LittleEndian.PutUint32(b[40:], uint32(n))
	for i, v := range s.Samples {
		binary.LittleEndian.PutUint16(b[44+2*i:], uint16(v))
	}
	return b
}

// Resample converts s to rate by linear interpolation (enough for speech
// on a telephone line).
func Resample(s Sound, rate int) Sound {
	if s.Rate == rate || len(s.Samples) == 0 {
		return Sound{Rate: rate, Samples: append([]int16(nil), s.Samples...)}
	}
	n := int(int64(len(s.Samples)) * int64(rate) / int64(s.Rate))
	out := make([]int16, n)
	for i := range out {
		pos := float64(i) * float64(s.Rate) / float64(rate)
		j := int(pos)
		f := pos - float64(j)
		a := float64(s.Samples[min(j, len(s.Samples)-1)])
		b := float64(s.Samples[min(j+1, len(s.Samples)-1)])
		out[i] = int16(math.Round(a + (b-a)*f))
	}
	return Sound{Rate: rate, Samples: out}
}

// Fill returns s followed by silence (loop false) or by itself again and
// again (loop true), d long in all; s longer than d is cut.
func Fill(s Sound, d float64, loop bool) Sound {
	n := int(d * float64(s.Rate))
	out := make([]int16, n)
	if !loop || len(s.Samples) == 0 {
		copy(out, s.Samples)
		return Sound{Rate: s.Rate, Samples: out}
	}
	for i := 0; i < n; i += len(s.Samples) {
		copy(out[i:], s.Samples)
	}
	return Sound{Rate: s.Rate, Samples: out}
}

// RMS is the root mean square of the samples (0 for silence, about 23000
// for a full-scale sine).
func RMS(samples []int16) float64 {
	if len(samples) == 0 {
		return 0
	}
	var sum float64
	for _, v := range samples {
		sum += float64(v) * float64(v)
	}
	return math.Sqrt(sum / float64(len(samples)))
}

// Tone is a sine of hz at amplitude amp (of 32767), seconds long.
func Tone(rate int, hz, amp, seconds float64) Sound {
	n := int(seconds * float64(rate))
	s := Sound{Rate: rate, Samples: make([]int16, n)}
	for i := range s.Samples {
		s.Samples[i] = int16(amp * 32767 * math.Sin(2*math.Pi*hz*float64(i)/float64(rate)))
	}
	return s
}
