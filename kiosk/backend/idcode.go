package backend

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/henan-county/kiosk/kiosk/identity"
)

// CodeIdentity is who a resident's electronic ID code (电子身份证, shown on
// their phone) names, as the backend verified it. It is personal data in
// full: mask it wherever it is shown or logged.
type CodeIdentity struct {
	CardType string `json:"card_type"` // "resident"
	Name     string `json:"name"`
	IDNumber string `json:"id_number"`
	Sex      string `json:"sex,omitempty"`
	ValidTo  string `json:"valid_to,omitempty"` // YYYY-MM-DD
	Source   string `json:"source"`             // 豫事办电子身份证
}

// Card is the identity as a card the journey uses like one read from the
// reader.
func (c CodeIdentity) Card() *identity.Card {
	card := &identity.Card{Type: identity.ResidentID, Name: c.Name, IDNumber: c.IDNumber,
		IDNumberValid: identity.ValidIDNumber(c.IDNumber), Sex: c.Sex}
	switch c.Sex {
	case "男":
		card.SexCode = "1"
	case "女":
		card.SexCode = "2"
	}
	if t, err := time.Parse(time.DateOnly, c.ValidTo); err == nil {
		card.ValidTo = t
	}
	return card
}

// Wipe blanks the identity.
func (c *CodeIdentity) Wipe() { *c = CodeIdentity{} }

// Reasons of the refusals of an identity code (422).
const (
	CodeInvalid = "code_invalid"
	CodeExpired = "code_expired"
	CodeUsed    = "code_used"
)

// maxIdentityCode bounds what is sent: a scanned code, not a document.
const maxIdentityCode = 512

// VerifyIdentityCode asks the backend who a scanned electronic ID code
// names. The code is single-use: it is sent once and never logged. A
// refusal (not genuine, expired, used) is a permanent *Error whose Reason
// is one of CodeInvalid, CodeExpired, CodeUsed.
func (c *Client) VerifyIdentityCode(ctx context.Context, code string) (CodeIdentity, error) {
	if len(code) < 16 || len(code) > maxIdentityCode {
		return CodeIdentity{}, &Error{Op: "identity-code", Reason: "validation", Detail: "not an identity code", Permanent: true}
	}
	body, err := json.Marshal(struct {
		Code string `json:"code"`
	}{code})
	if err != nil {
		return CodeIdentity{}, fmt.Errorf("backend: identity-code: %w", err)
	}
	r, err := c.do(ctx, "identity-code", http.MethodPost, "v1/identity-codes/verify", nil, body)
	if err != nil {
		return CodeIdentity{}, err
	}
	return DecodeCodeIdentity(r.status, r.contentType, r.body, r.retryAfter)
}

// DecodeCodeIdentity decodes the answer to an identity code: the identity,
// strictly checked (a resident ID number with its check digit, a name of
// at most 30 characters without control characters), or the problem.
func DecodeCodeIdentity(status int, contentType string, body []byte, retryAfter time.Duration) (CodeIdentity, error) {
	const op = "identity-code"
	if status != http.StatusOK {
		return CodeIdentity{}, DecodeProblem(op, status, contentType, body, retryAfter)
	}
	if mt := mediaType(contentType); mt != "application/json" {
		return CodeIdentity{}, &Error{Op: op, Status: status, Reason: "bad_content_type",
			Detail: fmt.Sprintf("content type %q", trunc(contentType)), Err: ErrBadReply}
	}
	var id CodeIdentity
	if err := strictUnmarshal(body, &id); err != nil {
		return CodeIdentity{}, &Error{Op: op, Status: status, Reason: "bad_body", Detail: err.Error(), Err: ErrBadReply}
	}
	bad := func(why string) (CodeIdentity, error) {
		id.Wipe()
		return CodeIdentity{}, &Error{Op: op, Status: status, Reason: "bad_body", Detail: why, Err: ErrBadReply}
	}
	switch {
	case id.CardType != "resident":
		return bad("card_type is not resident")
	case !identity.ValidIDNumber(id.IDNumber):
		return bad("id_number is not a resident ID number")
	case id.Name == "" || utf8.RuneCountInString(id.Name) > 30 || !printable(id.Name):
		return bad("name missing, too long or not text")
	case id.Sex != "" && id.Sex != "男" && id.Sex != "女":
		return bad("sex is not 男 or 女")
	case id.Source == "" || utf8.RuneCountInString(id.Source) > 40 || !printable(id.Source):
		return bad("source missing or not text")
	}
	if id.ValidTo != "" {
		if _, err := time.Parse(time.DateOnly, id.ValidTo); err != nil {
			return bad("valid_to is not a date")
		}
	}
	return id, nil
}

func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return false
		}
	}
	return true
}
