// Package escpos drives ESC/POS receipt printers over a serial line.
//
// It has three layers, kept apart so each can be tested on its own:
//
//   - the codec: Encode turns a device-independent receipt.Doc into ESC/POS
//     bytes for a printer Profile (paper width, Chinese mode, native or
//     raster QR codes), with line layout that wraps Chinese and Latin text by
//     display width; the Decode* functions decode DLE EOT status replies;
//   - the session: status queries with the input flushed before asking and
//     a 2 s answer deadline, and paced writing that respects XON/XOFF;
//   - the Printer: owns the line, a serial port it opens through
//     drivers/serialport (Opts.Path) or any Transport its opener returns
//     (Opts.Open); reconnects when the printer is unplugged and comes
//     back, polls its status, power-cycles a hung printer by the rule of
//     drivers/powercycle, keeps a queue of jobs a technician can reprint,
//     reports into the kiosk's device model (kiosk/devices), and stops
//     for good on Halt.
//
// The command set follows the Epson ESC/POS reference as implemented by
// the common Chinese 58 mm and 80 mm kiosk printers; see
// docs/printer.md and the simulated printer in printersim.
package escpos
