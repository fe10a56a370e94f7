package serialport

import (
	"fmt"
	"net"
	"os"

	"golang.org/x/sys/unix"
)

// Pair returns the two ends of an in-memory line: a connected Unix stream
// socket, both ends on Go's poller so that Close interrupts a blocked
// read. Simulated devices serve one end and a driver opens the other
// (through its Opts.Open) where a pseudo-terminal is more than a test
// needs. name labels the ends in errors.
func Pair(name string) (a, b net.Conn, err error) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("serialport: pair %s: %w", name, err)
	}
	conn := func(fd int) (net.Conn, error) {
		f := os.NewFile(uintptr(fd), name)
		defer f.Close() // FileConn holds its own copy
		return net.FileConn(f)
	}
	if a, err = conn(fds[0]); err != nil {
		unix.Close(fds[1])
		return nil, nil, fmt.Errorf("serialport: pair %s: %w", name, err)
	}
	if b, err = conn(fds[1]); err != nil {
		a.Close()
		return nil, nil, fmt.Errorf("serialport: pair %s: %w", name, err)
	}
	return a, b, nil
}
