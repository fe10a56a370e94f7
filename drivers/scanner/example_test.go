package scanner_test

import (
	"errors"
	"fmt"

	"github.com/henan-county/kiosk/drivers/scanner"
	"github.com/henan-county/kiosk/kiosk/scancode"
)

// What arrives from a serial scanner, in whatever pieces the port hands
// over, becomes codes; a garbled line is reported and the next code is
// read whole. Codes are logged masked.
func ExampleLineDecoder() {
	var d scanner.LineDecoder
	for _, chunk := range []string{"1345678901", "23456789\r\n\x1b[A\r\nZM20261126", "K7QH2M4X\r\n"} {
		d.Write([]byte(chunk))
		for {
			code, err := d.Next()
			if errors.Is(err, scanner.ErrGarbage) {
				fmt.Println("not a code")
				continue
			}
			if code == nil {
				break
			}
			c, _ := scancode.Classify(string(code), nil)
			fmt.Println(c.Kind, scancode.Mask(string(code)))
		}
	}
	// Output:
	// payment **************6789
	// not a code
	// tracking **************2M4X
}
