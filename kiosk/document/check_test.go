package document

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

func needPoppler(t testing.TB) {
	t.Helper()
	for _, c := range []string{"pdfinfo", "pdftoppm"} {
		if _, err := exec.LookPath(c); err != nil {
			t.Skipf("%s not installed (Debian poppler-utils; .ci/setup.sh installs it)", c)
		}
	}
}

func TestCheckAccepts(t *testing.T) {
	needPoppler(t)
	for _, tc := range []struct {
		name  string
		pdf   []byte
		pages int
	}{
		{"one page", onePage(), 1},
		{"three pages", pagesPDF(3), 3},
		{"twenty pages", pagesPDF(20), 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := Check(metaOf(tc.pdf, tc.pages), tc.pdf, Limits{}); err != nil {
				t.Fatal(err)
			}
			// Pages not given in the metadata: still accepted.
			m := metaOf(tc.pdf, 0)
			m.Size = 0
			if err := Check(m, tc.pdf, Limits{}); err != nil {
				t.Fatal(err)
			}
			n, err := Pages(context.Background(), tc.pdf, Limits{})
			if err != nil || n != tc.pages {
				t.Fatalf("Pages = %d, %v; want %d", n, err, tc.pages)
			}
		})
	}
}

func TestCheckRefuses(t *testing.T) {
	needPoppler(t)
	one := onePage()
	three := pagesPDF(3)
	xref := bytes.LastIndex(one, []byte("xref\n0 "))
	for _, tc := range []struct {
		name   string
		meta   Meta
		pdf    []byte
		limits Limits
		want   error
	}{
		{"wrong hash", func() Meta { m := metaOf(three, 1); m.Size = 0; return m }(), one, Limits{}, ErrHashMismatch},
		{"no hash", Meta{}, one, Limits{}, ErrHashMismatch},
		{"hash not hex", Meta{SHA256: strings.Repeat("zz", 32)}, one, Limits{}, ErrHashMismatch},
		{"size differs", func() Meta { m := metaOf(one, 1); m.Size++; return m }(), one, Limits{}, ErrHashMismatch},
		{"pages differ", metaOf(three, 2), three, Limits{}, ErrHashMismatch},
		{"oversized", metaOf(three, 3), three, Limits{MaxBytes: int64(len(three)) - 1}, ErrTooLarge},
		{"too many pages", metaOf(three, 3), three, Limits{MaxPages: 2}, ErrTooLarge},
		{"empty", metaOf(nil, 0), nil, Limits{}, ErrNotPDF},
		{"garbage", metaOf([]byte("hello, 户籍证明\n"), 0), []byte("hello, 户籍证明\n"), Limits{}, ErrNotPDF},
		{"truncated", metaOf(one[:len(one)/2], 1), one[:len(one)/2], Limits{}, ErrNotPDF},
		{"no EOF", metaOf(one[:len(one)-6], 1), one[:len(one)-6], Limits{}, ErrNotPDF},
		{"header only", metaOf([]byte("%PDF-1.4\n%%EOF\n"), 0), []byte("%PDF-1.4\n%%EOF\n"), Limits{}, ErrNotPDF},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Check(tc.meta, tc.pdf, tc.limits)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			t.Log(err)
		})
	}

	// Broken cross-references, each with a matching hash: the structure
	// check refuses them (poppler alone would quietly rebuild the table).
	broken := map[string][]byte{
		"startxref past the end": replaceLast(one, "startxref\n"+itoa(xref), "startxref\n999999"),
		"startxref off by one":   replaceLast(one, "startxref\n"+itoa(xref), "startxref\n"+itoa(xref+1)),
		"startxref not a number": replaceLast(one, "startxref\n"+itoa(xref), "startxref\nabc"),
		"entry points elsewhere": replaceLast(one, "0000000015 00000 n", "0000000016 00000 n"),
		"entry past the end":     replaceLast(one, "0000000015 00000 n", "0009999999 00000 n"),
		"entry malformed":        replaceLast(one, "0000000015 00000 n", "000000015 00000 n "),
		"count too large":        replaceLast(one, "xref\n0 5", "xref\n0 9"),
		"no trailer root":        replaceLast(one, "/Root 1 0 R", "/Rot 1 0 R"),
		"not an xref stream":     replaceLast(one, "startxref\n"+itoa(xref), "startxref\n9"),
		"PDF 3.0":                replaceLast(one, "%PDF-1.4", "%PDF-3.0"),
	}
	for name, pdf := range broken {
		t.Run(name, func(t *testing.T) {
			if bytes.Equal(pdf, one) {
				t.Fatal("the test's replacement did not apply")
			}
			err := Check(metaOf(pdf, 0), pdf, Limits{})
			if !errors.Is(err, ErrNotPDF) {
				t.Fatalf("err = %v, want ErrNotPDF", err)
			}
			t.Log(err)
		})
	}
}

func TestStructureXRefStream(t *testing.T) {
	// A cross-reference stream is recognised by its dictionary (the
	// stream itself is pdfinfo's to decode).
	b := []byte("%PDF-1.5\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
	x := len(b)
	b = append(b, "2 0 obj\n<< /Type /XRef /Size 3 /W [1 2 1] /Root 1 0 R /Length 0 >>\nstream\n\nendstream\nendobj\nstartxref\n"...)
	b = append(b, itoa(x)+"\n%%EOF\n"...)
	if err := Structure(b); err != nil {
		t.Fatal(err)
	}
	bad := replaceLast(b, "/Type /XRef", "/Type /Page")
	if err := Structure(bad); !errors.Is(err, ErrNotPDF) {
		t.Fatalf("err = %v", err)
	}
}

func TestCheckNotInstalled(t *testing.T) {
	one := onePage()
	err := Check(metaOf(one, 1), one, Limits{PDFInfo: "no-such-pdfinfo"})
	if !errors.Is(err, ErrNotInstalled) || errors.Is(err, ErrNotPDF) {
		t.Fatalf("err = %v", err)
	}
}

func TestCheckTimeout(t *testing.T) {
	needPoppler(t)
	// A pdfinfo that does not answer in time is a refusal, in bounded time.
	one := onePage()
	start := time.Now()
	err := Check(metaOf(one, 1), one, Limits{Timeout: time.Nanosecond})
	if !errors.Is(err, ErrNotPDF) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("took %v", d)
	}
}

func replaceLast(b []byte, old, new string) []byte {
	i := bytes.LastIndex(b, []byte(old))
	if i < 0 {
		return b
	}
	out := append([]byte{}, b[:i]...)
	out = append(out, new...)
	return append(out, b[i+len(old):]...)
}

func itoa(n int) string { return strconv.Itoa(n) }
