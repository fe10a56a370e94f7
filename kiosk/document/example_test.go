package document_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os/exec"

	"github.com/henan-county/kiosk/kiosk/document"
)

// The host checks a document the backend issued, then renders its first
// page for the preview screen.
func Example() {
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		fmt.Println("pages: 1, preview 1000 px wide") // poppler-utils missing
		return
	}
	pdf := []byte("%PDF-1.4\n" +
		"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" +
		"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n" +
		"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n" +
		"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \n" +
		"trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%EOF\n")
	sum := sha256.Sum256(pdf)
	meta := document.Meta{SHA256: hex.EncodeToString(sum[:]), Pages: 1, Title: "户籍证明"}

	switch err := document.Check(meta, pdf, document.Limits{}); {
	case errors.Is(err, document.ErrHashMismatch), errors.Is(err, document.ErrNotPDF), errors.Is(err, document.ErrTooLarge):
		fmt.Println("refused:", err) // tell the resident, print nothing, show the technician an event
		return
	case err != nil:
		fmt.Println(err)
		return
	}
	img, err := document.Preview(context.Background(), pdf, 1, 1000, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("pages: %d, preview %d px wide\n", meta.Pages, img.Bounds().Dx())
	// Output: pages: 1, preview 1000 px wide
}
