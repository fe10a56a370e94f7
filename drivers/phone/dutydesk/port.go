package dutydesk

import (
	"fmt"
	"net"
)

// freeLoopback is a loopback TCP address free at the moment of asking,
// for the desk's control port.
func freeLoopback() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("dutydesk: control port: %w", err)
	}
	defer l.Close()
	return l.Addr().String(), nil
}
