// Package idcard drives a resident identity card reader: the SAM module
// protocol of the GA 467 terminal interface, spoken over a serial line
// (often a USB CDC port).
//
// It has two layers. The codec is pure: request frames are built into byte
// slices (ResetSAM, FindCard, ReadText, ...), replies are cut out of any
// byte stream by an incremental Decoder that checks the length and XOR
// checksum and resynchronises on the preamble, every SW3 status maps to a
// typed error (ErrNoCard, ErrReadFailed, ...), and the 256-byte text block
// of every card layout (resident, J, I, Y) decodes into an *identity.Card.
//
// Above the codec, a Session runs one command at a time over an
// io.ReadWriter with context deadlines, and a Reader owns the line to one
// reader: a serial port it opens through drivers/serialport (Opts.Path),
// or any Transport its opener returns (Opts.Open). It finds the baud rate,
// checks the SAM, polls for cards, enforces that a card leaves the field
// before it is read again, emits events, reports into the kiosk's device
// model, recovers from unplugged, hung and confused readers (power-cycling
// them by the rule of drivers/powercycle), and stops for good on Halt.
//
// The wire facts are in docs/idcard.md and the shared protocol notes.
package idcard
