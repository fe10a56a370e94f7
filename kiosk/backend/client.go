package backend

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/henan-county/kiosk/kiosk/txn"
)

// Opts configures a Client. Zero values take the defaults noted.
type Opts struct {
	BaseURL string // e.g. https://county.example/; must be https unless Dev
	KioskID string // sent as X-Kiosk-ID; the backend trusts the certificate's CN

	CAFile   string // PEM roots that sign the backend's certificate (system roots when empty)
	CertFile string // the kiosk's client certificate (PEM)
	KeyFile  string // its private key (PEM)

	Dev      bool          // allow plain http:// (development only)
	Timeout  time.Duration // whole request deadline; default 10 s
	MaxReply int64         // largest reply body read; default 1 MiB
	// MaxDocument is the largest document PDF FetchDocument reads;
	// default 16 MiB (a one-page certificate is about 100 KiB).
	MaxDocument int64
	// DocumentTimeout bounds a document download; default 30 s.
	DocumentTimeout time.Duration
	Logger          *slog.Logger // default discards
	Now             func() time.Time

	// Transport replaces the HTTP transport built from the TLS files (tests).
	Transport http.RoundTripper
}

// DefaultOpts are the defaults applied to zero fields.
var DefaultOpts = Opts{Timeout: 10 * time.Second, MaxReply: 1 << 20, MaxDocument: 16 << 20,
	DocumentTimeout: 30 * time.Second}

// Client talks to the county backend. It is safe for concurrent use.
type Client struct {
	base       *url.URL
	kioskID    string
	hc         *http.Client
	timeout    time.Duration
	max        int64
	maxDoc     int64
	docTimeout time.Duration
	log        *slog.Logger
	now        func() time.Time
}

// New returns a client. It loads the TLS files now so a bad certificate is
// found at start-up, not at the first transaction.
func New(opts *Opts) (*Client, error) {
	if opts == nil {
		return nil, errors.New("backend: new: options required (BaseURL)")
	}
	o := *opts
	if o.Timeout <= 0 {
		o.Timeout = DefaultOpts.Timeout
	}
	if o.MaxReply <= 0 {
		o.MaxReply = DefaultOpts.MaxReply
	}
	if o.MaxDocument <= 0 {
		o.MaxDocument = DefaultOpts.MaxDocument
	}
	if o.DocumentTimeout <= 0 {
		o.DocumentTimeout = DefaultOpts.DocumentTimeout
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	u, err := url.Parse(o.BaseURL)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("backend: new: bad base URL %q", o.BaseURL)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !o.Dev {
			return nil, fmt.Errorf("backend: new: plain http refused for %q (set Dev for a development setup)", o.BaseURL)
		}
	default:
		return nil, fmt.Errorf("backend: new: unsupported scheme %q", u.Scheme)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	rt := o.Transport
	if rt == nil {
		tc, err := TLSConfig(o.CAFile, o.CertFile, o.KeyFile)
		if err != nil {
			return nil, err
		}
		rt = &http.Transport{
			Proxy:               nil,
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSClientConfig:     tc,
			TLSHandshakeTimeout: 5 * time.Second,
			ForceAttemptHTTP2:   true,
			MaxIdleConns:        4,
			IdleConnTimeout:     90 * time.Second,
		}
	}
	return &Client{base: u, kioskID: o.KioskID, hc: &http.Client{Transport: rt,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		timeout: o.Timeout, max: o.MaxReply, maxDoc: o.MaxDocument, docTimeout: o.DocumentTimeout, log: o.Logger, now: o.Now}, nil
}

// TLSConfig builds a client TLS configuration from PEM files: caFile roots
// (system roots when empty) and an optional client certificate.
func TLSConfig(caFile, certFile, keyFile string) (*tls.Config, error) {
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, fmt.Errorf("backend: tls: read CA: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("backend: tls: no certificates in %s", caFile)
		}
		tc.RootCAs = pool
	}
	if certFile != "" || keyFile != "" {
		cert, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			return nil, fmt.Errorf("backend: tls: client certificate: %w", err)
		}
		tc.Certificates = []tls.Certificate{cert}
	}
	return tc, nil
}

// Close releases idle connections.
func (c *Client) Close() { c.hc.CloseIdleConnections() }

type reply struct {
	status      int
	contentType string
	etag        string
	retryAfter  time.Duration
	body        []byte
}

// send makes one request to the backend (path relative to its base URL)
// with the kiosk's headers and returns the response, whose body the
// caller closes. A failure to reach the backend wraps ErrUnreachable.
func (c *Client) send(ctx context.Context, op, method, path, accept string, hdr http.Header, body io.Reader) (*http.Response, error) {
	ref, err := url.Parse(strings.TrimPrefix(path, "/"))
	if err != nil {
		return nil, fmt.Errorf("backend: %s: %w", op, err)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base.ResolveReference(ref).String(), body)
	if err != nil {
		return nil, fmt.Errorf("backend: %s: %w", op, err)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	req.Header.Set("Accept", accept)
	if c.kioskID != "" {
		req.Header.Set("X-Kiosk-ID", c.kioskID)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("backend: %s: %w: %w", op, ErrUnreachable, err)
	}
	return resp, nil
}

// do performs one request and reads at most MaxReply bytes of the reply.
func (c *Client) do(ctx context.Context, op, method, path string, hdr http.Header, body []byte) (*reply, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
		hdr = hdr.Clone()
		if hdr == nil {
			hdr = http.Header{}
		}
		hdr.Set("Content-Type", "application/json")
	}
	resp, err := c.send(ctx, op, method, path, "application/json, application/problem+json", hdr, rd)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, c.max+1))
	if err != nil {
		return nil, fmt.Errorf("backend: %s: reading reply: %w: %w", op, ErrUnreachable, err)
	}
	if int64(len(b)) > c.max {
		return nil, &Error{Op: op, Status: resp.StatusCode, Reason: "oversized_reply",
			Detail: fmt.Sprintf("reply larger than %d bytes", c.max), Err: ErrBadReply}
	}
	return &reply{status: resp.StatusCode, contentType: resp.Header.Get("Content-Type"),
		etag: resp.Header.Get("ETag"), body: b,
		retryAfter: ParseRetryAfter(resp.Header.Get("Retry-After"), c.now())}, nil
}

// Submit sends tx with its id as the Idempotency-Key and the kiosk's
// tracking number. Sending the same transaction again is safe: the backend
// answers with the result it gave the first time.
func (c *Client) Submit(ctx context.Context, tx txn.Transaction) (txn.Result, error) {
	if tx.ID == "" {
		return txn.Result{}, &Error{Op: "submit", Reason: "validation", Detail: "transaction without id", Permanent: true}
	}
	body, err := json.Marshal(Submission{Transaction: tx, TrackingNo: txn.TrackingNo(tx.KioskID, tx.ID)})
	if err != nil {
		return txn.Result{}, &Error{Op: "submit", Reason: "validation", Detail: err.Error(), Permanent: true}
	}
	r, err := c.do(ctx, "submit", http.MethodPost, "v1/transactions", http.Header{"Idempotency-Key": {tx.ID}}, body)
	if err != nil {
		return txn.Result{}, err
	}
	res, err := DecodeSubmitReply("submit", r.status, r.contentType, r.body, r.retryAfter)
	if err != nil {
		return txn.Result{}, err
	}
	if res.TxID != "" && res.TxID != tx.ID {
		return txn.Result{}, &Error{Op: "submit", Status: r.status, Reason: "bad_body",
			Detail: "reply names another transaction", Err: ErrBadReply}
	}
	res.TxID = tx.ID
	return res, nil
}

// Status asks for the backend's current answer on transaction id.
func (c *Client) Status(ctx context.Context, id string) (txn.Result, error) {
	r, err := c.do(ctx, "status", http.MethodGet, "v1/transactions/"+url.PathEscape(id), nil, nil)
	if err != nil {
		return txn.Result{}, err
	}
	return DecodeSubmitReply("status", r.status, r.contentType, r.body, r.retryAfter)
}

// Rate sends the resident's review (1 非常不满意 … 5 非常满意).
func (c *Client) Rate(ctx context.Context, txID string, score int) error {
	if score < 1 || score > 5 {
		return &Error{Op: "rate", Reason: "validation", Detail: fmt.Sprintf("score %d not in 1..5", score), Permanent: true}
	}
	body, _ := json.Marshal(Rating{Score: score})
	return c.expectNoContent(ctx, "rate", http.MethodPost, "v1/transactions/"+url.PathEscape(txID)+"/rating", body)
}

// SendTrackingSMS asks the backend to send trackingNo by text message to
// phone. The Idempotency-Key is derived from both, so a request repeated
// after a lost reply sends no second message. Errors never hold the phone.
func (c *Client) SendTrackingSMS(ctx context.Context, phone, trackingNo string) error {
	if !ValidMobile(phone) || !txn.ValidTrackingNo(trackingNo) {
		return &Error{Op: "sms", Reason: "validation", Detail: "not a mobile number or not a tracking number", Permanent: true}
	}
	body, err := json.Marshal(TrackingSMS{Phone: phone, TrackingNo: trackingNo})
	if err != nil {
		return fmt.Errorf("backend: sms: %w", err)
	}
	sum := sha256.Sum256([]byte(c.kioskID + "\x00" + phone + "\x00" + trackingNo))
	hdr := http.Header{"Idempotency-Key": {hex.EncodeToString(sum[:16])}}
	r, err := c.do(ctx, "sms", http.MethodPost, "v1/sms", hdr, body)
	if err != nil {
		return err
	}
	if r.status >= 200 && r.status < 300 {
		return nil
	}
	return DecodeProblem("sms", r.status, r.contentType, r.body, r.retryAfter)
}

// Heartbeat reports the kiosk's health.
func (c *Client) Heartbeat(ctx context.Context, hb Heartbeat) error {
	if hb.KioskID == "" {
		hb.KioskID = c.kioskID
	}
	if hb.Time.IsZero() {
		hb.Time = c.now()
	}
	body, err := json.Marshal(hb)
	if err != nil {
		return fmt.Errorf("backend: heartbeat: %w", err)
	}
	return c.expectNoContent(ctx, "heartbeat", http.MethodPost, "v1/heartbeats", body)
}

// Ping checks that the backend answers.
func (c *Client) Ping(ctx context.Context) error {
	return c.expectNoContent(ctx, "ping", http.MethodGet, "v1/ping", nil)
}

func (c *Client) expectNoContent(ctx context.Context, op, method, path string, body []byte) error {
	r, err := c.do(ctx, op, method, path, nil, body)
	if err != nil {
		return err
	}
	if r.status >= 200 && r.status < 300 {
		return nil
	}
	return DecodeProblem(op, r.status, r.contentType, r.body, r.retryAfter)
}

// FetchCatalog downloads the signed catalog and its signature. With a
// non-empty etag the backend may answer 304 (notModified true, no data).
func (c *Client) FetchCatalog(ctx context.Context, etag string) (data, sig []byte, newETag string, notModified bool, err error) {
	hdr := http.Header{}
	if etag != "" {
		hdr.Set("If-None-Match", etag)
	}
	r, err := c.do(ctx, "catalog", http.MethodGet, "v1/catalog", hdr, nil)
	if err != nil {
		return nil, nil, "", false, err
	}
	switch r.status {
	case http.StatusNotModified:
		return nil, nil, etag, true, nil
	case http.StatusOK:
	default:
		return nil, nil, "", false, DecodeProblem("catalog", r.status, r.contentType, r.body, r.retryAfter)
	}
	if len(r.body) == 0 {
		return nil, nil, "", false, &Error{Op: "catalog", Status: r.status, Reason: "bad_body", Detail: "empty catalog", Err: ErrBadReply}
	}
	data, newETag = r.body, r.etag
	s, err := c.do(ctx, "catalog signature", http.MethodGet, "v1/catalog/signature", nil, nil)
	if err != nil {
		return nil, nil, "", false, err
	}
	if s.status != http.StatusOK {
		return nil, nil, "", false, DecodeProblem("catalog signature", s.status, s.contentType, s.body, s.retryAfter)
	}
	return data, s.body, newETag, false, nil
}
