package catalogcmd

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/sys/unix"
)

// PasswordEnv names the environment variable that holds the password of
// an encrypted county secret key, for scripts; without it the password is
// asked for on the terminal, not echoed.
const PasswordEnv = "KIOSK_CATALOG_KEY_PASSWORD"

var errNoPassword = errors.New("the secret key is encrypted: give its password on the terminal or in " + PasswordEnv)

// password returns the key's password: PasswordEnv when set, else asked
// on the controlling terminal (twice when confirm, as for a new key).
func password(prompt string, confirm bool) (string, error) {
	if pw, ok := os.LookupEnv(PasswordEnv); ok {
		if pw == "" {
			return "", fmt.Errorf("%s is empty", PasswordEnv)
		}
		return pw, nil
	}
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return "", errNoPassword
	}
	defer tty.Close()
	pw, err := askNoEcho(tty, prompt)
	if err != nil {
		return "", err
	}
	if confirm {
		again, err := askNoEcho(tty, "again: ")
		if err != nil {
			return "", err
		}
		if again != pw {
			return "", errors.New("the two passwords differ")
		}
	}
	if pw == "" {
		return "", errors.New("empty password")
	}
	return pw, nil
}

// askNoEcho prints prompt on tty and reads one line with echo off.
func askNoEcho(tty *os.File, prompt string) (string, error) {
	fd := int(tty.Fd())
	old, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return "", errNoPassword
	}
	quiet := *old
	quiet.Lflag &^= unix.ECHO
	quiet.Lflag |= unix.ICANON | unix.ECHONL
	if err := unix.IoctlSetTermios(fd, unix.TCSETS, &quiet); err != nil {
		return "", errNoPassword
	}
	defer unix.IoctlSetTermios(fd, unix.TCSETS, old)
	fmt.Fprint(tty, prompt)
	line, err := bufio.NewReader(tty).ReadString('\n')
	if err != nil && line == "" {
		return "", fmt.Errorf("read password: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}
