package phone

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"

	"github.com/henan-county/kiosk/drivers/phone/internal/wav"
)

// FreeSIPAddr returns 127.0.0.1:P where UDP and TCP port P and TCP port
// P+1 (baresip's TLS) are free at the moment of asking: the address of a
// user agent on loopback (the simulator's desk and kiosk, tests).
func FreeSIPAddr() (string, error) {
	for range 50 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return "", fmt.Errorf("phone: loopback port: %w", err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		l2, err2 := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port+1))
		u, err3 := net.ListenPacket("udp", "127.0.0.1:"+strconv.Itoa(port))
		l.Close()
		if err2 == nil {
			l2.Close()
		}
		if err3 == nil {
			u.Close()
		}
		if err2 == nil && err3 == nil {
			return "127.0.0.1:" + strconv.Itoa(port), nil
		}
	}
	return "", errors.New("phone: no free pair of loopback ports")
}

// WriteTone writes a soft sine of hz, seconds long, as a 16-bit mono
// 8 kHz WAV: a voice for file audio where there is no microphone.
func WriteTone(path string, hz, seconds float64) error {
	if err := os.WriteFile(path, wav.Encode(wav.Tone(8000, hz, 0.2, seconds)), 0o640); err != nil {
		return fmt.Errorf("phone: tone: %w", err)
	}
	return nil
}
