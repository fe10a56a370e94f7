// Package outbox is the kiosk's durable queue of resident transactions.
//
// A transaction is committed to disk (bbolt, fsynced) before Enqueue
// returns, so a resident told "your application was taken" is right
// whatever happens to power or network afterwards. Run delivers pending
// transactions at least once, with the transaction id as the idempotency
// key, exponential backoff with full jitter and a cap, and the backend's
// Retry-After honoured. Permanent rejections are parked with their reason
// for a technician, who may Retry them.
//
// Personal data (the card holder and the fields a transaction lists as
// personal) is sealed with XChaCha20-Poly1305 under a key kept in a 0600
// file (LoadOrCreateKey). Once the backend acknowledges a transaction the
// sealed part is dropped; what stays, masked, for reprints and audit is
// purged after Opts.Retention.
package outbox
