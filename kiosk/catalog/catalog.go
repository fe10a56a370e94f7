package catalog

import (
	_ "embed"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:generate go run ./internal/gendefault -o default.json

//go:embed default.json
var defaultJSON []byte

// DefaultJSON returns a copy of the catalog built into the firmware, used
// when the store holds no valid list.
func DefaultJSON() []byte {
	out := make([]byte, len(defaultJSON))
	copy(out, defaultJSON)
	return out
}

// Default parses the built-in catalog.
func Default() (*Catalog, error) { return Parse(defaultJSON) }

// local is the county's time zone (Asia/Shanghai: UTC+8 all year, no DST
// since 1991, so a fixed zone needs no tz database on the kiosk).
var local = time.FixedZone("CST", 8*3600)

// Local returns the zone opening hours are written in.
func Local() *time.Location { return local }

// Service returns the matter with id, or nil.
func (c *Catalog) Service(id string) *Service {
	for i := range c.Services {
		if c.Services[i].ID == id {
			return &c.Services[i]
		}
	}
	return nil
}

// Category returns the category with id, or nil.
func (c *Catalog) Category(id string) *Category {
	for i := range c.Categories {
		if c.Categories[i].ID == id {
			return &c.Categories[i]
		}
	}
	return nil
}

// SortedCategories returns the categories in their display order.
func (c *Catalog) SortedCategories() []*Category {
	out := make([]*Category, len(c.Categories))
	for i := range c.Categories {
		out[i] = &c.Categories[i]
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Order < out[j].Order })
	return out
}

// InCategory returns the matters of a category, most used first.
func (c *Catalog) InCategory(catID string) []*Service {
	var out []*Service
	for i := range c.Services {
		if c.Services[i].Category == catID {
			out = append(out, &c.Services[i])
		}
	}
	sortByPopularity(out)
	return out
}

// Popular returns the n most used active matters.
func (c *Catalog) Popular(n int) []*Service {
	out := make([]*Service, 0, len(c.Services))
	for i := range c.Services {
		if c.Services[i].Status != StatusSuspended {
			out = append(out, &c.Services[i])
		}
	}
	sortByPopularity(out)
	if n >= 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

func sortByPopularity(s []*Service) {
	sort.SliceStable(s, func(i, j int) bool {
		if s[i].Popularity != s[j].Popularity {
			return s[i].Popularity > s[j].Popularity
		}
		return s[i].ID < s[j].ID
	})
}

// Expired reports whether the list has passed its expiry at now.
func (c *Catalog) Expired(now time.Time) bool { return !now.Before(c.ExpiresAt) }

// Suspended reports whether the matter is suspended.
// TakesPayment reports whether the resident pays at the kiosk for the
// matter: a payment matter, or one with a fee (工本费). The amount is the
// backend's, never the catalog's or the form's.
func (s *Service) TakesPayment() bool { return s.Payment || s.FeeFen > 0 }

// Suspended reports whether the matter is suspended.
func (s *Service) Suspended() bool { return s.Status == StatusSuspended }

// OnlineOnly reports whether the matter needs the backend's answer now
// and is never queued: a matter marked online_only, and every print
// matter, whose proof the department's system issues at the time (a
// resident must not leave with an "accepted" slip and no document).
func (s *Service) OnlineOnly() bool { return s.Offline == OfflineOnlineOnly || s.Kind == KindPrint }

// OpenAt reports whether the matter can be done at t (in the county's
// local time). Suspended matters are never open.
func (s *Service) OpenAt(t time.Time) bool {
	if s.Status == StatusSuspended {
		return false
	}
	return s.Hours.OpenAt(t)
}

// OpenAt reports whether the hours include t.
func (h Hours) OpenAt(t time.Time) bool {
	if h.Always {
		return true
	}
	t = t.In(local)
	day := int(t.Weekday())
	if day == 0 {
		day = 7
	}
	minute := t.Hour()*60 + t.Minute()
	for _, w := range h.Windows {
		from, ok1 := parseClock(w.From)
		to, ok2 := parseClock(w.To)
		if !ok1 || !ok2 {
			continue
		}
		for _, d := range w.Days {
			if d == day && minute >= from && minute < to {
				return true
			}
		}
	}
	return false
}

// parseClock reads "HH:MM" (00:00 to 24:00) as minutes after midnight.
func parseClock(s string) (int, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	h, err1 := strconv.Atoi(s[:2])
	m, err2 := strconv.Atoi(s[3:])
	if err1 != nil || err2 != nil || h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, false
	}
	if strings.ContainsAny(s, "+-") {
		return 0, false
	}
	return h*60 + m, true
}

// FeeText renders a fee in yuan for screens and receipts: "免费" or "20.00元".
func FeeText(fen int64) string {
	if fen == 0 {
		return "免费"
	}
	return strconv.FormatInt(fen/100, 10) + "." + strconv.FormatInt(fen%100/10, 10) + strconv.FormatInt(fen%10, 10) + "元"
}
