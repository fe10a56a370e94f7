// Package countysim is an in-process stand-in for the county backend. It
// implements the kiosk API (kiosk/backend/api/openapi.yaml) over mutual
// TLS on a loopback address, keeps what it receives in a bbolt store on
// disk with permanent deduplication on (kiosk id, idempotency key), and
// injects faults on demand: latency, error rates, 503 with Retry-After,
// dropped connections and the nastiest one, committing a transaction and
// then dropping the reply.
//
// Tests start it with New and Start; cmd/countysim runs it as a binary.
// MintDevPKI writes a development CA, a server certificate and one client
// certificate per kiosk.
package countysim
