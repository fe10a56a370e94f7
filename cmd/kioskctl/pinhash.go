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
	_, c := newLocalFlags("pin-hash", "kioskctl pin-hash [--json] < PIN   (6 to 12 digits on standard input)", stdout, stderr)
	pos, code, ok := c.parse(args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		return c.usageError("the PIN is read from standard input, never from the command line")
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && line == "" {
		return c.usageError("no PIN on standard input")
	}
	pin := strings.TrimSpace(line)
	if len(pin) < 6 || len(pin) > 12 || strings.Trim(pin, "0123456789") != "" {
		return c.usageError("a technician PIN is 6 to 12 digits")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pin), 12)
	if err != nil {
		return c.fail(err)
	}
	if c.json {
		printJSON(stdout, map[string]string{"pin_hash": string(h)})
		return exitOK
	}
	fmt.Fprintf(stdout, "pin_hash = %q\n", h)
	return exitOK
}
