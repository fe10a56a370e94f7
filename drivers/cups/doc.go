// Package cups prints the kiosk's A4 documents (the proofs residents come
// for: 户籍证明, 社保缴费证明, 完税证明…) through CUPS, the Linux printing
// system, and follows each job and the printer to their end.
//
// # IPP, not the command-line tools
//
// The driver speaks IPP/2.0 (RFC 8010 encoding, RFC 8011 operations) over
// HTTP to cupsd, with its own small codec (ipp.go: a message over an
// io.Reader or io.Writer, tested on bytes and fuzzed), and uses four
// operations: Print-Job, Get-Job-Attributes, Get-Printer-Attributes and
// Cancel-Job. It does not run lp, lpstat and cancel from cups-client,
// because:
//
//   - lpstat cannot say what the kiosk must know: it shows neither a
//     job's completed impressions ("正在打印第 2/3 页"), nor the marker
//     (toner) levels, nor the paper trays, and it words the printer's
//     reasons for people, in the machine's locale;
//   - IPP is CUPS's own interface (lp and lpstat are IPP clients), and
//     the printers themselves speak it: a driverless (IPP Everywhere)
//     printer on the network, or a USB printer through ipp-usb, answers
//     the same Get-Printer-Attributes, so the driver asks the printer
//     behind the queue directly for what cupsd learns only while a job is
//     running (that the printer is off, out of paper, its toner);
//   - no child process per poll (a poll every 3 s, all day), no output
//     parsing that changes between CUPS versions, and errors that say
//     which operation failed with IPP's status code;
//   - every call takes a context and a deadline.
//
// # What the kiosk sees
//
// Print returns the job id once cupsd has spooled the PDF; Job and Wait
// follow it (pending, processing, completed, aborted, canceled, pages
// done, reasons); Printer reads the queue's state (idle, processing,
// stopped), its reasons with the -report/-warning/-error suffixes taken
// off (media-empty, media-jam, toner-low, door-open, offline…), markers
// and trays. Run polls the printer and reports it as the device
// devices.A4 in kiosk/devices: online, busy, userError (paper out, jam,
// door open, toner empty), hardwareError (queue stopped or not
// accepting), offline (printer or cupsd not answering), with the details
// state, paper (ok, low, out, jam), toner (ok, low, empty) and
// toner_level. Run returns only when its context ends or the printer is
// halted; a bad reply is a state, never a panic.
//
// cupssim beside this package starts a private cupsd with ippeveprinter
// behind it for tests and simulator mode; docs/documents.md describes the
// whole document path, docs/deployment.md the queue on a real kiosk.
package cups
