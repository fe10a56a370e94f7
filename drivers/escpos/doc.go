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
//   - the Printer: owns the port (drivers/serialport), reconnects when the
//     printer is unplugged and comes back, polls its status, keeps a queue
//     of jobs a technician can reprint, and reports into the kiosk's
//     device model (kiosk/devices).
//
// The command set follows the Epson ESC/POS reference as implemented by
// the common Chinese 58 mm and 80 mm kiosk printers; see
// docs/printer.md and the simulated printer in printersim.
package escpos
