package document

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"syscall"
	"time"
)

// The conditions a caller acts on. Every error Check and Preview return
// wraps one of them (or a context error) with what exactly was wrong.
var (
	// ErrTooLarge: the document is over Limits.MaxBytes, or has more
	// pages than Limits.MaxPages.
	ErrTooLarge = errors.New("document: too large")
	// ErrHashMismatch: the document is not the one its metadata
	// describes: its SHA-256 (or its size or page count, where the
	// metadata gives them) differs, or the metadata has no valid SHA-256.
	ErrHashMismatch = errors.New("document: does not match its metadata")
	// ErrNotPDF: the bytes are not a well-formed PDF.
	ErrNotPDF = errors.New("document: not a well-formed PDF")
	// ErrNotInstalled: pdfinfo or pdftoppm (Debian poppler-utils) is
	// missing, so no document can be checked or shown.
	ErrNotInstalled = errors.New("document: poppler-utils not installed")
)

// Meta is what the backend says about a document it issued. The host
// fills it from the backend's reply; this package does not know the
// backend.
type Meta struct {
	SHA256           string // hex, required
	Pages            int    // 0: not given
	Size             int64  // bytes; 0: not given
	VerificationCode string // printed on the document, for the resident
	VerificationURL  string
	Title            string // e.g. 户籍证明
	Department       string // the issuing department
}

// Limits bounds what Check accepts and what its pdfinfo may use. Zero
// fields take the values in DefaultLimits.
type Limits struct {
	MaxBytes int64         // largest document accepted
	MaxPages int           // most pages accepted
	Timeout  time.Duration // for pdfinfo
	Memory   int64         // pdfinfo's address space (RLIMIT_AS), bytes
	PDFInfo  string        // the command
}

// DefaultLimits: a proof is one to a few A4 pages with a seal image and
// an embedded font subset, well under 1 MiB; 20 MiB and 200 pages leave
// room for a long record (a 社保 payment history) and refuse absurd ones.
var DefaultLimits = Limits{
	MaxBytes: 20 << 20,
	MaxPages: 200,
	Timeout:  5 * time.Second,
	Memory:   512 << 20,
	PDFInfo:  "pdfinfo",
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.MaxBytes > 0 {
		d.MaxBytes = l.MaxBytes
	}
	if l.MaxPages > 0 {
		d.MaxPages = l.MaxPages
	}
	if l.Timeout > 0 {
		d.Timeout = l.Timeout
	}
	if l.Memory > 0 {
		d.Memory = l.Memory
	}
	if l.PDFInfo != "" {
		d.PDFInfo = l.PDFInfo
	}
	return d
}

// Check returns nil if pdf is the document meta describes and a
// well-formed PDF within limits. In order: the size cap, the size and
// SHA-256 against meta, the structure (Structure), then pdfinfo must parse
// it within limits.Timeout and report a page count, which must be within
// the cap and match meta.Pages when that is given.
func Check(meta Meta, pdf []byte, limits Limits) error {
	l := limits.withDefaults()
	if int64(len(pdf)) > l.MaxBytes {
		return fmt.Errorf("document: check: %d bytes, cap %d: %w", len(pdf), l.MaxBytes, ErrTooLarge)
	}
	if meta.Size > 0 && meta.Size != int64(len(pdf)) {
		return fmt.Errorf("document: check: %d bytes, metadata says %d: %w", len(pdf), meta.Size, ErrHashMismatch)
	}
	want, err := hex.DecodeString(meta.SHA256)
	if err != nil || len(want) != sha256.Size {
		return fmt.Errorf("document: check: metadata SHA-256 %q is not 64 hex digits: %w", meta.SHA256, ErrHashMismatch)
	}
	got := sha256.Sum256(pdf)
	if subtle.ConstantTimeCompare(got[:], want) != 1 {
		return fmt.Errorf("document: check: SHA-256 %x, metadata says %s: %w", got, meta.SHA256, ErrHashMismatch)
	}
	if err := Structure(pdf); err != nil {
		return fmt.Errorf("document: check: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), l.Timeout)
	defer cancel()
	n, _, err := pages(ctx, pdf, l)
	if err != nil {
		return fmt.Errorf("document: check: %w", err)
	}
	if n > l.MaxPages {
		return fmt.Errorf("document: check: %d pages, cap %d: %w", n, l.MaxPages, ErrTooLarge)
	}
	if meta.Pages > 0 && meta.Pages != n {
		return fmt.Errorf("document: check: %d pages, metadata says %d: %w", n, meta.Pages, ErrHashMismatch)
	}
	return nil
}

// Pages returns the page count pdfinfo reads from pdf (which should have
// passed Check). Only limits' Timeout, Memory and PDFInfo are used.
func Pages(ctx context.Context, pdf []byte, limits Limits) (int, error) {
	l := limits.withDefaults()
	ctx, cancel := context.WithTimeout(ctx, l.Timeout)
	defer cancel()
	n, _, err := pages(ctx, pdf, l)
	if err != nil {
		return 0, fmt.Errorf("document: pages: %w", err)
	}
	return n, nil
}

// pages runs pdfinfo on pdf ("-" reads standard input) and reads its
// "Pages:" line. The last such line counts: the document's own strings
// (Title, Author…) come before it in pdfinfo's output and could hold one.
// It also returns pdfinfo's resource usage (for the benchmarks).
func pages(ctx context.Context, pdf []byte, l Limits) (int, *syscall.Rusage, error) {
	out, ru, err := run(ctx, l.PDFInfo, []string{"-"}, pdf, l.Memory, 1<<20, 4<<10)
	if err != nil {
		if errors.Is(err, ErrNotInstalled) {
			return 0, ru, err
		}
		return 0, ru, fmt.Errorf("%w: %w", ErrNotPDF, err)
	}
	n := -1
	for line := range bytes.Lines(out) {
		if v, ok := bytes.CutPrefix(line, []byte("Pages:")); ok {
			if p, err := strconv.Atoi(string(bytes.TrimSpace(v))); err == nil {
				n = p
			}
		}
	}
	if n < 1 {
		return 0, ru, fmt.Errorf("%s gave no page count: %w", l.PDFInfo, ErrNotPDF)
	}
	return n, ru, nil
}
