package catalog

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Problem is one validation failure.
type Problem struct {
	Path   string `json:"path"`   // JSON path, e.g. $.services[12].form[3].pattern
	Reason string `json:"reason"` // plain words
}

func (p Problem) String() string { return p.Path + ": " + p.Reason }

// ErrInvalid is wrapped by *ValidationError.
var ErrInvalid = errors.New("catalog: invalid")

// ValidationError carries every problem Validate found.
type ValidationError struct{ Problems []Problem }

func (e *ValidationError) Error() string {
	if len(e.Problems) == 1 {
		return "catalog: invalid: " + e.Problems[0].String()
	}
	return fmt.Sprintf("catalog: invalid: %s (and %d more problems)", e.Problems[0], len(e.Problems)-1)
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// Icons the kiosk can draw for a category.
var Icons = []string{"person", "shield", "car", "shop", "house", "coin", "heart", "hospital", "school", "tax", "home", "hand"}

// CardFields are the ID card fields a form may take or prefill from.
var CardFields = []string{"name", "id_number", "sex", "nation", "birth", "address", "issuer", "valid_to"}

// Kinds are the known matter kinds.
var Kinds = []Kind{KindQuery, KindPrint, KindApply, KindCertify, KindAppointment}

// FieldTypes are the known form field types.
var FieldTypes = []FieldType{FieldText, FieldDigits, FieldPhone, FieldDate, FieldChoice, FieldAmount, FieldIDNumber, FieldFromCard, FieldTracking}

// validID: lower-case letters, digits, '-' and '_', starting with a
// letter or digit, at most 64 bytes.
func validID(s string) bool {
	if len(s) == 0 || len(s) > 64 || s[0] == '-' || s[0] == '_' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// validResult: result.NAME with NAME of a-z, 0-9, '_' (at most 32).
func validResult(s string) bool {
	name, ok := strings.CutPrefix(s, "result.")
	if !ok || len(name) == 0 || len(name) > 32 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

func idx(p, field string, i int) string { return p + "." + field + "[" + strconv.Itoa(i) + "]" }

// Limits on sizes, so a hostile list cannot make the screen or the index
// unbounded.
const (
	maxText     = 2000
	maxName     = 64
	maxServices = 20000
)

type validator struct {
	probs    []Problem
	patterns map[string]error // compiled patterns, by source
}

func (v *validator) add(path, format string, a ...any) {
	v.probs = append(v.probs, Problem{Path: path, Reason: fmt.Sprintf(format, a...)})
}

func (v *validator) text(path, s string, required bool, max int) {
	switch {
	case required && strings.TrimSpace(s) == "":
		v.add(path, "required")
	case utf8.RuneCountInString(s) > max:
		v.add(path, "longer than %d characters", max)
	case strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 && r != '\n' }):
		v.add(path, "contains control characters")
	}
}

// Validate checks what the schema says and what it cannot say. An empty
// result means the catalog is usable.
func Validate(c *Catalog) []Problem {
	v := &validator{patterns: map[string]error{}}
	if c.SchemaVersion < MinSchemaVersion || c.SchemaVersion > SchemaVersion {
		v.add("$.schema_version", "unknown schema version %d (this build reads %d to %d)", c.SchemaVersion, MinSchemaVersion, SchemaVersion)
	}
	if c.Version <= 0 {
		v.add("$.version", "must be a positive integer")
	}
	if c.IssuedAt.IsZero() {
		v.add("$.issued_at", "required")
	}
	if !c.ExpiresAt.After(c.IssuedAt) {
		v.add("$.expires_at", "must be after issued_at")
	}
	if c.EffectiveAt != nil && c.EffectiveAt.After(c.ExpiresAt) {
		v.add("$.effective_at", "after expires_at")
	}
	v.text("$.county", c.County, true, maxName)
	v.text("$.hotline", c.Hotline, true, 32)
	if c.Hotline != "" && strings.Trim(c.Hotline, "0123456789-") != "" {
		v.add("$.hotline", "only digits and '-' (0371-12345)")
	}
	v.httpsURL("$.assist_url", c.AssistURL)
	v.httpsURL("$.track_url", c.TrackURL)
	if c.TrackURL != "" && !strings.Contains(c.TrackURL, "{tracking}") {
		v.add("$.track_url", "must contain {tracking}")
	}
	if len(c.Halls) == 0 {
		v.add("$.halls", "at least one hall")
	}
	hallIDs := map[string]bool{}
	for i, h := range c.Halls {
		p := fmt.Sprintf("$.halls[%d]", i)
		v.id(p+".id", h.ID, hallIDs)
		v.text(p+".name", h.Name, true, maxName)
		v.text(p+".address", h.Address, true, 200)
	}
	v.rollout(c.Rollout, hallIDs)
	for i, h := range c.Halls {
		seen := map[string]bool{}
		for j, n := range h.Nearby {
			p := fmt.Sprintf("$.halls[%d].nearby[%d]", i, j)
			switch {
			case !hallIDs[n.ID]:
				v.add(p+".id", "unknown hall %q", n.ID)
			case n.ID == h.ID:
				v.add(p+".id", "a hall is not near itself")
			case seen[n.ID]:
				v.add(p+".id", "hall %q listed twice", n.ID)
			}
			seen[n.ID] = true
			if n.Meters < 0 || n.Meters > 500000 {
				v.add(p+".meters", "between 0 and 500000")
			}
		}
	}
	if len(c.Categories) == 0 {
		v.add("$.categories", "at least one category")
	}
	cats := map[string]bool{}
	for i, cat := range c.Categories {
		p := fmt.Sprintf("$.categories[%d]", i)
		v.id(p+".id", cat.ID, cats)
		v.text(p+".name", cat.Name, true, 16)
		if !slices.Contains(Icons, cat.Icon) {
			v.add(p+".icon", "unknown icon %q (one of %s)", cat.Icon, strings.Join(Icons, ", "))
		}
	}
	if len(c.Services) == 0 {
		v.add("$.services", "at least one service")
	}
	if len(c.Services) > maxServices {
		v.add("$.services", "more than %d services", maxServices)
	}
	ids := map[string]bool{}
	for i := range c.Services {
		v.service("$.services["+strconv.Itoa(i)+"]", &c.Services[i], ids, cats)
	}
	return v.probs
}

func (v *validator) httpsURL(path, s string) {
	if s == "" {
		v.add(path, "required")
		return
	}
	u, err := url.Parse(strings.ReplaceAll(s, "{tracking}", "x"))
	if err != nil || u.Scheme != "https" || u.Host == "" {
		v.add(path, "must be an https:// URL")
	}
}

func (v *validator) id(path, id string, seen map[string]bool) {
	if !validID(id) {
		v.add(path, "id %q must be lower-case letters, digits, '-' or '_' (at most 64)", id)
		return
	}
	if seen[id] {
		v.add(path, "duplicate id %q", id)
	}
	seen[id] = true
}

func (v *validator) service(p string, s *Service, ids, cats map[string]bool) {
	v.id(p+".id", s.ID, ids)
	v.text(p+".name", s.Name, true, maxName)
	v.text(p+".short_name", s.ShortName, false, 12)
	v.text(p+".department", s.Department, true, maxName)
	v.text(p+".description", s.Description, false, maxText)
	v.text(p+".fee_note", s.FeeNote, false, 200)
	v.text(p+".status_message", s.StatusMessage, false, 200)
	if !cats[s.Category] {
		v.add(p+".category", "unknown category %q", s.Category)
	}
	if !slices.Contains(Kinds, s.Kind) {
		v.add(p+".kind", "unknown kind %q", s.Kind)
	}
	if s.FeeFen < 0 {
		v.add(p+".fee_fen", "negative fee")
	}
	if s.IdentityCode && !s.NeedsIDCard {
		v.add(p+".identity_code", "only a matter that needs the ID card can take an electronic ID code instead")
	}
	if s.FaceCheck && !s.NeedsIDCard {
		v.add(p+".face_check", "a face check compares the resident with the ID card: the matter must need the card")
	}
	if s.FaceCheck && s.IdentityCode {
		v.add(p+".face_check", "a face-checked matter cannot take an electronic ID code instead of the card")
	}
	if s.TimeLimitDays < 0 || s.TimeLimitDays > 365 {
		v.add(p+".time_limit_days", "must be 0..365 working days")
	}
	if s.Popularity < 0 {
		v.add(p+".popularity", "negative")
	}
	switch s.Offline {
	case OfflineQueue, OfflineOnlineOnly:
	default:
		v.add(p+".offline", "unknown offline policy %q (queue or online_only)", s.Offline)
	}
	switch s.Status {
	case StatusActive:
	case StatusSuspended:
		if strings.TrimSpace(s.StatusMessage) == "" {
			v.add(p+".status_message", "a suspended matter needs a message for residents")
		}
	default:
		v.add(p+".status", "unknown status %q (active or suspended)", s.Status)
	}
	for i, m := range s.Materials {
		v.text(idx(p, "materials", i), m, true, 200)
	}
	for i, k := range s.Keywords {
		v.text(idx(p, "keywords", i), k, true, 32)
	}
	v.hours(p+".hours", s.Hours)
	fields := map[string]bool{}
	for i := range s.Form {
		v.field(idx(p, "form", i), &s.Form[i], fields)
	}
	v.text(p+".receipt.title", s.Receipt.Title, true, 32)
	v.text(p+".receipt.note", s.Receipt.Note, false, 400)
	for i, l := range s.Receipt.Lines {
		lp := idx(p, "receipt.lines", i)
		v.text(lp+".label", l.Label, true, 16)
		switch {
		case strings.HasPrefix(l.Field, "card."):
			if !slices.Contains(CardFields, strings.TrimPrefix(l.Field, "card.")) {
				v.add(lp+".field", "unknown card field %q", l.Field)
			}
		case strings.HasPrefix(l.Field, "result."):
			if !validResult(l.Field) {
				v.add(lp+".field", "result field %q must be result.name (a-z, 0-9, _)", l.Field)
			}
		default:
			if !fields[l.Field] {
				v.add(lp+".field", "names no form field, card.* or result.* field: %q", l.Field)
			}
		}
		if !slices.Contains(ReceiptMasks, l.Mask) {
			v.add(lp+".mask", "unknown mask %q (one of %s)", l.Mask, strings.Join(ReceiptMasks, ", "))
		}
	}
}

func (v *validator) hours(p string, h Hours) {
	if h.Always {
		if len(h.Windows) > 0 {
			v.add(p+".windows", "always open: windows must be empty")
		}
		return
	}
	if len(h.Windows) == 0 {
		v.add(p, "not always open and no windows: never open")
	}
	for i, w := range h.Windows {
		wp := idx(p, "windows", i)
		if len(w.Days) == 0 {
			v.add(wp+".days", "no days")
		}
		for j, d := range w.Days {
			if d < 1 || d > 7 {
				v.add(fmt.Sprintf("%s.days[%d]", wp, j), "day %d: want 1 (Monday) .. 7 (Sunday)", d)
			}
		}
		from, ok1 := parseClock(w.From)
		to, ok2 := parseClock(w.To)
		if !ok1 {
			v.add(wp+".from", "time %q: want HH:MM", w.From)
		}
		if !ok2 {
			v.add(wp+".to", "time %q: want HH:MM", w.To)
		}
		if ok1 && ok2 && to <= from {
			v.add(wp+".to", "must be after from")
		}
	}
}

func (v *validator) field(p string, f *Field, seen map[string]bool) {
	if !validID(f.ID) || strings.Contains(f.ID, ".") {
		v.add(p+".id", "id %q must be lower-case letters, digits, '-' or '_'", f.ID)
	} else if seen[f.ID] {
		v.add(p+".id", "duplicate field id %q", f.ID)
	}
	seen[f.ID] = true
	v.text(p+".label", f.Label, true, 32)
	v.text(p+".hint", f.Hint, false, 200)
	if !slices.Contains(FieldTypes, f.Type) {
		v.add(p+".type", "unknown field type %q", f.Type)
	}
	if f.MinLen < 0 || f.MaxLen < 0 || (f.MaxLen > 0 && f.MinLen > f.MaxLen) {
		v.add(p+".max_len", "lengths must be 0 <= min_len <= max_len")
	}
	if f.Pattern != "" {
		if len(f.Pattern) > 500 {
			v.add(p+".pattern", "longer than 500 bytes")
		} else {
			err, ok := v.patterns[f.Pattern]
			if !ok {
				if _, err = regexp.Compile(f.Pattern); err == nil {
					_, err = regexp.Compile("^(?:" + f.Pattern + ")$")
				}
				v.patterns[f.Pattern] = err
			}
			if err != nil {
				v.add(p+".pattern", "does not compile: %v", err)
			}
		}
	}
	if f.Type == FieldChoice {
		if len(f.Choices) == 0 {
			v.add(p+".choices", "a choice field needs choices")
		}
		vals := map[string]bool{}
		for i, ch := range f.Choices {
			cp := idx(p, "choices", i)
			if ch.Value == "" {
				v.add(cp+".value", "required")
			} else if vals[ch.Value] {
				v.add(cp+".value", "duplicate value %q", ch.Value)
			}
			vals[ch.Value] = true
			v.text(cp+".label", ch.Label, true, 32)
		}
	} else if len(f.Choices) > 0 {
		v.add(p+".choices", "only choice fields have choices")
	}
	if f.Type == FieldFromCard && f.CardField == "" {
		v.add(p+".card_field", "a card field must name the card field it takes")
	}
	if f.CardField != "" && !slices.Contains(CardFields, f.CardField) {
		v.add(p+".card_field", "unknown card field %q (one of %s)", f.CardField, strings.Join(CardFields, ", "))
	}
}
