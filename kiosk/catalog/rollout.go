package catalog

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// ErrNotInRollout: the list is valid and signed but its rollout does not
// name this kiosk's hall. It is not a fault and not a refusal: the kiosk
// keeps the list it has and reports the version it was not given
// (Status.NotInRollout) until operations widen the rollout.
var ErrNotInRollout = errors.New("catalog: not in rollout for this hall")

// Rollout says which kiosks apply a list: all of them, or those of the
// named halls (a pilot hall first, then wider). Operations widen a rollout
// by signing the same list again with more halls, at the same version
// (docs/catalog.md, "Staged rollout").
type Rollout struct {
	All   bool     `json:"all,omitempty"`
	Halls []string `json:"halls,omitempty"` // hall ids of this list
}

// RolloutAll is the rollout that names every kiosk.
func RolloutAll() *Rollout { return &Rollout{All: true} }

// String is "all" or the hall ids joined with commas.
func (r *Rollout) String() string {
	if r == nil || r.All {
		return "all"
	}
	s := ""
	for i, h := range r.Halls {
		if i > 0 {
			s += ","
		}
		s += h
	}
	return s
}

// InRollout reports whether a kiosk of hall applies the list. A list
// without a rollout is for every kiosk; a kiosk without a hall is in a
// rollout only when it names all.
func (c *Catalog) InRollout(hall string) bool {
	if c.Rollout == nil || c.Rollout.All {
		return true
	}
	return hall != "" && slices.Contains(c.Rollout.Halls, hall)
}

// ContentHash is the hex SHA-256 of the list without its rollout: two
// lists with the same content hash offer residents exactly the same
// things. A list signed again with a wider rollout keeps its version and
// its content hash; a kiosk that runs it already has nothing to apply.
func (c *Catalog) ContentHash() string {
	cp := *c
	cp.Rollout = nil
	b, err := json.Marshal(&cp)
	if err != nil {
		// Only a time outside years 0-9999 fails to encode, which no
		// parsed list has; then only the very same bytes are the same
		// content.
		b = append([]byte("raw:"), c.raw...)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// rollout checks $.rollout: all, or a non-empty list of distinct halls of
// this list, never both.
func (v *validator) rollout(r *Rollout, hallIDs map[string]bool) {
	if r == nil {
		return
	}
	switch {
	case r.All && len(r.Halls) > 0:
		v.add("$.rollout", "all or halls, not both")
	case !r.All && len(r.Halls) == 0:
		v.add("$.rollout", "name the halls, or all: true")
	}
	seen := map[string]bool{}
	for i, h := range r.Halls {
		p := fmt.Sprintf("$.rollout.halls[%d]", i)
		switch {
		case !hallIDs[h]:
			v.add(p, "unknown hall %q", h)
		case seen[h]:
			v.add(p, "hall %q listed twice", h)
		}
		seen[h] = true
	}
}
