package document

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"
)

// FuzzCheck: Check never panics, and never accepts bytes whose SHA-256
// is not the one in the metadata.
func FuzzCheck(f *testing.F) {
	one := onePage()
	f.Add(one)
	f.Add(pagesPDF(3))
	f.Add(one[:len(one)/2])
	f.Add(replaceLast(one, "startxref\n", "startxref\n 9"))
	f.Add([]byte("%PDF-1.5\n1 0 obj\n<< /Type /XRef /Root 1 0 R >>\nstream\n\nendstream\nendobj\nstartxref\n9\n%%EOF\n"))
	f.Add([]byte("%PDF-1.4\nxref\n0 1\n0000000000 65535 f \ntrailer\n<< /Root 1 0 R >>\nstartxref\n9\n%%EOF"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		h := sha256.Sum256(b)
		other := h
		other[0] ^= 1
		err := Check(Meta{SHA256: hex.EncodeToString(other[:])}, b, Limits{})
		if !errors.Is(err, ErrHashMismatch) && !errors.Is(err, ErrTooLarge) {
			t.Fatalf("wrong hash: err = %v", err)
		}
		serr := Structure(b)
		if serr != nil && !errors.Is(serr, ErrNotPDF) {
			t.Fatalf("Structure: %v does not wrap ErrNotPDF", serr)
		}
		// With the right hash, pdfinfo runs only on what passed Structure.
		if serr == nil {
			if err := Check(Meta{SHA256: hex.EncodeToString(h[:])}, b, Limits{}); err == nil && Structure(b) != nil {
				t.Fatal("accepted what Structure refuses")
			}
		}
	})
}
