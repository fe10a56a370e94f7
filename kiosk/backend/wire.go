package backend

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// Submission is the body of POST /v1/transactions: the transaction and the
// tracking number the kiosk already printed, which the backend accepts.
type Submission struct {
	txn.Transaction
	TrackingNo string `json:"tracking_no"`
}

// Reply is the body of a 200/201 reply to a submission and of
// GET /v1/transactions/{id}.
type Reply struct {
	TxID       string           `json:"tx_id"`
	Outcome    txn.Outcome      `json:"outcome"`
	TrackingNo string           `json:"tracking_no"`
	Message    string           `json:"message,omitempty"`
	Lines      []txn.ResultLine `json:"lines,omitempty"`
	Document   []string         `json:"document,omitempty"`
}

// Result converts the reply to the kiosk's model.
func (r Reply) Result() txn.Result {
	return txn.Result{TxID: r.TxID, Outcome: r.Outcome, TrackingNo: r.TrackingNo,
		Message: r.Message, Lines: r.Lines, Document: r.Document}
}

// ReplyFromResult is the inverse of Reply.Result.
func ReplyFromResult(res txn.Result) Reply {
	return Reply{TxID: res.TxID, Outcome: res.Outcome, TrackingNo: res.TrackingNo,
		Message: res.Message, Lines: res.Lines, Document: res.Document}
}

// Problem is an RFC 9457 problem document (application/problem+json).
type Problem struct {
	Type   string `json:"type,omitempty"`
	Title  string `json:"title,omitempty"`
	Status int    `json:"status,omitempty"`
	Detail string `json:"detail,omitempty"`
	// Reason is a short machine-readable cause, e.g. "validation",
	// "key_reused", "in_progress", "unavailable".
	Reason string `json:"reason,omitempty"`
}

// Rating is the body of POST /v1/transactions/{id}/rating: the national
// five-level review, 5 非常满意 … 1 非常不满意.
type Rating struct {
	Score int `json:"score"`
}

// TrackingSMS is the body of POST /v1/sms: the backend sends the resident
// a text message with the tracking number, to the mobile number they gave
// on the form (when the kiosk could not print the slip).
type TrackingSMS struct {
	Phone      string `json:"phone"`       // 11 digits, 1[3-9]…
	TrackingNo string `json:"tracking_no"` // txn.ValidTrackingNo
}

// ValidMobile reports whether s is a mainland mobile number: 11 digits
// starting with 1 and 3–9.
func ValidMobile(s string) bool {
	if len(s) != 11 || s[0] != '1' || s[1] < '3' || s[1] > '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// RatingLabels names the five scores of the national review.
var RatingLabels = [6]string{"", "非常不满意", "不满意", "基本满意", "满意", "非常满意"}

// Heartbeat is the body of POST /v1/heartbeats.
type Heartbeat struct {
	KioskID          string           `json:"kiosk_id"`
	HallID           string           `json:"hall_id"`
	SoftwareVersion  string           `json:"software_version"`
	CatalogVersion   int64            `json:"catalog_version"`
	CatalogHash      string           `json:"catalog_hash"`
	CatalogStale     bool             `json:"catalog_stale"`
	CatalogRejection string           `json:"catalog_rejection,omitempty"`
	Devices          []devices.Status `json:"devices"`
	OutboxDepth      int              `json:"outbox_depth"`
	OutboxOldestAge  Seconds          `json:"outbox_oldest_age"`
	// PaymentsUnresolved counts the kiosk's payments whose outcome it
	// still has to settle with the backend (an order to query, cancel or
	// refund); absent from kiosks that take no payments.
	PaymentsUnresolved int       `json:"payments_unresolved,omitempty"`
	DoorOpen           bool      `json:"door_open"`
	Time               time.Time `json:"time"`
	// HeartbeatInterval is how often the kiosk sends a heartbeat: the
	// fleet view calls a kiosk stale after three intervals without one.
	HeartbeatInterval Seconds `json:"heartbeat_interval,omitempty"`
}

// Seconds is a duration sent on the wire as a number of seconds.
type Seconds time.Duration

// MarshalJSON writes whole seconds.
func (s Seconds) MarshalJSON() ([]byte, error) {
	return strconv.AppendInt(nil, int64(time.Duration(s)/time.Second), 10), nil
}

// UnmarshalJSON reads a number of seconds (fractions allowed).
func (s *Seconds) UnmarshalJSON(b []byte) error {
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || f < 0 || f > 1e12 {
		return fmt.Errorf("backend: bad seconds %q", b)
	}
	*s = Seconds(f * float64(time.Second))
	return nil
}

// CatalogPublish is the body of PUT /v1/catalog (operators only).
type CatalogPublish struct {
	Catalog   []byte `json:"catalog"`   // the signed catalog bytes (base64 in JSON)
	Signature string `json:"signature"` // minisign signature text
}

// Sentinel errors callers act on.
var (
	// ErrUnreachable: the backend could not be reached or did not answer
	// (network, DNS, TLS handshake, timeout). Always worth retrying.
	ErrUnreachable = errors.New("backend: unreachable")
	// ErrBadReply: the backend answered with something the client cannot
	// use (garbage, wrong content type, oversized). Retried: the backend
	// may have committed, and the idempotency key makes a retry safe.
	ErrBadReply = errors.New("backend: bad reply")
	// ErrNotFound: the backend does not know the transaction or catalog.
	ErrNotFound = errors.New("backend: not found")
)

// Error is a reply from the backend that was not a success.
type Error struct {
	Op         string        // client operation, e.g. "submit"
	Status     int           // HTTP status (0 when the reply was unusable before a status)
	Reason     string        // machine-readable cause, e.g. "validation", "key_reused"
	Detail     string        // human-readable detail from the backend
	RetryAfter time.Duration // from Retry-After, 0 when absent
	Permanent  bool          // retrying the same request cannot succeed
	Err        error         // ErrBadReply or ErrNotFound when one applies
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "backend: %s: status %d", e.Op, e.Status)
	if e.Reason != "" {
		b.WriteString(" (" + e.Reason + ")")
	}
	if e.Detail != "" {
		b.WriteString(": " + e.Detail)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, "; retry after %s", e.RetryAfter)
	}
	if e.Permanent {
		b.WriteString("; permanent")
	}
	return b.String()
}

// Unwrap returns the sentinel the error carries, if any.
func (e *Error) Unwrap() error { return e.Err }

// PermanentError reports whether retrying cannot help (the outbox parks).
func (e *Error) PermanentError() bool { return e.Permanent }

// ResidentMessage is the backend's own words for the resident when it
// refuses a matter (reason "refused"), "" otherwise: other details are
// for technicians.
func (e *Error) ResidentMessage() string {
	if e.Reason == "refused" {
		return e.Detail
	}
	return ""
}

// RetryDelay is the backend's requested wait before the next attempt.
func (e *Error) RetryDelay() time.Duration { return e.RetryAfter }

// FailureReason is a short label for metrics and technicians.
func (e *Error) FailureReason() string {
	if e.Reason != "" {
		return e.Reason
	}
	return "http_" + strconv.Itoa(e.Status)
}

// Classify maps a status code to (reason, permanent) when the reply carried
// no reason of its own. 409 and 429 and every 5xx are temporary, as are 408
// and 425; every other 4xx is permanent.
func Classify(status int) (reason string, permanent bool) {
	switch {
	case status == http.StatusConflict:
		return "in_progress", false
	case status == http.StatusTooManyRequests:
		return "rate_limited", false
	case status == http.StatusRequestTimeout, status == http.StatusTooEarly:
		return "timeout", false
	case status == http.StatusUnprocessableEntity:
		return "key_reused", true
	case status == http.StatusBadRequest:
		return "validation", true
	case status == http.StatusNotFound:
		return "not_found", true
	case status == http.StatusUnauthorized, status == http.StatusForbidden:
		return "forbidden", true
	case status >= 400 && status < 500:
		return "rejected", true
	case status == http.StatusServiceUnavailable:
		return "unavailable", false
	case status >= 500:
		return "server_error", false
	}
	return "unexpected_status", false
}

// ParseRetryAfter reads a Retry-After header value (delta seconds or an
// HTTP date relative to now). Missing or bad values give 0; values are
// limited to 24 hours.
func ParseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	const limit = 24 * time.Hour
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n <= 0 {
			return 0
		}
		if n > int64(limit/time.Second) {
			return limit
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d <= 0 {
			return 0
		}
		return min(d, limit)
	}
	return 0
}

func mediaType(contentType string) string {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return mt
}

// DecodeSubmitReply decodes the reply to a submission or a status request.
// A success must be application/json with a known outcome; anything else is
// an *Error (wrapping ErrBadReply for unusable bodies).
func DecodeSubmitReply(op string, status int, contentType string, body []byte, retryAfter time.Duration) (txn.Result, error) {
	if status != http.StatusOK && status != http.StatusCreated {
		return txn.Result{}, DecodeProblem(op, status, contentType, body, retryAfter)
	}
	if mt := mediaType(contentType); mt != "application/json" {
		return txn.Result{}, &Error{Op: op, Status: status, Reason: "bad_content_type",
			Detail: fmt.Sprintf("content type %q", trunc(contentType)), Err: ErrBadReply}
	}
	var r Reply
	if err := strictUnmarshal(body, &r); err != nil {
		return txn.Result{}, &Error{Op: op, Status: status, Reason: "bad_body", Detail: err.Error(), Err: ErrBadReply}
	}
	switch r.Outcome {
	case txn.Completed, txn.Queued:
	default:
		return txn.Result{}, &Error{Op: op, Status: status, Reason: "bad_body",
			Detail: fmt.Sprintf("unknown outcome %q", trunc(string(r.Outcome))), Err: ErrBadReply}
	}
	if r.TrackingNo == "" || len(r.TrackingNo) > 64 {
		return txn.Result{}, &Error{Op: op, Status: status, Reason: "bad_body",
			Detail: "missing or overlong tracking number", Err: ErrBadReply}
	}
	return r.Result(), nil
}

// DecodeProblem turns a non-success reply into an *Error. A problem+json
// body supplies the reason and detail; any other body is ignored (its
// status still classifies it).
func DecodeProblem(op string, status int, contentType string, body []byte, retryAfter time.Duration) error {
	reason, permanent := Classify(status)
	e := &Error{Op: op, Status: status, Reason: reason, Permanent: permanent, RetryAfter: retryAfter}
	if status == http.StatusNotFound {
		e.Err = ErrNotFound
	}
	if status < 400 {
		e.Err = ErrBadReply
		return e
	}
	switch mediaType(contentType) {
	case "application/problem+json", "application/json":
		var p Problem
		if err := json.Unmarshal(body, &p); err == nil {
			if p.Reason != "" && len(p.Reason) <= 64 {
				e.Reason = p.Reason
			}
			e.Detail = trunc(p.Detail)
			if e.Detail == "" {
				e.Detail = trunc(p.Title)
			}
		}
	}
	return e
}

func strictUnmarshal(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after JSON value")
	}
	return nil
}

func trunc(s string) string {
	const max = 200
	if len(s) <= max {
		return strings.ToValidUTF8(s, "?")
	}
	return strings.ToValidUTF8(s[:max], "?") + "…"
}
