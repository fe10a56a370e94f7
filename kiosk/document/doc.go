// Package document checks the A4 documents the county backend issues
// (the proofs residents come to print: 户籍证明, 社保缴费证明, …) and
// renders a page of one for the preview screen.
//
// Check refuses a document that is too large, whose SHA-256 differs from
// the metadata the backend sent with it, or that is not a well-formed
// PDF. The structure is checked here, carefully but without parsing the
// PDF (header, %%EOF, startxref and the cross-reference table or stream it
// points at); then poppler's pdfinfo (Debian poppler-utils) confirms that
// the document parses and gives its page count. Preview renders one page
// to an image with poppler's pdftoppm. Both programs run as child
// processes with a time and a memory limit and read the document from
// their standard input: a document, which holds personal data, is never
// written to disk by this package.
//
// The errors are for technicians; the caller acts on the sentinels
// (ErrTooLarge, ErrHashMismatch, ErrNotPDF, ErrNotInstalled) and words
// them for the resident elsewhere. See docs/documents.md.
package document
