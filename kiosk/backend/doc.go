// Package backend is the kiosk's client for the county backend: submitting
// transactions with an idempotency key, reading their status, ratings,
// heartbeats, the signed service catalog, and the payment orders of
// transactions that cost money (payment.go, docs/payments.md). The API contract is
// api/openapi.yaml beside this package; countysim implements the same
// contract for tests and development.
//
// The client speaks HTTPS with mutual TLS (the kiosk's client certificate
// names the kiosk). Plain HTTP is refused unless Opts.Dev is set.
//
// Every failure is classified so the outbox can decide between retrying and
// parking: network, TLS and timeout failures wrap ErrUnreachable; replies
// the backend gave are *Error with the status, a reason, any Retry-After
// and whether the rejection is permanent. Reply decoding (DecodeSubmitReply,
// DecodeDocumentMeta, DecodePaymentOrder, DecodeProblem) is pure and
// separate from I/O.
package backend
