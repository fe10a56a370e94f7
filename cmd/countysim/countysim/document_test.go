package countysim_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image/png"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/cmd/countysim/countysim"
	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/identity"
	"github.com/henan-county/kiosk/kiosk/mask"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// needDocumentTools skips when the document font or poppler's pdftotext
// is missing (.ci/setup.sh installs both).
func needDocumentTools(t *testing.T) {
	t.Helper()
	for _, f := range []string{countysim.DefaultFontFile, countysim.DefaultLatinFontFile} {
		if _, err := os.Stat(f); err != nil {
			t.Skip("document font not installed (fonts-droid-fallback, fonts-dejavu-core)")
		}
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (poppler-utils)")
	}
}

// pdfText is the text poppler reads from pdf, with the layout kept.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "pdftotext", "-layout", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v: %s", err, stderr.String())
	}
	return string(out)
}

func printTx(svc *catalog.Service, at time.Time) txn.Transaction {
	fields := map[string]string{}
	for _, f := range svc.Form {
		switch f.Type {
		case catalog.FieldFromCard:
			fields[f.ID] = "欧阳秀兰"
		case catalog.FieldIDNumber:
			fields[f.ID] = "410122199001011234"
		case catalog.FieldPhone:
			fields[f.ID] = "13812345678"
		case catalog.FieldChoice:
			fields[f.ID] = "2026"
			if len(f.Choices) > 0 {
				fields[f.ID] = f.Choices[0].Value
			}
		default:
			fields[f.ID] = "2026"
		}
	}
	return txn.Transaction{ID: txn.NewID(at), KioskID: kiosk, ServiceID: svc.ID, ServiceKind: string(svc.Kind),
		CreatedAt: at, Fields: fields,
		Person: &txn.Person{CardType: identity.ResidentID, Name: "欧阳秀兰", IDNumber: "410122199001011234"}}
}

// TestDocumentForEveryPrintMatter: every print matter of the default
// catalog gets a one-page A4 document, fetched by the kiosk's client over
// mutual TLS, whose SHA-256 and size are what the metadata says and whose
// text holds the title, the masked name, the department and the
// verification code, and never the full name or ID number.
func TestDocumentForEveryPrintMatter(t *testing.T) {
	needDocumentTools(t)
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	_, c := startTLS(t)
	ctx := context.Background()
	at := time.Date(2026, 11, 27, 1, 30, 0, 0, time.UTC) // 09:30 in the county
	n := 0
	for i := range cat.Services {
		svc := &cat.Services[i]
		if svc.Kind != catalog.KindPrint {
			continue
		}
		n++
		t.Run(svc.ID, func(t *testing.T) {
			tx := printTx(svc, at.Add(time.Duration(n)*time.Second))
			res, err := c.Submit(ctx, tx)
			if err != nil {
				t.Fatal(err)
			}
			meta, pdf, err := c.FetchDocument(ctx, tx.ID)
			if err != nil {
				t.Fatal(err)
			}
			// The answer names the document by the code printed on it.
			code := ""
			for _, l := range res.Lines {
				if l.Key == "verify_code" {
					code = l.Value
				}
			}
			if code != meta.VerificationCode || len(res.Document) != 0 {
				t.Errorf("answer %+v, document code %s", res, meta.VerificationCode)
			}
			sum := sha256.Sum256(pdf)
			if hex.EncodeToString(sum[:]) != meta.SHA256 || int64(len(pdf)) != meta.Size {
				t.Fatalf("metadata %s/%d, PDF %x/%d", meta.SHA256, meta.Size, sum, len(pdf))
			}
			if !bytes.HasPrefix(pdf, []byte("%PDF-1.")) || !bytes.Contains(pdf[len(pdf)-32:], []byte("%%EOF")) {
				t.Fatal("not a PDF")
			}
			if meta.Pages != 1 || meta.Department != svc.Department || meta.Title != countysim.DocumentTitle(svc) ||
				meta.VerificationCode != countysim.VerificationCode(kiosk, tx.ID) ||
				!strings.HasPrefix(meta.VerificationURL, "https://") {
				t.Fatalf("metadata %+v", meta)
			}
			text := pdfText(t, pdf)
			// A choice reads as the resident chose it, not as its code.
			for _, f := range svc.Form {
				if f.Type == catalog.FieldChoice && len(f.Choices) > 0 && tx.Fields[f.ID] == f.Choices[0].Value &&
					!strings.Contains(text, f.Choices[0].Label) {
					t.Errorf("document text lacks the choice %q:\n%s", f.Choices[0].Label, text)
				}
			}
			for _, want := range []string{meta.Title, mask.Name("欧阳秀兰"), svc.Department, meta.VerificationCode,
				mask.ID("410122199001011234"), meta.IssuedAt.In(catalog.Local()).Format("2006年01月02日")} {
				if !strings.Contains(text, want) {
					t.Errorf("document text lacks %q:\n%s", want, text)
				}
			}
			for _, never := range []string{"欧阳秀兰", "秀兰", "410122199001011234", "13812345678"} {
				if strings.Contains(text, never) {
					t.Errorf("document text holds %q", never)
				}
			}
		})
	}
	if n < 40 {
		t.Fatalf("only %d print matters in the default catalog", n)
	}
}

// TestDocumentOnlyForPrintMatters: other matters and unknown transactions
// have no document.
func TestDocumentOnlyForPrintMatters(t *testing.T) {
	_, c := startTLS(t)
	tx := newTx()
	if _, err := c.Submit(context.Background(), tx); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{tx.ID, "no-such-tx"} {
		if _, _, err := c.FetchDocument(context.Background(), id); err == nil || !strings.Contains(err.Error(), "404") {
			t.Errorf("%s: %v, want 404", id, err)
		}
	}
}

// TestLongDocument: with SetDocumentPages the documents issued have that
// many pages, each of the record pages numbered with the verification
// code; one issued before keeps its pages.
func TestLongDocument(t *testing.T) {
	needDocumentTools(t)
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	svc := cat.Service("hz-hjzm")
	if svc == nil {
		t.Fatal("no hz-hjzm in the default catalog")
	}
	s, c := startTLS(t)
	ctx := context.Background()
	at := time.Date(2026, 11, 27, 1, 30, 0, 0, time.UTC)
	short := printTx(svc, at)
	if _, err := c.Submit(ctx, short); err != nil {
		t.Fatal(err)
	}
	if m, _, err := c.FetchDocument(ctx, short.ID); err != nil || m.Pages != 1 {
		t.Fatalf("before: %d pages, %v", m.Pages, err)
	}
	s.SetDocumentPages(20)
	long := printTx(svc, at.Add(time.Second))
	if _, err := c.Submit(ctx, long); err != nil {
		t.Fatal(err)
	}
	meta, pdf, err := c.FetchDocument(ctx, long.ID)
	if err != nil {
		t.Fatal(err)
	}
	if meta.Pages != 20 {
		t.Fatalf("%d pages", meta.Pages)
	}
	text := pdfText(t, pdf)
	if !strings.Contains(text, "第 20 页 共 20 页") || strings.Count(text, meta.VerificationCode) != 20 {
		t.Errorf("record pages not numbered, or without the code:\n%s", text)
	}
	if m, _, err := c.FetchDocument(ctx, short.ID); err != nil || m.Pages != 1 {
		t.Fatalf("the earlier document: %d pages, %v", m.Pages, err)
	}
}

// TestSealDrawn: the seal is a red ring with something inside, on a
// transparent background.
func TestSealDrawn(t *testing.T) {
	needDocumentTools(t)
	font, err := os.ReadFile(countysim.DefaultFontFile)
	if err != nil {
		t.Fatal(err)
	}
	b, err := countysim.SealPNG(font, "中牟县公安局户政管理大队", 200)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Fatal("not a PNG")
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	red := func(x, y int) bool {
		r, g, _, a := img.At(x, y).RGBA()
		return a > 0x8000 && r > 0xc000 && g < 0x4000
	}
	// The star in the middle, the ring at the top and on the left, no
	// background in the corner.
	if !red(100, 100) || !red(100, 7) || !red(7, 100) || red(1, 1) {
		t.Error("seal lacks its ring or star, or has a background")
	}
}
