// Package scanner drives the kiosk's 1D/2D code scanner, which reads a
// resident's payment code (付款码), the QR code of a kiosk receipt, a
// tracking number or an electronic certificate code from a phone.
//
// Kiosk scanners are wired one of two ways, and both end in the same
// codec:
//
//   - serial (RS-232, or USB CDC showing up as /dev/ttyACM0): each code is
//     sent as a line ending in CR, LF or CRLF (or a suffix the scanner is
//     set to). The port is opened through drivers/serialport.
//   - keyboard mode (USB HID): the scanner types each code and presses
//     Enter. It is read from its Linux input device (/dev/input/eventN),
//     grabbed exclusively with EVIOCGRAB so that its keystrokes never
//     reach the screen; KeyReader turns its input_event records into the
//     bytes typed, US layout with Shift and Caps Lock.
//
// LineDecoder cuts codes out of either byte stream: a code is printable
// ASCII and at most MaxLen bytes; an over-long code (ErrTooLong) is
// dropped up to its terminator and the next one is read whole, a line
// with a control byte or anything outside ASCII is ErrGarbage.
//
// Scanner owns the line: it opens it, reports into the kiosk's device
// model (kind "scanner"), reopens it after an unplug, delivers each code
// with the time read on Scans, and releases the device on Halt. It does
// not judge what a code is: kiosk/scancode does, on the screen that asked
// for one. Codes are never logged here; callers log them masked.
//
// scannersim is a simulated serial scanner on a pseudo-terminal;
// scannerdiag is `kioskctl diag scanner`. The wiring, formats and what
// cannot be tested without the hardware are in docs/scanner.md.
package scanner
