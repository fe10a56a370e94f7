package backend

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// FaceResult is the backend's verdict on a face verification. The
// decision (is this the cardholder, is a live person in front of the
// camera) is the backend's alone; the kiosk shows Message and acts on the
// result.
type FaceResult string

const (
	FacePassed        FaceResult = "passed"          // the cardholder, alive
	FaceNotSamePerson FaceResult = "not_same_person" // someone else than the card's holder
	FaceNotAlive      FaceResult = "not_alive"       // a photo, a screen or a mask
	FacePoorQuality   FaceResult = "poor_quality"    // no face, too far, too dark, backlit: try again
)

// Known reports whether r is a result of the contract.
func (r FaceResult) Known() bool {
	switch r {
	case FacePassed, FaceNotSamePerson, FaceNotAlive, FacePoorQuality:
		return true
	}
	return false
}

// FaceVerification is the backend's answer to POST /v1/face-verifications.
type FaceVerification struct {
	VerificationID string     `json:"verification_id"` // 8–32 of [0-9A-Z]
	Result         FaceResult `json:"result"`
	// Message is what to tell the resident (e.g. 请摘下帽子，正对摄像头),
	// plain text of at most 256 bytes.
	Message    string    `json:"message"`
	VerifiedAt time.Time `json:"verified_at"`
}

// FaceRequest is what the kiosk sends: the card's identity and the
// frames. It is personal data throughout: Wipe it once sent.
type FaceRequest struct {
	// CardType is the card's layout (identity.CardType: resident,
	// hmt_permit, foreign_pr, foreign_pr_2023).
	CardType string
	// IDNumber is the card's number, as read.
	IDNumber string
	// Frames are JPEG images (camera.Frame.JPEG), 1 to MaxFaceFrames.
	Frames [][]byte
}

// Wipe zeroes the frames and drops the identity.
func (r *FaceRequest) Wipe() {
	for _, f := range r.Frames {
		clear(f)
	}
	r.Frames, r.IDNumber, r.CardType = nil, "", ""
}

// Limits of a face verification request.
const (
	MaxFaceFrames   = 5
	MaxFaceFrame    = 512 << 10 // bytes of one JPEG frame
	maxFaceMessage  = 256
	maxFaceIDNumber = 32
)

// FaceKey is the Idempotency-Key of a verification: derived from the
// kiosk and the attempt (the session's and the attempt's number), so a
// request repeated after a lost reply is answered with the first verdict,
// never judged twice.
func FaceKey(kioskID, attempt string) string { return PaymentKey(kioskID, "face", attempt) }

// validFaceRequest checks what the kiosk is about to send.
func validFaceRequest(r FaceRequest) string {
	switch r.CardType {
	case "resident", "hmt_permit", "foreign_pr", "foreign_pr_2023":
	default:
		return "card type not one of resident, hmt_permit, foreign_pr, foreign_pr_2023"
	}
	if len(r.IDNumber) == 0 || len(r.IDNumber) > maxFaceIDNumber {
		return "id number missing or too long"
	}
	for i := 0; i < len(r.IDNumber); i++ {
		if c := r.IDNumber[i]; !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') {
			return "id number not digits and capital letters"
		}
	}
	if len(r.Frames) == 0 || len(r.Frames) > MaxFaceFrames {
		return fmt.Sprintf("1 to %d frames", MaxFaceFrames)
	}
	for _, f := range r.Frames {
		if len(f) < 4 || len(f) > MaxFaceFrame || f[0] != 0xff || f[1] != 0xd8 {
			return fmt.Sprintf("a frame that is not a JPEG image of at most %d bytes", MaxFaceFrame)
		}
	}
	return ""
}

// faceBody writes the request's JSON into one buffer the caller can
// zero: the frames as base64, never in a string.
func faceBody(r FaceRequest) []byte {
	n := 64 + len(r.IDNumber) + len(r.CardType)
	for _, f := range r.Frames {
		n += base64.StdEncoding.EncodedLen(len(f)) + 16
	}
	b := make([]byte, 0, n)
	b = append(b, `{"card_type":"`...)
	b = append(b, r.CardType...) // checked: letters and _
	b = append(b, `","id_number":"`...)
	b = append(b, r.IDNumber...) // checked: digits and capitals
	b = append(b, `","frames":[`...)
	for i, f := range r.Frames {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"jpeg":"`...)
		b = base64.StdEncoding.AppendEncode(b, f)
		b = append(b, `"}`...)
	}
	return append(b, "]}"...)
}

// DecodeFaceVerification decodes the backend's answer: a success must be
// application/json with the contract's fields, a verification id
// of 8–32 digits and capitals, a known result, a message fit to show the
// resident and the time of the decision. Anything else is an *Error
// (ErrBadReply for unusable bodies).
func DecodeFaceVerification(op string, status int, contentType string, body []byte, retryAfter time.Duration) (FaceVerification, error) {
	if status != http.StatusOK && status != http.StatusCreated {
		return FaceVerification{}, DecodeProblem(op, status, contentType, body, retryAfter)
	}
	bad := func(detail string) (FaceVerification, error) {
		return FaceVerification{}, &Error{Op: op, Status: status, Reason: "bad_body", Detail: trunc(detail), Err: ErrBadReply}
	}
	if mt := mediaType(contentType); mt != "application/json" {
		return FaceVerification{}, &Error{Op: op, Status: status, Reason: "bad_content_type",
			Detail: fmt.Sprintf("content type %q", trunc(contentType)), Err: ErrBadReply}
	}
	var v FaceVerification
	if err := strictUnmarshal(body, &v); err != nil {
		return bad(err.Error())
	}
	switch {
	case !ValidOrderNo(v.VerificationID):
		return bad("verification_id missing or not 8-32 digits and capital letters")
	case !v.Result.Known():
		return bad(fmt.Sprintf("unknown result %q", trunc(string(v.Result))))
	case !plainText(v.Message, maxFaceMessage):
		return bad("message missing or not plain text")
	case v.VerifiedAt.IsZero():
		return bad("verified_at missing")
	}
	return v, nil
}

// VerifyFace sends the card's identity and the frames to the backend's
// face verification under the Idempotency-Key FaceKey(kiosk, attempt),
// once, over the client's mutual TLS, and returns its verdict. The
// request body is zeroed once sent; the caller wipes req. Errors never
// carry the identity or the frames.
func (c *Client) VerifyFace(ctx context.Context, attempt string, req FaceRequest) (FaceVerification, error) {
	const op = "face verification"
	if attempt == "" {
		return FaceVerification{}, &Error{Op: op, Reason: "validation", Detail: "attempt required", Permanent: true}
	}
	if why := validFaceRequest(req); why != "" {
		return FaceVerification{}, &Error{Op: op, Reason: "validation", Detail: why, Permanent: true}
	}
	body := faceBody(req)
	defer clear(body)
	r, err := c.do(ctx, op, http.MethodPost, "v1/face-verifications", http.Header{"Idempotency-Key": {FaceKey(c.kioskID, attempt)}}, body)
	if err != nil {
		return FaceVerification{}, err
	}
	return DecodeFaceVerification(op, r.status, r.contentType, r.body, r.retryAfter)
}

// FaceFrame is one frame of a request as the backend reads it.
type FaceFrame struct {
	JPEG []byte `json:"jpeg"` // base64 in JSON
}

// FaceVerificationRequest is the request body as the backend reads it
// (countysim, tests).
type FaceVerificationRequest struct {
	CardType string      `json:"card_type"`
	IDNumber string      `json:"id_number"`
	Frames   []FaceFrame `json:"frames"`
}

// DecodeFaceRequest reads a request body strictly (the backend's side):
// exactly the contract's fields and its limits.
func DecodeFaceRequest(body []byte) (FaceRequest, error) {
	var w FaceVerificationRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return FaceRequest{}, fmt.Errorf("face request: %w", err)
	}
	if dec.More() {
		return FaceRequest{}, fmt.Errorf("face request: data after the object")
	}
	r := FaceRequest{CardType: w.CardType, IDNumber: w.IDNumber}
	for _, f := range w.Frames {
		r.Frames = append(r.Frames, f.JPEG)
	}
	if why := validFaceRequest(r); why != "" {
		r.Wipe()
		return FaceRequest{}, fmt.Errorf("face request: %s", why)
	}
	return r, nil
}
