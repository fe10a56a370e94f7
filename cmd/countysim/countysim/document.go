package countysim

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/henan-county/kiosk/kiosk/backend"
	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/mask"
)

// DefaultFontFile is the font documents' Chinese is set in: Droid Sans
// Fallback (Debian fonts-droid-fallback), a single TrueType-outline file
// that covers Simplified Chinese. fpdf embeds only TrueType outlines and
// reads no collections, so Noto CJK (CFF outlines in a .ttc) cannot be
// used; fpdf subsets it to the characters a document uses. It has no
// Latin letters or digits: those are set in DefaultLatinFontFile.
const DefaultFontFile = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"

// DefaultLatinFontFile sets documents' letters and digits: DejaVu Sans
// (Debian fonts-dejavu-core, TrueType).
const DefaultLatinFontFile = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

// Fonts are the TrueType fonts a document is set in.
type Fonts struct {
	CJK, Latin []byte
}

// VerifyBase is where a document's verification code is checked.
const VerifyBase = "https://zwfw.zhongmu.gov.cn/yz?code="

// Document is a document the simulated backend issued: its metadata and
// the PDF.
type Document struct {
	Meta backend.DocumentMeta
	PDF  []byte
}

// DocumentTitle is the title a print matter's document carries: the
// matter's name without the kiosk's "打印" (户籍证明打印 → 户籍证明), or
// its receipt title when the name is only "打印".
func DocumentTitle(svc *catalog.Service) string {
	t := strings.TrimSpace(strings.TrimSuffix(svc.Name, "打印"))
	if t == "" {
		t = svc.Receipt.Title
	}
	return t
}

// VerificationCode is the code a document carries for (kiosk, tx): twelve
// characters of the tracking-number alphabet in three groups of four,
// derived from the ids so a document fetched again is the same document.
func VerificationCode(kioskID, txID string) string {
	const alphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
	sum := sha256.Sum256([]byte("countysim verification\x00" + kioskID + "\x00" + txID))
	var b strings.Builder
	for i := 0; i < 12; i++ {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(alphabet[int(sum[i])%len(alphabet)])
	}
	return b.String()
}

// IssueDocument renders the A4 document for a stored print transaction:
// title, the resident's data as issued (name and ID number masked), the
// matter's own fields, the issuing department, the date, the department's
// electronic seal and a verification QR code with its code under it.
// pages is how many pages it has: the first as described, then record
// pages (a payment history, say), each with the title, the verification
// code and its page number; less than 1 means one.
func IssueDocument(fonts Fonts, svc *catalog.Service, st stored, pages int) (Document, error) {
	sub := st.Submission
	title := DocumentTitle(svc)
	code := VerificationCode(st.KioskID, sub.ID)
	verifyURL := VerifyBase + strings.ReplaceAll(code, "-", "")
	issued := st.ReceivedAt.In(catalog.Local())
	if issued.IsZero() {
		issued = time.Date(2026, 1, 1, 0, 0, 0, 0, catalog.Local())
	}

	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(issued)
	pdf.SetModificationDate(issued)
	pdf.SetProducer("countysim", false)
	pdf.SetTitle(title, true)
	pdf.SetAuthor(svc.Department, true)
	pdf.SetAutoPageBreak(false, 0)
	pdf.AddUTF8FontFromBytes("cjk", "", fonts.CJK)
	pdf.AddUTF8FontFromBytes("latin", "", fonts.Latin)
	pdf.SetMargins(25, 25, 25)
	pdf.AddPage()

	pdf.SetTextColor(0, 0, 0)
	text(pdf, 9, 25, 18, 160, 5, "文件编号：WJ"+sub.TrackingNo, "R")
	text(pdf, 24, 25, 32, 160, 14, title, "C")
	pdf.SetDrawColor(180, 20, 30)
	pdf.SetLineWidth(0.6)
	pdf.Line(25, 50, 185, 50)

	rows := [][2]string{}
	if p := sub.Person; p != nil {
		rows = append(rows, [2]string{"姓　　名", mask.Name(p.Name)},
			[2]string{"证件号码", mask.ID(p.IDNumber)})
	}
	rows = append(rows, [2]string{"办理事项", svc.Name})
	personal := map[string]bool{}
	for _, id := range sub.Personal {
		personal[id] = true
	}
	fields := map[string]catalog.Field{}
	var order []string
	for _, f := range svc.Form {
		fields[f.ID] = f
		order = append(order, f.ID)
	}
	var extra []string
	for id := range sub.Fields {
		if _, ok := fields[id]; !ok {
			extra = append(extra, id)
		}
	}
	sort.Strings(extra)
	for _, id := range append(order, extra...) {
		v, ok := sub.Fields[id]
		f := fields[id]
		if !ok || strings.TrimSpace(v) == "" || f.Type == catalog.FieldFromCard {
			continue // the card's name and number are above, masked
		}
		label := f.Label
		if label == "" {
			label = id
		}
		switch {
		case f.Type == catalog.FieldChoice:
			// The choice as the resident read it (近12个月), not its code.
			for _, c := range f.Choices {
				if c.Value == v && c.Label != "" {
					v = c.Label
					break
				}
			}
		case f.Type == catalog.FieldIDNumber:
			v = mask.ID(v)
		case f.Type == catalog.FieldPhone:
			v = mask.Phone(v)
		case personal[id]:
			v = mask.Value(v)
		default:
			v = mask.Text(v) // anything shaped like an ID or phone number
		}
		rows = append(rows, [2]string{label, v})
	}
	rows = append(rows, [2]string{"受理编号", sub.TrackingNo})

	text(pdf, 13, 25, 60, 160, 8, "兹证明：", "L")
	y := 72.0
	pdf.SetDrawColor(120, 120, 120)
	pdf.SetLineWidth(0.2)
	for _, r := range rows {
		pdf.Rect(30, y, 38, 10, "D")
		pdf.Rect(68, y, 112, 10, "D")
		text(pdf, 13, 30, y, 38, 10, r[0], "C")
		text(pdf, 13, 70, y, 108, 10, r[1], "L")
		y += 10
		if y > 170 {
			break
		}
	}
	writeLines(pdf, 12, 25, y+8, 160, 8, "　　经核查，上述信息与本单位登记记录一致。本材料由"+svc.Department+
		"出具，加盖电子印章，与纸质盖章材料具有同等效力，自出具之日起三个月内有效。")

	// The department and the date, with the seal over them.
	text(pdf, 13, 95, 205, 90, 8, svc.Department, "R")
	text(pdf, 13, 95, 214, 90, 8, fmt.Sprintf("%d年%02d月%02d日", issued.Year(), int(issued.Month()), issued.Day()), "R")
	seal, err := SealPNG(fonts.CJK, svc.Department, 480)
	if err != nil {
		return Document{}, err
	}
	pdf.RegisterImageOptionsReader("seal", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(seal))
	pdf.ImageOptions("seal", 128, 185, 42, 42, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")

	// The verification QR code with the code under it.
	qr, err := qrcode.Encode(verifyURL, qrcode.Medium, 256)
	if err != nil {
		return Document{}, fmt.Errorf("countysim: document: qr: %w", err)
	}
	pdf.RegisterImageOptionsReader("qr", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(qr))
	pdf.ImageOptions("qr", 25, 232, 32, 32, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	text(pdf, 11, 25, 265, 80, 6, "验证码："+code, "L")
	writeLines(pdf, 8, 62, 240, 123, 5, "扫描左侧二维码或访问 "+verifyURL+" 输入验证码核验本材料真伪。")
	writeLines(pdf, 8, 62, 252, 123, 5, "本材料由中牟县政务服务24小时自助终端打印。")
	for p := 2; p <= pages; p++ {
		recordPage(pdf, title, code, sub.TrackingNo, p, pages)
	}

	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return Document{}, fmt.Errorf("countysim: document: %w", err)
	}
	b := buf.Bytes()
	sum := sha256.Sum256(b)
	return Document{PDF: b, Meta: backend.DocumentMeta{SHA256: hex.EncodeToString(sum[:]), Pages: pdf.PageCount(),
		VerificationCode: code, VerificationURL: verifyURL, IssuedAt: issued, Department: svc.Department,
		Title: title, Size: int64(len(b))}}, nil
}

// recordPage adds page p of n: rows of a record under the title, with
// the verification code and the page number at the foot.
func recordPage(pdf *fpdf.Fpdf, title, code, trackingNo string, p, n int) {
	pdf.AddPage()
	text(pdf, 9, 25, 18, 160, 5, "文件编号：WJ"+trackingNo, "R")
	text(pdf, 16, 25, 28, 160, 10, title+"（续）", "C")
	pdf.SetDrawColor(120, 120, 120)
	pdf.SetLineWidth(0.2)
	y := 45.0
	for i := 0; i < 20; i++ {
		row := (p-2)*20 + i + 1
		pdf.Rect(30, y, 30, 10, "D")
		pdf.Rect(60, y, 120, 10, "D")
		text(pdf, 11, 30, y, 30, 10, fmt.Sprintf("%d", row), "C")
		text(pdf, 11, 62, y, 116, 10, fmt.Sprintf("记录 %d：登记信息与本单位记录一致", row), "L")
		y += 10
	}
	text(pdf, 10, 25, 265, 80, 6, "验证码："+code, "L")
	text(pdf, 10, 105, 265, 80, 6, fmt.Sprintf("第 %d 页 共 %d 页", p, n), "R")
}

// runs splits s into runs set in one font each: letters, digits and
// ASCII punctuation in the Latin font, everything else in the Chinese one.
func runs(s string) (out []run) {
	for _, r := range s {
		f := "cjk"
		if r < 0x2000 && r != 0x00b7 {
			f = "latin"
		}
		if n := len(out); n > 0 && out[n-1].font == f {
			out[n-1].text += string(r)
			continue
		}
		out = append(out, run{font: f, text: string(r)})
	}
	return out
}

type run struct{ font, text string }

func width(pdf *fpdf.Fpdf, size float64, s string) float64 {
	w := 0.0
	for _, r := range runs(s) {
		pdf.SetFont(r.font, "", size)
		w += pdf.GetStringWidth(r.text)
	}
	return w
}

// text sets s on one line in the box (x, y, w, h), aligned "L", "C" or "R",
// switching fonts between runs.
func text(pdf *fpdf.Fpdf, size, x, y, w, h float64, s, align string) {
	tw := width(pdf, size, s)
	switch align {
	case "C":
		x += (w - tw) / 2
	case "R":
		x += w - tw
	}
	for _, r := range runs(s) {
		pdf.SetFont(r.font, "", size)
		rw := pdf.GetStringWidth(r.text)
		pdf.SetXY(x, y)
		pdf.CellFormat(rw, h, r.text, "", 0, "L", false, 0, "")
		x += rw
	}
}

// writeLines sets s from (x, y) in lines of at most w millimetres,
// breaking between any two characters as Chinese is set. (fpdf's MultiCell
// drops the character at a break in text without spaces.)
func writeLines(pdf *fpdf.Fpdf, size, x, y, w, h float64, s string) {
	var line []rune
	flush := func() {
		text(pdf, size, x, y, w, h, string(line), "L")
		y += h
		line = line[:0]
	}
	for _, r := range s {
		if len(line) > 0 && width(pdf, size, string(append(line, r))) > w-1 {
			flush()
		}
		line = append(line, r)
	}
	if len(line) > 0 {
		flush()
	}
}

// errNoFont: the document font is not installed.
var errNoFont = errors.New("countysim: document fonts not installed (Debian fonts-droid-fallback, fonts-dejavu-core)")

// loadFonts reads the document fonts once.
func (s *Server) loadFonts() (Fonts, error) {
	s.fontOnce.Do(func() {
		cjk, latin := s.opts.FontFile, s.opts.LatinFontFile
		if cjk == "" {
			cjk = DefaultFontFile
		}
		if latin == "" {
			latin = DefaultLatinFontFile
		}
		var errs [2]error
		s.fonts.CJK, errs[0] = os.ReadFile(cjk)
		s.fonts.Latin, errs[1] = os.ReadFile(latin)
		if err := errors.Join(errs[:]...); err != nil {
			s.fontErr = fmt.Errorf("%w: %w", errNoFont, err)
		}
	})
	return s.fonts, s.fontErr
}

// Document returns the document issued for kiosk's transaction id, issuing
// it the first time it is asked for. found is false when there is no such
// transaction or it is not a print matter.
func (s *Server) Document(kioskID, id string) (doc Document, found bool, err error) {
	k := string(txKey(kioskID, id))
	s.mu.Lock()
	doc, ok := s.docs[k]
	s.mu.Unlock()
	if ok {
		return doc, true, nil
	}
	st, ok, err := s.load(kioskID, id)
	if err != nil || !ok {
		return Document{}, false, err
	}
	svc := s.catalog.Service(st.Submission.ServiceID)
	switch {
	case svc == nil && st.Submission.ServiceKind == string(catalog.KindPrint):
		// A matter of a list published later than the built-in one.
		svc = &catalog.Service{Name: "证明材料", Department: "中牟县政务服务和大数据管理局", Kind: catalog.KindPrint}
	case svc == nil || svc.Kind != catalog.KindPrint:
		return Document{}, false, nil
	}
	fonts, err := s.loadFonts()
	if err != nil {
		return Document{}, false, err
	}
	doc, err = IssueDocument(fonts, svc, st, s.DocumentPages())
	if err != nil {
		return Document{}, false, err
	}
	s.mu.Lock()
	if old, ok := s.docs[k]; ok {
		doc = old // issued once: a concurrent request keeps the first
	} else {
		s.docs[k] = doc
	}
	s.mu.Unlock()
	return doc, true, nil
}

// SetDocumentPages sets how many pages the documents issued from now on
// have (less than 1: one): a long record, for measuring the kiosk with a
// document of many pages.
func (s *Server) SetDocumentPages(n int) {
	s.mu.Lock()
	s.docPages = n
	s.mu.Unlock()
}

// DocumentPages is how many pages documents issued now have.
func (s *Server) DocumentPages() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return max(s.docPages, 1)
}

// served is the document as the faults in force make it.
func (s *Server) served(doc Document) (meta backend.DocumentMeta, pdf []byte, pad int64) {
	f := s.Faults()
	meta, pdf = doc.Meta, doc.PDF
	if f.DocumentCorrupt {
		// The head survives, the rest is garbage: no trailer, no
		// cross-reference table, broken streams. The metadata matches the
		// damaged bytes, so only the PDF's form gives it away.
		pdf = append([]byte(nil), doc.PDF[:len(doc.PDF)*2/5]...)
		for len(pdf) < len(doc.PDF) {
			pdf = append(pdf, "\x00garbage"[:min(8, len(doc.PDF)-len(pdf))]...)
		}
		sum := sha256.Sum256(pdf)
		meta.SHA256 = hex.EncodeToString(sum[:])
	}
	if f.DocumentWrongHash {
		sum := sha256.Sum256(append([]byte("another document\x00"), pdf...))
		meta.SHA256 = hex.EncodeToString(sum[:])
	}
	if f.DocumentOversized && int64(len(pdf)) < OversizedDocument {
		pad = OversizedDocument - int64(len(pdf))
	}
	return meta, pdf, pad
}

func (s *Server) documentFor(w http.ResponseWriter, r *http.Request, kioskID string) (Document, bool) {
	doc, ok, err := s.Document(kioskID, r.PathValue("id"))
	switch {
	case errors.Is(err, errNoFont):
		problem(w, http.StatusServiceUnavailable, "unavailable", err.Error())
	case err != nil:
		problem(w, 500, "document", err.Error())
	case !ok:
		problem(w, 404, "not_found", "no document for this transaction")
	default:
		return doc, true
	}
	return Document{}, false
}

func (s *Server) getDocumentMeta(w http.ResponseWriter, r *http.Request, kioskID string) {
	doc, ok := s.documentFor(w, r, kioskID)
	if !ok {
		return
	}
	meta, _, _ := s.served(doc)
	writeJSON(w, 200, meta)
}

func (s *Server) getDocumentPDF(w http.ResponseWriter, r *http.Request, kioskID string) {
	doc, ok := s.documentFor(w, r, kioskID)
	if !ok {
		return
	}
	meta, pdf, pad := s.served(doc)
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("ETag", `"`+meta.SHA256+`"`)
	if pad == 0 {
		w.Header().Set("Content-Length", strconv.Itoa(len(pdf)))
	}
	w.WriteHeader(200)
	w.Write(pdf)
	// Oversized: padded with PDF comment lines, sent without a length so
	// the kiosk has to stop reading at its cap.
	line := []byte("%" + strings.Repeat("0", 62) + "\n")
	chunk := bytes.Repeat(line, 1024)
	for pad > 0 {
		n := min(pad, int64(len(chunk)))
		if _, err := w.Write(chunk[:n]); err != nil {
			return
		}
		pad -= n
	}
}

// IssueFontsInstalled reports whether the default document fonts are
// installed (tests skip without them).
func IssueFontsInstalled() (bool, error) {
	for _, f := range []string{DefaultFontFile, DefaultLatinFontFile} {
		if _, err := os.Stat(f); err != nil {
			return false, fmt.Errorf("%w: %w", errNoFont, err)
		}
	}
	return true, nil
}
