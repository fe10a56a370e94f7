package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

// cmdPINHash reads a technician PIN (6 to 12 digits) from stdin and prints
// the bcrypt hash to put in the config's technician.pin_hash.
func cmdPINHash(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintln(stderr, "kioskctl pin-hash: the PIN is read from standard input, never from the command line")
		return exitUsage
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && line == "" {
		fmt.Fprintln(stderr, "kioskctl pin-hash: no PIN on standard input")
		return exitUsage
	}
	pin := strings.TrimSpace(line)
	if len(pin) < 6 || len(pin) > 12 || strings.Trim(pin, "0123456789") != "" {
		fmt.Fprintln(stderr, "kioskctl pin-hash: a technician PIN is 6 to 12 digits")
		return exitUsage
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pin), 12)
	if err != nil {
		return fail(stderr, err)
	}
	fmt.Fprintf(stdout, "pin_hash = %q\n", h)
	return exitOK
}
