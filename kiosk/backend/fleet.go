package backend

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/henan-county/kiosk/kiosk/devices"
)

// Fleet is the body of GET /v1/fleet: every kiosk the backend has heard
// from, as of its last heartbeat, and the backend's clock when it
// answered (ages are measured on it, not on the operator's machine).
type Fleet struct {
	Time   time.Time    `json:"time"`
	Kiosks []FleetKiosk `json:"kiosks"`
}

// FleetKiosk is one kiosk in the fleet view.
type FleetKiosk struct {
	KioskID          string `json:"kiosk_id"`
	HallID           string `json:"hall_id"`
	SoftwareVersion  string `json:"software_version"`
	CatalogVersion   int64  `json:"catalog_version"`
	CatalogStale     bool   `json:"catalog_stale"`
	CatalogRejection string `json:"catalog_rejection,omitempty"`
	// DevicesNotOnline are the kiosk's devices that were neither online
	// nor busy at its last heartbeat.
	DevicesNotOnline   []FleetDevice `json:"devices_not_online"`
	OutboxDepth        int           `json:"outbox_depth"`
	OutboxOldestAge    Seconds       `json:"outbox_oldest_age"`
	PaymentsUnresolved int           `json:"payments_unresolved"`
	DoorOpen           bool          `json:"door_open"`
	// HeartbeatInterval is how often the kiosk said it sends a heartbeat
	// (0 from kiosks that do not say).
	HeartbeatInterval Seconds   `json:"heartbeat_interval"`
	LastSeen          time.Time `json:"last_seen"`
}

// FleetDevice is a device that is not online, and its state.
type FleetDevice struct {
	Name  string        `json:"name"`
	State devices.State `json:"state"`
}

// NewFleetKiosk is the fleet view's line for a kiosk whose last heartbeat
// was hb, received at lastSeen.
func NewFleetKiosk(hb Heartbeat, lastSeen time.Time) FleetKiosk {
	k := FleetKiosk{
		KioskID: hb.KioskID, HallID: hb.HallID, SoftwareVersion: hb.SoftwareVersion,
		CatalogVersion: hb.CatalogVersion, CatalogStale: hb.CatalogStale, CatalogRejection: hb.CatalogRejection,
		DevicesNotOnline: []FleetDevice{},
		OutboxDepth:      hb.OutboxDepth, OutboxOldestAge: hb.OutboxOldestAge, PaymentsUnresolved: hb.PaymentsUnresolved,
		DoorOpen: hb.DoorOpen, HeartbeatInterval: hb.HeartbeatInterval, LastSeen: lastSeen,
	}
	for _, d := range hb.Devices {
		if !d.State.Usable() {
			k.DevicesNotOnline = append(k.DevicesNotOnline, FleetDevice{Name: d.Name, State: d.State})
		}
	}
	return k
}

// MaxFleet caps a fleet view's size: some thousand kiosks fit many times.
const MaxFleet = 8 << 20

// DecodeFleet reads a fleet view strictly: a kiosk without an id or a
// time, a negative count or a view larger than MaxFleet is an error.
// Members it does not know are ignored (the backend may add some).
func DecodeFleet(b []byte) (Fleet, error) {
	var f Fleet
	if len(b) > MaxFleet {
		return Fleet{}, fmt.Errorf("backend: fleet: %d bytes, more than %d", len(b), MaxFleet)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&f); err != nil {
		return Fleet{}, fmt.Errorf("backend: fleet: %w", err)
	}
	if dec.More() {
		return Fleet{}, errors.New("backend: fleet: data after the view")
	}
	if f.Time.IsZero() {
		return Fleet{}, errors.New("backend: fleet: no time")
	}
	if f.Kiosks == nil {
		return Fleet{}, errors.New("backend: fleet: no kiosks member")
	}
	for i, k := range f.Kiosks {
		switch {
		case k.KioskID == "":
			return Fleet{}, fmt.Errorf("backend: fleet: kiosks[%d]: no kiosk_id", i)
		case k.LastSeen.IsZero():
			return Fleet{}, fmt.Errorf("backend: fleet: kiosk %q: no last_seen", k.KioskID)
		case k.OutboxDepth < 0 || k.PaymentsUnresolved < 0:
			return Fleet{}, fmt.Errorf("backend: fleet: kiosk %q: a negative count", k.KioskID)
		}
		if k.DevicesNotOnline == nil {
			f.Kiosks[i].DevicesNotOnline = []FleetDevice{}
		}
		for j, d := range k.DevicesNotOnline {
			if d.Name == "" {
				return Fleet{}, fmt.Errorf("backend: fleet: kiosk %q: devices_not_online[%d]: no name", k.KioskID, j)
			}
		}
	}
	return f, nil
}

// OperatorOpts are an operator's credentials for the backend, as
// `kioskctl catalog publish` uses them: a bearer token and, where the
// backend asks for one, a client certificate.
type OperatorOpts struct {
	BaseURL  string // https://…
	Token    string // bearer token; empty sends none
	CAFile   string // roots to trust (system roots when empty)
	CertFile string // client certificate and key for mutual TLS (optional)
	KeyFile  string
	Timeout  time.Duration // whole request; 0 means 30 s
}

// FetchFleet reads GET {BaseURL}/v1/fleet with an operator's credentials.
// A backend that cannot be reached wraps ErrUnreachable.
func FetchFleet(ctx context.Context, o OperatorOpts) (Fleet, error) {
	u, err := url.Parse(o.BaseURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return Fleet{}, fmt.Errorf("backend: fleet: base URL %q: want https://host", o.BaseURL)
	}
	tc, err := TLSConfig(o.CAFile, o.CertFile, o.KeyFile)
	if err != nil {
		return Fleet{}, err
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(o.BaseURL, "/")+"/v1/fleet", nil)
	if err != nil {
		return Fleet{}, fmt.Errorf("backend: fleet: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	if o.Token != "" {
		req.Header.Set("Authorization", "Bearer "+o.Token)
	}
	tr := &http.Transport{TLSClientConfig: tc, Proxy: http.ProxyFromEnvironment}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Do(req)
	if err != nil {
		return Fleet{}, fmt.Errorf("backend: fleet: %w: %w", ErrUnreachable, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, MaxFleet+1))
	if err != nil {
		return Fleet{}, fmt.Errorf("backend: fleet: reading reply: %w: %w", ErrUnreachable, err)
	}
	if resp.StatusCode != http.StatusOK {
		msg := strings.TrimSpace(string(b))
		if len(msg) > 300 {
			msg = msg[:300]
		}
		return Fleet{}, fmt.Errorf("backend: fleet: %s: %s", resp.Status, msg)
	}
	return DecodeFleet(b)
}
