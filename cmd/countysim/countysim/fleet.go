package countysim

import (
	"crypto/subtle"
	"net/http"
	"slices"
	"strings"

	"github.com/henan-county/kiosk/kiosk/backend"
)

// operator reports whether r carries the operators' bearer token (the
// one PUT /v1/catalog takes); without one configured nobody is.
func (s *Server) operator(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return s.opts.OperatorToken != "" && ok &&
		subtle.ConstantTimeCompare([]byte(tok), []byte(s.opts.OperatorToken)) == 1
}

// Fleet is the operators' view of every kiosk the simulator has heard
// from, in (hall, kiosk) order, as GET /v1/fleet serves it.
func (s *Server) Fleet() (backend.Fleet, error) {
	ks, err := s.Kiosks()
	if err != nil {
		return backend.Fleet{}, err
	}
	f := backend.Fleet{Time: s.now(), Kiosks: make([]backend.FleetKiosk, 0, len(ks))}
	for _, k := range ks {
		f.Kiosks = append(f.Kiosks, backend.NewFleetKiosk(k.Heartbeat, k.LastSeen))
	}
	slices.SortFunc(f.Kiosks, func(a, b backend.FleetKiosk) int {
		if c := strings.Compare(a.HallID, b.HallID); c != 0 {
			return c
		}
		return strings.Compare(a.KioskID, b.KioskID)
	})
	return f, nil
}

func (s *Server) fleet(w http.ResponseWriter, r *http.Request) {
	if !s.operator(r) {
		problem(w, http.StatusUnauthorized, "forbidden", "operator token required")
		return
	}
	f, err := s.Fleet()
	if err != nil {
		problem(w, 500, "store", err.Error())
		return
	}
	writeJSON(w, 200, f)
}
