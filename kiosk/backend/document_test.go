package backend_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/cmd/countysim/countysim"
	"github.com/henan-county/kiosk/kiosk/backend"
)

// printedTx submits a print matter of the default catalog (户籍证明打印)
// and returns its id.
func printedTx(t *testing.T, e *env) string {
	t.Helper()
	tx := sampleTx("print")
	tx.ServiceID = "hz-hjzm"
	if _, err := e.cl.Submit(context.Background(), tx); err != nil {
		t.Fatal(err)
	}
	return tx.ID
}

func needFonts(t *testing.T) {
	t.Helper()
	if _, err := countysim.IssueFontsInstalled(); err != nil {
		t.Skip(err)
	}
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// TestFetchDocument: the kiosk fetches the issued document over mutual
// TLS, byte for byte what the metadata describes.
func TestFetchDocument(t *testing.T) {
	needFonts(t)
	e := newEnv(t, countysim.Faults{})
	id := printedTx(t, e)
	meta, pdf, err := e.cl.FetchDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if sum(pdf) != meta.SHA256 || int64(len(pdf)) != meta.Size || meta.Pages != 1 ||
		meta.Title != "户籍证明" || meta.Department != "中牟县公安局户政管理大队" || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("meta %+v for %d bytes", meta, len(pdf))
	}
	// Fetched again (a reprint), it is the same document.
	meta2, pdf2, err := e.cl.FetchDocument(context.Background(), id)
	if err != nil || meta2 != meta || !bytes.Equal(pdf, pdf2) {
		t.Fatalf("second fetch differs: %v", err)
	}
}

// TestFetchDocumentRefusals: what the client itself refuses, with the
// error a caller acts on.
func TestFetchDocumentRefusals(t *testing.T) {
	needFonts(t)
	e := newEnv(t, countysim.Faults{})
	id := printedTx(t, e)
	ctx := context.Background()

	// Over a small cap: refused from the metadata, nothing downloaded.
	small, err := backend.New(&backend.Opts{BaseURL: e.sim.URL(), KioskID: kiosk, CAFile: e.pki.CAFile,
		CertFile: e.pki.Clients[kiosk].CertFile, KeyFile: e.pki.Clients[kiosk].KeyFile, MaxDocument: 10 << 10})
	if err != nil {
		t.Fatal(err)
	}
	defer small.Close()
	if _, _, err := small.FetchDocument(ctx, id); !errors.Is(err, backend.ErrTooLarge) {
		t.Errorf("over the cap: %v, want ErrTooLarge", err)
	}

	// Not a print matter, or no such transaction: not found.
	tx := sampleTx("apply")
	if _, err := e.cl.Submit(ctx, tx); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{tx.ID, "no-such-tx"} {
		if _, _, err := e.cl.FetchDocument(ctx, id); !errors.Is(err, backend.ErrNotFound) {
			t.Errorf("%s: %v, want ErrNotFound", id, err)
		}
	}

	// Another kiosk's certificate sees nothing of this kiosk's documents.
	other, err := backend.New(&backend.Opts{BaseURL: e.sim.URL(), KioskID: "ZM-OTHER", CAFile: e.pki.CAFile,
		CertFile: e.pki.Clients["ZM-OTHER"].CertFile, KeyFile: e.pki.Clients["ZM-OTHER"].KeyFile})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, _, err := other.FetchDocument(ctx, id); !errors.Is(err, backend.ErrNotFound) {
		t.Errorf("other kiosk: %v, want ErrNotFound", err)
	}

	// Without a client certificate: refused.
	nocert, err := backend.New(&backend.Opts{BaseURL: e.sim.URL(), KioskID: kiosk, CAFile: e.pki.CAFile})
	if err != nil {
		t.Fatal(err)
	}
	defer nocert.Close()
	var be *backend.Error
	if _, _, err := nocert.FetchDocument(ctx, id); !errors.As(err, &be) || be.Status != 401 {
		t.Errorf("no certificate: %v, want 401", err)
	}

	// The backend gone: unreachable.
	e.sim.Close()
	if _, _, err := e.cl.FetchDocument(ctx, id); !errors.Is(err, backend.ErrUnreachable) {
		t.Errorf("backend gone: %v, want ErrUnreachable", err)
	}
}

// TestFetchDocumentFaults: each document fault is either refused by the
// client with the right error or arrives as data the kiosk refuses
// (kiosk/document checks the hash, the size and the PDF's form).
func TestFetchDocumentFaults(t *testing.T) {
	needFonts(t)
	e := newEnv(t, countysim.Faults{})
	id := printedTx(t, e)
	ctx := context.Background()
	_, goodPDF, err := e.cl.FetchDocument(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		f     countysim.Faults
		check func(t *testing.T, meta backend.DocumentMeta, pdf []byte, err error)
	}{
		{"wrong hash", countysim.Faults{DocumentWrongHash: true}, func(t *testing.T, meta backend.DocumentMeta, pdf []byte, err error) {
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(pdf, goodPDF) || sum(pdf) == meta.SHA256 {
				t.Fatal("hash matches: the kiosk would accept it")
			}
		}},
		{"corrupt", countysim.Faults{DocumentCorrupt: true}, func(t *testing.T, meta backend.DocumentMeta, pdf []byte, err error) {
			if err != nil {
				t.Fatal(err)
			}
			if sum(pdf) != meta.SHA256 || bytes.Equal(pdf, goodPDF) || bytes.Contains(pdf, []byte("%%EOF")) {
				t.Fatal("not a damaged PDF under its own hash")
			}
			if _, err := exec.LookPath("pdftotext"); err == nil {
				ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
				defer cancel()
				cmd := exec.CommandContext(ctx, "pdftotext", "-", "-")
				cmd.Stdin = bytes.NewReader(pdf)
				if err := cmd.Run(); err == nil {
					t.Fatal("poppler reads the damaged PDF")
				}
			}
		}},
		{"oversized", countysim.Faults{DocumentOversized: true}, func(t *testing.T, meta backend.DocumentMeta, pdf []byte, err error) {
			var be *backend.Error
			if !errors.Is(err, backend.ErrTooLarge) || !errors.As(err, &be) || !be.Permanent {
				t.Fatalf("%v, want a permanent ErrTooLarge", err)
			}
			if pdf != nil || meta != (backend.DocumentMeta{}) {
				t.Fatal("data returned with the error")
			}
		}},
		{"down", countysim.Faults{Down: true, RetryAfterS: 30}, func(t *testing.T, meta backend.DocumentMeta, pdf []byte, err error) {
			var be *backend.Error
			if !errors.As(err, &be) || be.Status != 503 || be.Permanent || be.RetryAfter != 30*time.Second {
				t.Fatalf("%v, want a temporary 503 with Retry-After", err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.sim.SetFaults(tc.f)
			defer e.sim.SetFaults(countysim.Faults{})
			meta, pdf, err := e.cl.FetchDocument(ctx, id)
			tc.check(t, meta, pdf, err)
		})
	}
}

// TestFetchDocumentBadReplies: a backend that announces a document over
// the cap in its Content-Length, or sends something else than a PDF, or
// metadata that does not make sense.
func TestFetchDocumentBadReplies(t *testing.T) {
	meta := `{"sha256":"` + strings.Repeat("0", 64) + `","size":1000,"pages":1,"verification_code":"X",` +
		`"verification_url":"https://v.example/x","issued_at":"2026-11-27T09:30:00+08:00","department":"部门","title":"证明"}`
	for _, tc := range []struct {
		name      string
		meta      string
		pdfType   string
		pdfLength int
		want      error
	}{
		{"Content-Length over the cap", meta, "application/pdf", 2 << 20, backend.ErrTooLarge},
		{"HTML instead of a PDF", meta, "text/html", 1000, backend.ErrBadReply},
		{"metadata without a hash", strings.Replace(meta, strings.Repeat("0", 64), "", 1), "application/pdf", 1000, backend.ErrBadReply},
		{"metadata with an http URL", strings.Replace(meta, "https:", "http:", 1), "application/pdf", 1000, backend.ErrBadReply},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.HasSuffix(r.URL.Path, "/document") {
					w.Header().Set("Content-Type", "application/json")
					io.WriteString(w, tc.meta)
					return
				}
				w.Header().Set("Content-Type", tc.pdfType)
				w.Header().Set("Content-Length", strconv.Itoa(tc.pdfLength))
				chunk := make([]byte, 32<<10)
				for n := 0; n < tc.pdfLength; n += len(chunk) {
					if _, err := w.Write(chunk[:min(len(chunk), tc.pdfLength-n)]); err != nil {
						return
					}
				}
			}))
			defer srv.Close()
			cl, err := backend.New(&backend.Opts{BaseURL: srv.URL, Dev: true, MaxDocument: 1 << 20})
			if err != nil {
				t.Fatal(err)
			}
			defer cl.Close()
			_, pdf, err := cl.FetchDocument(context.Background(), "tx1")
			if !errors.Is(err, tc.want) || pdf != nil {
				t.Fatalf("%v, want %v", err, tc.want)
			}
		})
	}
}
