package countysim

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/henan-county/kiosk/kiosk/backend"
	"github.com/henan-county/kiosk/kiosk/identity"
	"github.com/henan-county/kiosk/kiosk/mask"
)

// Electronic ID codes (电子身份证) as the simulator issues them: a
// resident's phone shows one, the kiosk scans it and asks
// POST /v1/identity-codes/verify who it names. A code is
// "YSBEID1." + the ID number + "." + the name (base64url) + "." + the
// minute it was issued + "." + a MAC, valid for IdentityCodeLife and
// once. The MAC key is fixed: these codes are for simulators and tests,
// never for people.

// IdentityCodeLife is how long a simulated code can be used.
const IdentityCodeLife = 5 * time.Minute

var idCodeKey = []byte("countysim electronic ID codes")

// IdentityCode issues the code a phone would show for the resident named
// name with ID number id, at now.
func IdentityCode(id, name string, now time.Time) string {
	body := "YSBEID1." + id + "." + base64.RawURLEncoding.EncodeToString([]byte(name)) + "." + strconv.FormatInt(now.Unix()/60, 10)
	return body + "." + idCodeMAC(body)
}

func idCodeMAC(body string) string {
	m := hmac.New(sha256.New, idCodeKey)
	m.Write([]byte(body))
	return hex.EncodeToString(m.Sum(nil)[:10])
}

// idCodes remembers the codes used, so each verifies once, and whom each
// kiosk verified, so a transaction that says its identity came from a
// code is taken only from a kiosk that had such a code verified.
type idCodes struct {
	mu       sync.Mutex
	used     map[string]bool
	verified map[string]time.Time // kiosk + " " + ID number → when
	n        int                  // verified
}

// verifiedLife is how long a kiosk may send a matter for an identity it
// had verified: long enough for a queued matter to wait out days offline.
const verifiedLife = 7 * 24 * time.Hour

func (c *idCodes) verifiedFor(kioskID, idNumber string, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	at, ok := c.verified[kioskID+" "+idNumber]
	return ok && now.Sub(at) < verifiedLife
}

// parseIdentityCode checks a code and returns who it names, or the
// refusal's reason.
func parseIdentityCode(code string, now time.Time) (backend.CodeIdentity, string) {
	f := strings.Split(code, ".")
	if len(f) != 5 || f[0] != "YSBEID1" {
		return backend.CodeIdentity{}, backend.CodeInvalid
	}
	body := strings.Join(f[:4], ".")
	if !hmac.Equal([]byte(idCodeMAC(body)), []byte(f[4])) {
		return backend.CodeIdentity{}, backend.CodeInvalid
	}
	name, err := base64.RawURLEncoding.DecodeString(f[2])
	min, err2 := strconv.ParseInt(f[3], 10, 64)
	if err != nil || err2 != nil || !identity.ValidIDNumber(f[1]) {
		return backend.CodeIdentity{}, backend.CodeInvalid
	}
	if now.Sub(time.Unix(min*60, 0)) > IdentityCodeLife {
		return backend.CodeIdentity{}, backend.CodeExpired
	}
	id := backend.CodeIdentity{CardType: "resident", Name: string(name), IDNumber: f[1], Source: "豫事办电子身份证",
		ValidTo: now.AddDate(10, 0, 0).Format(time.DateOnly)}
	switch (f[1][16] - '0') % 2 {
	case 1:
		id.Sex = "男"
	default:
		id.Sex = "女"
	}
	return id, ""
}

func (s *Server) verifyIdentityCode(w http.ResponseWriter, r *http.Request, kioskID string) {
	var req struct {
		Code string `json:"code"`
	}
	dec := json.NewDecoder(io.LimitReader(r.Body, 4096))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil || len(req.Code) < 16 || len(req.Code) > 512 {
		problem(w, 400, "validation", "code must be 16 to 512 characters")
		return
	}
	id, why := parseIdentityCode(req.Code, s.now())
	if why == "" {
		s.idc.mu.Lock()
		if s.idc.used == nil {
			s.idc.used = map[string]bool{}
		}
		if s.idc.used[req.Code] {
			why = backend.CodeUsed
		} else {
			s.idc.used[req.Code] = true
			if s.idc.verified == nil {
				s.idc.verified = map[string]time.Time{}
			}
			s.idc.verified[kioskID+" "+id.IDNumber] = s.now()
			s.idc.n++
		}
		s.idc.mu.Unlock()
	}
	if why != "" {
		s.log.Info("countysim refused an identity code", "kiosk", kioskID, "reason", why)
		problem(w, http.StatusUnprocessableEntity, why, map[string]string{
			backend.CodeInvalid: "这个二维码不是有效的电子身份证",
			backend.CodeExpired: "电子身份证二维码已过期，请在手机上刷新后再扫",
			backend.CodeUsed:    "这个电子身份证二维码已经用过，请在手机上刷新后再扫",
		}[why])
		return
	}
	s.log.Info("countysim verified an identity code", "kiosk", kioskID, "person", mask.Name(id.Name)+" "+mask.ID(id.IDNumber))
	writeJSON(w, http.StatusOK, id)
}

// IdentityCodesVerified is how many codes were verified (each once).
func (s *Server) IdentityCodesVerified() int {
	s.idc.mu.Lock()
	defer s.idc.mu.Unlock()
	return s.idc.n
}
