package backend

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// DocumentMeta describes the document the backend issued for a print
// transaction (GET /v1/transactions/{id}/document). The PDF itself comes
// from GET /v1/transactions/{id}/document.pdf; the kiosk checks it against
// SHA256 and Size before it shows or prints it (kiosk/document).
type DocumentMeta struct {
	SHA256           string    `json:"sha256"`            // hex SHA-256 of the PDF, lower case
	Size             int64     `json:"size"`              // bytes of the PDF
	Pages            int       `json:"pages"`             // A4 pages
	VerificationCode string    `json:"verification_code"` // printed under the QR code
	VerificationURL  string    `json:"verification_url"`  // what the QR code holds
	IssuedAt         time.Time `json:"issued_at"`
	Department       string    `json:"department"` // the issuing department, as on the seal
	Title            string    `json:"title"`      // e.g. 户籍证明
}

// ErrTooLarge: the document is larger than the client's cap
// (Opts.MaxDocument). It is refused before or while it is read, never
// read whole.
var ErrTooLarge = errors.New("backend: document too large")

// Limits on what DecodeDocumentMeta accepts.
const (
	maxDocumentPages = 200
	maxMetaText      = 256
)

// DecodeDocumentMeta decodes the reply to GET /v1/transactions/{id}/document.
// A success must be application/json with a SHA-256, a size, a page count,
// a verification code and URL, a date, a department and a title that make
// sense; anything else is an *Error (wrapping ErrBadReply for unusable
// bodies, ErrNotFound for 404).
func DecodeDocumentMeta(op string, status int, contentType string, body []byte, retryAfter time.Duration) (DocumentMeta, error) {
	if status != http.StatusOK {
		return DocumentMeta{}, DecodeProblem(op, status, contentType, body, retryAfter)
	}
	bad := func(detail string) (DocumentMeta, error) {
		return DocumentMeta{}, &Error{Op: op, Status: status, Reason: "bad_body", Detail: trunc(detail), Err: ErrBadReply}
	}
	if mt := mediaType(contentType); mt != "application/json" {
		return DocumentMeta{}, &Error{Op: op, Status: status, Reason: "bad_content_type",
			Detail: fmt.Sprintf("content type %q", trunc(contentType)), Err: ErrBadReply}
	}
	var m DocumentMeta
	if err := strictUnmarshal(body, &m); err != nil {
		return bad(err.Error())
	}
	switch {
	case !isLowerHex(m.SHA256, 64):
		return bad("sha256 is not 64 lower-case hex digits")
	case m.Size <= 0:
		return bad("size missing or not positive")
	case m.Pages < 1 || m.Pages > maxDocumentPages:
		return bad(fmt.Sprintf("pages %d not in 1..%d", m.Pages, maxDocumentPages))
	case !plainText(m.VerificationCode, 64):
		return bad("verification code missing or not plain text")
	case !plainText(m.Department, maxMetaText), !plainText(m.Title, maxMetaText):
		return bad("department or title missing or not plain text")
	case m.IssuedAt.IsZero():
		return bad("issued_at missing")
	}
	u, err := url.Parse(m.VerificationURL)
	if err != nil || u.Scheme != "https" || u.Host == "" || len(m.VerificationURL) > 512 {
		return bad("verification URL missing or not https")
	}
	return m, nil
}

func isLowerHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !(s[i] >= '0' && s[i] <= '9' || s[i] >= 'a' && s[i] <= 'f') {
			return false
		}
	}
	return true
}

// plainText: non-empty, valid UTF-8, at most max bytes, no control
// characters (the kiosk draws these on the screen and the slip).
func plainText(s string, max int) bool {
	if strings.TrimSpace(s) == "" || len(s) > max || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return false
		}
	}
	return true
}

// FetchDocument downloads the document the backend issued for print
// transaction txID: its metadata, then the PDF. A document larger than
// Opts.MaxDocument is refused (ErrTooLarge) from its metadata, from its
// Content-Length, or while it is read, so no more than the cap plus one
// byte is ever read. The client does not judge the PDF: the kiosk checks
// the hash, the size and the PDF's form before showing it (kiosk/document).
// A transaction without a document is ErrNotFound.
func (c *Client) FetchDocument(ctx context.Context, txID string) (meta DocumentMeta, pdf []byte, err error) {
	const op = "document"
	if txID == "" {
		return DocumentMeta{}, nil, &Error{Op: op, Reason: "validation", Detail: "transaction without id", Permanent: true}
	}
	base := "v1/transactions/" + url.PathEscape(txID) + "/document"
	r, err := c.do(ctx, op, http.MethodGet, base, nil, nil)
	if err != nil {
		return DocumentMeta{}, nil, err
	}
	meta, err = DecodeDocumentMeta(op, r.status, r.contentType, r.body, r.retryAfter)
	if err != nil {
		return DocumentMeta{}, nil, err
	}
	if meta.Size > c.maxDoc {
		return DocumentMeta{}, nil, tooLarge(op, r.status, fmt.Sprintf("document of %d bytes over the cap of %d", meta.Size, c.maxDoc))
	}
	pdf, err = c.fetchPDF(ctx, op+" pdf", base+".pdf")
	if err != nil {
		return DocumentMeta{}, nil, err
	}
	return meta, pdf, nil
}

func tooLarge(op string, status int, detail string) *Error {
	return &Error{Op: op, Status: status, Reason: "oversized_document", Detail: detail, Permanent: true, Err: ErrTooLarge}
}

// fetchPDF reads an application/pdf reply of at most c.maxDoc bytes.
func (c *Client) fetchPDF(ctx context.Context, op, path string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, c.docTimeout)
	defer cancel()
	resp, err := c.send(ctx, op, http.MethodGet, path, "application/pdf, application/problem+json", nil, nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, c.max))
		return nil, DecodeProblem(op, resp.StatusCode, resp.Header.Get("Content-Type"), b,
			ParseRetryAfter(resp.Header.Get("Retry-After"), c.now()))
	}
	if mt := mediaType(resp.Header.Get("Content-Type")); mt != "application/pdf" {
		return nil, &Error{Op: op, Status: resp.StatusCode, Reason: "bad_content_type",
			Detail: fmt.Sprintf("content type %q", trunc(resp.Header.Get("Content-Type"))), Err: ErrBadReply}
	}
	if resp.ContentLength > c.maxDoc {
		return nil, tooLarge(op, resp.StatusCode, fmt.Sprintf("Content-Length %d over the cap of %d", resp.ContentLength, c.maxDoc))
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, c.maxDoc+1))
	if err != nil {
		return nil, fmt.Errorf("backend: %s: reading document: %w: %w", op, ErrUnreachable, err)
	}
	if int64(len(b)) > c.maxDoc {
		return nil, tooLarge(op, resp.StatusCode, fmt.Sprintf("document larger than the cap of %d bytes", c.maxDoc))
	}
	return b, nil
}
