package countysim

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/henan-county/kiosk/kiosk/backend"
	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/mask"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// Faults are the failures the simulator injects. Rates are probabilities in
// [0, 1] applied per request to the kiosk API (/v1/...).
type Faults struct {
	LatencyMS       int     `json:"latency_ms"`       // added before every answer
	ErrorRate       float64 `json:"error_rate"`       // 500 before anything is stored
	UnavailableRate float64 `json:"unavailable_rate"` // 503 with Retry-After before anything is stored
	RetryAfterS     int     `json:"retry_after_s"`    // Retry-After seconds on 503 (default 1)
	DropRate        float64 `json:"drop_rate"`        // connection dropped before anything is stored
	DropReplyRate   float64 `json:"drop_reply_rate"`  // submission committed, then the reply dropped
	GarbageRate     float64 `json:"garbage_rate"`     // submission committed, then a garbage 200 reply
	Down            bool    `json:"down"`             // every kiosk request gets 503

	// Document faults (GET /v1/transactions/{id}/document[.pdf]).
	DocumentWrongHash bool `json:"document_wrong_hash"` // metadata carries another document's SHA-256
	DocumentCorrupt   bool `json:"document_corrupt"`    // PDF bytes damaged (metadata matches the damaged bytes)
	DocumentOversized bool `json:"document_oversized"`  // PDF padded to OversizedDocument bytes, metadata gives the unpadded size

	// Payment faults (payment.go).
	PaymentLatencyMS     int     `json:"payment_latency_ms,omitempty"`      // added to every payment answer, after it is committed
	PaymentDropReplyRate float64 `json:"payment_drop_reply_rate,omitempty"` // payment request committed, then the reply dropped
	ChargeDecline        string  `json:"charge_decline,omitempty"`          // charges declined with this reason (insufficient_balance, code_expired, ...)
	ChargeLateMS         int     `json:"charge_late_ms,omitempty"`          // a charge answers paying; the order is paid this long after
	ChargeLateFail       bool    `json:"charge_late_fail,omitempty"`        // ... and fails then instead
	ChargeTwice          bool    `json:"charge_twice,omitempty"`            // a second charge of an order already charged takes the money again
	// RefusePaid: the department refuses a paid matter (the kiosk must
	// refund the payment).
	RefusePaid bool `json:"refuse_paid,omitempty"`
	// PriceSkewFen is added to every order's price (a backend whose
	// amount is not what the matter costs).
	PriceSkewFen int64 `json:"price_skew_fen,omitempty"`
}

// OversizedDocument is the size of a PDF under the DocumentOversized fault:
// over the client's default cap (16 MiB).
const OversizedDocument = 24 << 20

// Opts configures a Server.
type Opts struct {
	Dir  string // store directory (required)
	Addr string // listen address; loopback only; default 127.0.0.1:0

	// TLS, when set, is used as is (it should verify client certificates).
	// Otherwise CAFile (client roots), CertFile and KeyFile build one.
	TLS                       *tls.Config
	CAFile, CertFile, KeyFile string
	// DevHTTP serves plain HTTP and takes the kiosk id from X-Kiosk-ID.
	DevHTTP bool

	OperatorToken string // bearer token for PUT /v1/catalog; empty disables publishing
	Faults        Faults
	Seed          uint64 // fault randomness; 0 picks one
	Logger        *slog.Logger
	Now           func() time.Time
	// FontFile is the TrueType font documents are set in; default
	// DefaultFontFile (Debian fonts-droid-fallback); LatinFontFile sets
	// letters and digits, default DefaultLatinFontFile (fonts-dejavu-core).
	FontFile, LatinFontFile string
	// Assist sets the assisted-service queue's hours (assist.go).
	Assist AssistOpts
}

// Server is a running simulator.
type Server struct {
	opts Opts
	db   *bolt.DB
	log  *slog.Logger
	now  func() time.Time
	tlsc *tls.Config

	mu       sync.Mutex
	faults   Faults
	rnd      *rand.Rand
	inflight map[string]bool
	stats    Stats
	sms      []SMS           // text messages "sent", oldest first
	smsKeys  map[string]bool // (kiosk, Idempotency-Key) already sent
	idc      idCodes         // electronic ID codes verified (idcode.go)
	docs     map[string]Document
	docPages int // pages of each document issued (SetDocumentPages)
	payStats PaymentStats
	face     faceState   // face verifications (face.go)
	assist   assistState // the catalog the assist queue judges by (assist.go)

	fontOnce sync.Once
	fonts    Fonts
	fontErr  error
	catalog  *catalog.Catalog

	ln  net.Listener
	srv *http.Server
	url string
}

// Stats counts what the simulator has seen.
type Stats struct {
	Submissions  int `json:"submissions"`   // POST /v1/transactions requests
	Stored       int `json:"stored"`        // new transactions stored
	Replayed     int `json:"replayed"`      // repeats answered from the store
	Conflicts    int `json:"conflicts"`     // 409 in progress
	KeyReused    int `json:"key_reused"`    // 422
	Refused      int `json:"refused"`       // 422 refused: a paid matter the department would not take
	Dropped      int `json:"dropped"`       // connections dropped before storing
	DroppedReply int `json:"dropped_reply"` // stored, then the reply dropped
	Errors       int `json:"errors"`        // injected 500/503
}

var (
	bucketTx      = []byte("transactions")
	bucketRatings = []byte("ratings")
	bucketKiosks  = []byte("kiosks")
	bucketCatalog = []byte("catalog")
)

// New opens the store in opts.Dir and prepares the server; Start listens.
func New(opts *Opts) (*Server, error) {
	if opts == nil || opts.Dir == "" {
		return nil, errors.New("countysim: new: Dir required")
	}
	o := *opts
	if o.Addr == "" {
		o.Addr = "127.0.0.1:0"
	}
	if err := checkLoopback(o.Addr); err != nil {
		return nil, err
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	seed := o.Seed
	if seed == 0 {
		seed = rand.Uint64()
	}
	cat, err := catalog.Default()
	if err != nil {
		return nil, fmt.Errorf("countysim: new: default catalog: %w", err)
	}
	s := &Server{opts: o, log: o.Logger, now: o.Now, faults: o.Faults, inflight: map[string]bool{},
		docs: map[string]Document{}, catalog: cat,
		rnd: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	if !o.DevHTTP {
		tc, err := serverTLS(o)
		if err != nil {
			return nil, err
		}
		s.tlsc = tc
	}
	if err := os.MkdirAll(o.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("countysim: new: %w", err)
	}
	db, err := bolt.Open(filepath.Join(o.Dir, "countysim.db"), 0o600, &bolt.Options{Timeout: 5 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("countysim: new: store: %w", err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketTx, bucketRatings, bucketKiosks, bucketCatalog,
			bucketPayOrders, bucketPayKeys, bucketPayTx, bucketMeta, bucketAssist} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("countysim: new: store: %w", err)
	}
	s.db = db
	return s, nil
}

func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("countysim: bad address %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("countysim: address %q is not loopback", addr)
	}
	return nil
}

func serverTLS(o Opts) (*tls.Config, error) {
	if o.TLS != nil {
		return o.TLS.Clone(), nil
	}
	if o.CertFile == "" || o.KeyFile == "" || o.CAFile == "" {
		return nil, errors.New("countysim: new: TLS needs CAFile, CertFile and KeyFile (or DevHTTP)")
	}
	cert, err := tls.LoadX509KeyPair(o.CertFile, o.KeyFile)
	if err != nil {
		return nil, fmt.Errorf("countysim: new: server certificate: %w", err)
	}
	pemb, err := os.ReadFile(o.CAFile)
	if err != nil {
		return nil, fmt.Errorf("countysim: new: CA: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemb) {
		return nil, fmt.Errorf("countysim: new: no certificates in %s", o.CAFile)
	}
	// Client certificates are verified when given; the kiosk API refuses
	// requests without one, operators publish with a bearer token.
	return &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert},
		ClientCAs: pool, ClientAuth: tls.VerifyClientCertIfGiven}, nil
}

// Start listens and serves in the background.
func (s *Server) Start() error {
	ln, err := net.Listen("tcp", s.opts.Addr)
	if err != nil {
		return fmt.Errorf("countysim: start: %w", err)
	}
	scheme := "http"
	if s.tlsc != nil {
		ln = tls.NewListener(ln, s.tlsc)
		scheme = "https"
	}
	s.ln = ln
	s.url = scheme + "://" + ln.Addr().String() + "/"
	s.srv = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelDebug)}
	go s.srv.Serve(ln)
	s.log.Info("countysim listening", "url", s.url)
	return nil
}

// URL is the base URL kiosks use, ending in "/".
func (s *Server) URL() string { return s.url }

// Close stops serving and closes the store.
func (s *Server) Close() error {
	var errs []error
	if s.srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := s.srv.Shutdown(ctx); err != nil {
			s.srv.Close()
		}
	}
	errs = append(errs, s.db.Close())
	return errors.Join(errs...)
}

// SetFaults replaces the faults injected from now on.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	s.faults = f
	s.mu.Unlock()
}

// Faults returns the faults in force.
func (s *Server) Faults() Faults {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults
}

// Stats returns the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

func (s *Server) roll(p float64) bool {
	if p <= 0 {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rnd.Float64() < p
}

// Handler returns the simulator's HTTP handler (also usable with httptest).
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/transactions", s.kiosk(s.submit))
	mux.HandleFunc("GET /v1/transactions/{id}", s.kiosk(s.status))
	mux.HandleFunc("POST /v1/transactions/{id}/rating", s.kiosk(s.rate))
	mux.HandleFunc("GET /v1/transactions/{id}/document", s.kiosk(s.getDocumentMeta))
	mux.HandleFunc("GET /v1/transactions/{id}/document.pdf", s.kiosk(s.getDocumentPDF))
	mux.HandleFunc("POST /v1/heartbeats", s.kiosk(s.heartbeat))
	mux.HandleFunc("POST /v1/sms", s.kiosk(s.sendSMS))
	mux.HandleFunc("POST /v1/identity-codes/verify", s.kiosk(s.verifyIdentityCode))
	mux.HandleFunc("GET /v1/ping", s.kiosk(func(w http.ResponseWriter, r *http.Request, _ string) {
		w.WriteHeader(http.StatusNoContent)
	}))
	s.paymentRoutes(mux)
	s.faceRoutes(mux)
	s.assistRoutes(mux)
	mux.HandleFunc("GET /v1/catalog", s.kiosk(s.getCatalog))
	mux.HandleFunc("GET /v1/catalog/signature", s.kiosk(s.getSignature))
	mux.HandleFunc("PUT /v1/catalog", s.putCatalog)
	mux.HandleFunc("GET /v1/fleet", s.fleet) // operators (fleet.go)
	mux.HandleFunc("GET /sim/v1/faults", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, s.Faults()) })
	mux.HandleFunc("PUT /sim/v1/faults", func(w http.ResponseWriter, r *http.Request) {
		var f Faults
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&f); err != nil {
			problem(w, 400, "validation", "bad faults: "+err.Error())
			return
		}
		s.SetFaults(f)
		writeJSON(w, 200, f)
	})
	mux.HandleFunc("GET /sim/v1/transactions", func(w http.ResponseWriter, r *http.Request) {
		l, err := s.Transactions()
		if err != nil {
			problem(w, 500, "store", err.Error())
			return
		}
		writeJSON(w, 200, l)
	})
	mux.HandleFunc("GET /sim/v1/kiosks", func(w http.ResponseWriter, r *http.Request) {
		l, err := s.Kiosks()
		if err != nil {
			problem(w, 500, "store", err.Error())
			return
		}
		writeJSON(w, 200, l)
	})
	mux.HandleFunc("GET /sim/v1/stats", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, s.Stats()) })
	mux.HandleFunc("GET /sim/v1/sms", func(w http.ResponseWriter, r *http.Request) {
		l := s.SentSMS()
		for i := range l {
			l[i].Phone = mask.Phone(l[i].Phone) // test endpoints show nothing personal
		}
		writeJSON(w, 200, l)
	})
	return mux
}

// kiosk wraps a kiosk API handler: identifies the kiosk and injects the
// faults that strike before anything is stored.
func (s *Server) kiosk(h func(http.ResponseWriter, *http.Request, string)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var kioskID string
		switch {
		case r.TLS != nil && len(r.TLS.PeerCertificates) > 0:
			kioskID = r.TLS.PeerCertificates[0].Subject.CommonName
		case s.opts.DevHTTP:
			kioskID = r.Header.Get("X-Kiosk-ID")
		}
		if kioskID == "" {
			problem(w, http.StatusUnauthorized, "no_client_certificate", "a kiosk client certificate is required")
			return
		}
		f := s.Faults()
		if f.LatencyMS > 0 {
			select {
			case <-time.After(time.Duration(f.LatencyMS) * time.Millisecond):
			case <-r.Context().Done():
				return
			}
		}
		switch {
		case s.roll(f.DropRate):
			s.count(func(st *Stats) { st.Dropped++ })
			panic(http.ErrAbortHandler) // drops the connection (HTTP/1) or resets the stream (HTTP/2)
		case f.Down || s.roll(f.UnavailableRate):
			s.count(func(st *Stats) { st.Errors++ })
			ra := f.RetryAfterS
			if ra <= 0 {
				ra = 1
			}
			w.Header().Set("Retry-After", strconv.Itoa(ra))
			problem(w, http.StatusServiceUnavailable, "unavailable", "the county backend is busy")
			return
		case s.roll(f.ErrorRate):
			s.count(func(st *Stats) { st.Errors++ })
			problem(w, http.StatusInternalServerError, "server_error", "injected failure")
			return
		}
		h(w, r, kioskID)
	}
}

func (s *Server) count(f func(*Stats)) {
	s.mu.Lock()
	f(&s.stats)
	s.mu.Unlock()
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}

func problem(w http.ResponseWriter, status int, reason, detail string) {
	b, _ := json.Marshal(backend.Problem{Type: "about:blank", Title: http.StatusText(status), Status: status,
		Detail: detail, Reason: reason})
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	w.Write(b)
}

// stored is one transaction as the simulator keeps it.
type stored struct {
	KioskID    string             `json:"kiosk_id"`
	Hash       string             `json:"hash"`
	Submission backend.Submission `json:"submission"`
	Reply      backend.Reply      `json:"reply"`
	ReceivedAt time.Time          `json:"received_at"`
	Deliveries int                `json:"deliveries"`
	Rating     int                `json:"rating,omitempty"`
}

// claim marks the request under key k as being handled; a second request
// under the same key while the first runs is refused (ok false), so one
// idempotency key is never processed twice at once. release ends the claim.
func (s *Server) claim(k string) (release func(), ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inflight[k] {
		return nil, false
	}
	s.inflight[k] = true
	return func() {
		s.mu.Lock()
		delete(s.inflight, k)
		s.mu.Unlock()
	}, true
}

func txKey(kioskID, id string) []byte { return []byte(kioskID + "\x00" + id) }

const maxSubmission = 256 << 10

func (s *Server) submit(w http.ResponseWriter, r *http.Request, kioskID string) {
	s.count(func(st *Stats) { st.Submissions++ })
	key := r.Header.Get("Idempotency-Key")
	if key == "" || len(key) > 128 {
		problem(w, 400, "validation", "Idempotency-Key header missing or too long")
		return
	}
	if mt := r.Header.Get("Content-Type"); !strings.HasPrefix(mt, "application/json") {
		problem(w, http.StatusUnsupportedMediaType, "validation", "want application/json")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxSubmission+1))
	if err != nil {
		return
	}
	if len(body) > maxSubmission {
		problem(w, http.StatusRequestEntityTooLarge, "validation", "submission too large")
		return
	}
	var sub backend.Submission
	if err := json.Unmarshal(body, &sub); err != nil {
		problem(w, 400, "validation", "bad JSON: "+err.Error())
		return
	}
	switch {
	case sub.ID != key:
		problem(w, 400, "validation", "Idempotency-Key differs from the transaction id")
		return
	case sub.ServiceID == "":
		problem(w, 400, "validation", "service_id missing")
		return
	case sub.KioskID != kioskID:
		problem(w, http.StatusForbidden, "wrong_kiosk", "transaction names another kiosk")
		return
	case !txn.ValidTrackingNo(sub.TrackingNo):
		// Numbers of earlier builds, still in kiosks' outboxes, are valid.
		problem(w, 400, "validation", "tracking_no missing or not a tracking number")
		return
	}
	canon, _ := json.Marshal(sub)
	sum := sha256.Sum256(canon)
	hash := hex.EncodeToString(sum[:])
	k := string(txKey(kioskID, key))

	release, ok := s.claim(k)
	if !ok {
		s.count(func(st *Stats) { st.Conflicts++ })
		w.Header().Set("Retry-After", "1")
		problem(w, http.StatusConflict, "in_progress", "this transaction is being processed")
		return
	}
	defer release()

	var st stored
	created := false
	err = s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketTx)
		if v := b.Get([]byte(k)); v != nil {
			if err := json.Unmarshal(v, &st); err != nil {
				return err
			}
			if st.Hash != hash {
				return errKeyReused
			}
			st.Deliveries++
		} else {
			created = true
			rep, err := s.assistAnswer(tx, kioskID, sub, Answer(sub)) // 帮办: assist.go
			if err != nil {
				return err
			}
			if p := sub.Person; p != nil && p.Proof == "identity_code" && !s.idc.verifiedFor(kioskID, p.IDNumber, s.now()) {
				return &errRefused{msg: "身份未经核验：请重新出示电子身份证或放置身份证"}
			}
			if svc := s.catalog.Service(sub.ServiceID); svc != nil && svc.FaceCheck && !s.facePassed(kioskID, sub.Person) {
				return &errRefused{msg: "人脸核验未通过或已过期：请重新刷脸核验"}
			}
			if sub.PaymentOrder != "" {
				var err error
				if rep, err = s.paidAnswer(tx, kioskID, sub, rep); err != nil {
					return err // a refusal stores nothing: asked again, it is decided again
				}
			}
			st = stored{KioskID: kioskID, Hash: hash, Submission: sub, Reply: rep,
				ReceivedAt: s.now(), Deliveries: 1}
		}
		nb, err := json.Marshal(st)
		if err != nil {
			return err
		}
		return b.Put([]byte(k), nb)
	})
	var ref *errRefused
	if errors.As(err, &ref) {
		s.count(func(st *Stats) { st.Refused++ })
		problem(w, http.StatusUnprocessableEntity, "refused", ref.msg)
		return
	}
	if errors.Is(err, errKeyReused) {
		s.count(func(st *Stats) { st.KeyReused++ })
		problem(w, http.StatusUnprocessableEntity, "key_reused", "Idempotency-Key reused with a different payload")
		return
	}
	if err != nil {
		problem(w, 500, "store", err.Error())
		return
	}
	if created {
		s.count(func(st *Stats) { st.Stored++ })
		s.log.Info("countysim stored transaction", "kiosk", kioskID, "tx", key, "service", sub.ServiceID,
			"person", personMasked(sub.Person))
	} else {
		s.count(func(st *Stats) { st.Replayed++ })
	}
	f := s.Faults()
	if s.roll(f.DropReplyRate) {
		s.count(func(st *Stats) { st.DroppedReply++ })
		panic(http.ErrAbortHandler)
	}
	if s.roll(f.GarbageRate) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		w.Write([]byte("{\"outcome\": \x00garbage"))
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	writeJSON(w, status, st.Reply)
}

var errKeyReused = errors.New("countysim: key reused")

func personMasked(p *txn.Person) string {
	if p == nil {
		return ""
	}
	return mask.Name(p.Name) + " " + mask.ID(p.IDNumber)
}

// Answer is the backend's decision on a submission: queries, prints and
// certifications are completed at once; everything else is queued for its
// department. A print matter's proof is its A4 document, issued apart
// (GET /v1/transactions/{id}/document); the answer names it by number and
// verification code. Everything is worded for residents, in Chinese,
// without the catalog's internal ids.
func Answer(sub backend.Submission) backend.Reply {
	rep := backend.Reply{TxID: sub.ID, TrackingNo: sub.TrackingNo}
	switch sub.ServiceKind {
	case "query":
		rep.Outcome = txn.Completed
		rep.Message = "查询成功"
		rep.Lines = []txn.ResultLine{{Key: "summary", Label: "查询结果", Value: "正常参保，缴费记录连续"}}
	case "print":
		// The proof itself is the A4 document (GET …/document); the reply
		// names it by its number and the verification code it carries.
		rep.Outcome = txn.Completed
		rep.Message = "证明已出具"
		rep.Lines = []txn.ResultLine{{Key: "doc_no", Label: "文件编号", Value: "WJ" + sub.TrackingNo},
			{Key: "verify_code", Label: "验证码", Value: VerificationCode(sub.KioskID, sub.ID)}}
	case "certify":
		rep.Outcome = txn.Completed
		rep.Message = "认证成功"
		rep.Lines = []txn.ResultLine{{Key: "outcome", Label: "认证结果", Value: "认证通过"},
			{Key: "valid_until", Label: "有效期至", Value: "下一年度认证期"}}
	case "appointment":
		rep.Outcome = txn.Completed
		rep.Message = "预约成功"
		rep.Lines = []txn.ResultLine{{Key: "place", Label: "办理地点", Value: "县政务服务中心一楼综合窗口"},
			{Key: "slot", Label: "预约时段", Value: "下一个工作日 09:00-10:00"}}
	default:
		rep.Outcome = txn.Queued
		rep.Message = "已受理，部门会在承诺的时间内办好"
		rep.Lines = []txn.ResultLine{{Key: "accept_no", Label: "受理编号", Value: sub.TrackingNo}}
	}
	return rep
}

func (s *Server) load(kioskID, id string) (stored, bool, error) {
	var st stored
	found := false
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketTx).Get(txKey(kioskID, id))
		if v == nil {
			return nil
		}
		found = true
		return json.Unmarshal(v, &st)
	})
	return st, found, err
}

func (s *Server) status(w http.ResponseWriter, r *http.Request, kioskID string) {
	st, ok, err := s.load(kioskID, r.PathValue("id"))
	switch {
	case err != nil:
		problem(w, 500, "store", err.Error())
	case !ok:
		problem(w, 404, "not_found", "no such transaction")
	default:
		writeJSON(w, 200, st.Reply)
	}
}

func (s *Server) rate(w http.ResponseWriter, r *http.Request, kioskID string) {
	var rt backend.Rating
	if err := json.NewDecoder(io.LimitReader(r.Body, 4096)).Decode(&rt); err != nil || rt.Score < 1 || rt.Score > 5 {
		problem(w, 400, "validation", "score must be 1..5")
		return
	}
	k := txKey(kioskID, r.PathValue("id"))
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketTx)
		v := b.Get(k)
		if v == nil {
			return errNotFound
		}
		var st stored
		if err := json.Unmarshal(v, &st); err != nil {
			return err
		}
		st.Rating = rt.Score
		nb, _ := json.Marshal(st)
		return b.Put(k, nb)
	})
	switch {
	case errors.Is(err, errNotFound):
		problem(w, 404, "not_found", "no such transaction")
	case err != nil:
		problem(w, 500, "store", err.Error())
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

var errNotFound = errors.New("countysim: not found")

// SMS is a text message of a tracking number the simulator "sent".
type SMS struct {
	KioskID    string    `json:"kiosk_id"`
	Phone      string    `json:"phone"`
	TrackingNo string    `json:"tracking_no"`
	At         time.Time `json:"at"`
}

// sendSMS records a text message of a tracking number (the real backend
// hands it to the county's SMS gateway). A repeat of the same
// Idempotency-Key sends nothing more.
func (s *Server) sendSMS(w http.ResponseWriter, r *http.Request, kioskID string) {
	var m backend.TrackingSMS
	if err := json.NewDecoder(io.LimitReader(r.Body, 4096)).Decode(&m); err != nil ||
		!backend.ValidMobile(m.Phone) || !txn.ValidTrackingNo(m.TrackingNo) {
		problem(w, 400, "validation", "phone must be a mobile number and tracking_no a tracking number")
		return
	}
	key := r.Header.Get("Idempotency-Key")
	s.mu.Lock()
	if s.smsKeys == nil {
		s.smsKeys = map[string]bool{}
	}
	k := kioskID + "\x00" + key
	if key == "" || !s.smsKeys[k] {
		s.smsKeys[k] = key != ""
		s.sms = append(s.sms, SMS{KioskID: kioskID, Phone: m.Phone, TrackingNo: m.TrackingNo, At: s.now()})
		s.log.Info("countysim sent a tracking number by text message", "kiosk", kioskID,
			"phone", mask.Phone(m.Phone), "tracking", m.TrackingNo)
	}
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// SentSMS returns the text messages sent so far, oldest first (in full:
// for tests in the same process).
func (s *Server) SentSMS() []SMS {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SMS(nil), s.sms...)
}

// KioskState is what the simulator knows about one kiosk from its last
// heartbeat.
type KioskState struct {
	Heartbeat backend.Heartbeat `json:"heartbeat"`
	LastSeen  time.Time         `json:"last_seen"`
	// PaymentsOpen counts the kiosk's orders countysim holds still
	// created or paying (beside the heartbeat's own payments_unresolved).
	PaymentsOpen int `json:"payments_open"`
}

func (s *Server) heartbeat(w http.ResponseWriter, r *http.Request, kioskID string) {
	var hb backend.Heartbeat
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&hb); err != nil {
		problem(w, 400, "validation", "bad heartbeat: "+err.Error())
		return
	}
	if hb.KioskID != kioskID {
		problem(w, http.StatusForbidden, "wrong_kiosk", "heartbeat names another kiosk")
		return
	}
	b, _ := json.Marshal(KioskState{Heartbeat: hb, LastSeen: s.now()})
	err := s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketKiosks).Put([]byte(kioskID), b) })
	if err != nil {
		problem(w, 500, "store", err.Error())
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// catalogValues reads the named values of the published catalog in one
// transaction, so a list, its signature and its ETag always belong
// together even while operators publish: a list served under the next
// list's ETag would be answered "not modified" ever after.
func (s *Server) catalogValues(names ...string) [][]byte {
	out := make([][]byte, len(names))
	s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketCatalog)
		for i, n := range names {
			out[i] = append([]byte(nil), b.Get([]byte(n))...)
		}
		return nil
	})
	return out
}

func (s *Server) getCatalog(w http.ResponseWriter, r *http.Request, _ string) {
	v := s.catalogValues("data", "etag")
	data, etag := v[0], string(v[1])
	if len(data) == 0 {
		problem(w, 404, "not_found", "no catalog published")
		return
	}
	w.Header().Set("ETag", etag)
	if inm := r.Header.Get("If-None-Match"); inm != "" && inm == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(data)
}

func (s *Server) getSignature(w http.ResponseWriter, r *http.Request, _ string) {
	v := s.catalogValues("sig", "etag")
	sig, etag := v[0], string(v[1])
	if len(sig) == 0 {
		problem(w, 404, "not_found", "no catalog published")
		return
	}
	w.Header().Set("ETag", etag)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write(sig)
}

func (s *Server) putCatalog(w http.ResponseWriter, r *http.Request) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if s.opts.OperatorToken == "" || !ok ||
		subtle.ConstantTimeCompare([]byte(tok), []byte(s.opts.OperatorToken)) != 1 {
		problem(w, http.StatusUnauthorized, "forbidden", "operator token required")
		return
	}
	var p backend.CatalogPublish
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<20)).Decode(&p); err != nil {
		problem(w, 400, "validation", "bad body: "+err.Error())
		return
	}
	if len(p.Catalog) == 0 || !strings.Contains(p.Signature, "untrusted comment:") {
		problem(w, 400, "validation", "catalog and minisign signature required")
		return
	}
	etag, err := s.Publish(p.Catalog, p.Signature)
	if err != nil {
		problem(w, 500, "store", err.Error())
		return
	}
	w.Header().Set("ETag", etag)
	writeJSON(w, 200, map[string]string{"etag": etag})
}

// Publish stores a signed catalog as operators' PUT /v1/catalog does, and
// returns its ETag. Kiosks verify it; countysim does not.
func (s *Server) Publish(data []byte, sig string) (string, error) {
	sum := sha256.Sum256(data)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketCatalog)
		for k, v := range map[string][]byte{"data": data, "sig": []byte(sig), "etag": []byte(etag)} {
			if err := b.Put([]byte(k), v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("countysim: publish: %w", err)
	}
	return etag, nil
}

// HasCatalog reports whether a catalog has been published.
func (s *Server) HasCatalog() bool {
	has := false
	_ = s.db.View(func(tx *bolt.Tx) error {
		has = tx.Bucket(bucketCatalog).Get([]byte("data")) != nil
		return nil
	})
	return has
}

// Received is one stored transaction as the test endpoint lists it.
type Received struct {
	KioskID     string      `json:"kiosk_id"`
	ID          string      `json:"id"`
	ServiceID   string      `json:"service_id"`
	ServiceKind string      `json:"service_kind,omitempty"`
	TrackingNo  string      `json:"tracking_no"`
	Outcome     txn.Outcome `json:"outcome"`
	ReceivedAt  time.Time   `json:"received_at"`
	Deliveries  int         `json:"deliveries"` // requests carrying this key (1 + replays)
	Rating      int         `json:"rating,omitempty"`
	Person      *txn.Person `json:"person,omitempty"` // masked
	// Assisted: a 帮办员 did the matter with the resident (帮办模式).
	Assisted *txn.Assisted `json:"assisted,omitempty"`
}

// Transactions lists every stored transaction, in (kiosk, id) order.
func (s *Server) Transactions() ([]Received, error) {
	var out []Received
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketTx).ForEach(func(k, v []byte) error {
			var st stored
			if err := json.Unmarshal(v, &st); err != nil {
				return err
			}
			rc := Received{KioskID: st.KioskID, ID: st.Submission.ID, ServiceID: st.Submission.ServiceID,
				ServiceKind: st.Submission.ServiceKind, TrackingNo: st.Reply.TrackingNo, Outcome: st.Reply.Outcome,
				ReceivedAt: st.ReceivedAt, Deliveries: st.Deliveries, Rating: st.Rating, Assisted: st.Submission.Assisted}
			if p := st.Submission.Person; p != nil {
				rc.Person = &txn.Person{CardType: p.CardType, Name: mask.Name(p.Name),
					IDNumber: mask.ID(p.IDNumber), Proof: p.Proof, FaceVerification: p.FaceVerification}
			}
			out = append(out, rc)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("countysim: transactions: %w", err)
	}
	return out, nil
}

// Submission returns the full stored submission (tests compare payloads).
func (s *Server) Submission(kioskID, id string) (backend.Submission, bool) {
	st, ok, err := s.load(kioskID, id)
	if err != nil || !ok {
		return backend.Submission{}, false
	}
	return st.Submission, true
}

// Kiosks lists each kiosk's last heartbeat, in id order, with its
// payments awaiting resolution.
func (s *Server) Kiosks() ([]KioskState, error) {
	var out []KioskState
	open := s.openPayments()
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketKiosks).ForEach(func(k, v []byte) error {
			var ks KioskState
			if err := json.Unmarshal(v, &ks); err != nil {
				return err
			}
			ks.PaymentsOpen = open[ks.Heartbeat.KioskID]
			out = append(out, ks)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("countysim: kiosks: %w", err)
	}
	return out, nil
}
