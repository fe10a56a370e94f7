// Package countysim is an in-process stand-in for the county backend. It
// implements the kiosk API (kiosk/backend/api/openapi.yaml) over mutual
// TLS on a loopback address, keeps what it receives in a bbolt store on
// disk with permanent deduplication on (kiosk id, idempotency key), and
// injects faults on demand: latency, error rates, 503 with Retry-After,
// dropped connections and the nastiest one, committing a transaction and
// then dropping the reply. Its payment side (payment.go) prices the
// catalog's payment matters, keeps orders and the first answer to every
// payment request in the same store, and can delay, decline, settle a
// charge after the kiosk gave up waiting, charge an order twice, or drop
// the reply after committing.
//
// Tests start it with New and Start; cmd/countysim runs it as a binary.
// MintDevPKI writes a development CA, a server certificate and one client
// certificate per kiosk.
package countysim
