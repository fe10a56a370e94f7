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

// Icons are the names a category's icon may have. The screen draws the
// first twelve (DrawnIcons); the others are the county's categories that
// had none of their own, and the screen draws them as a plain dot until
// it has their pictures. A list of schema 2 gives each category its own.
var Icons = append(slices.Clip(DrawnIcons), "passport", "wheelchair", "health", "briefcase", "wheat", "utility", "building", "scales")

// DrawnIcons are the category icons the screen draws.
var DrawnIcons = []string{"person", "shield", "car", "shop", "house", "coin", "heart", "hospital", "school", "tax", "home", "hand"}

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
	v2 := c.SchemaVersion >= 2
	v.text("$.hotline", c.Hotline, true, 32)
	v.text("$.assist_name", c.AssistName, true, maxAssistName)
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
	levels := v.places(c.Places)
	hallIDs := map[string]bool{}
	for i, h := range c.Halls {
		p := fmt.Sprintf("$.halls[%d]", i)
		v.id(p+".id", h.ID, hallIDs)
		v.text(p+".name", h.Name, true, maxName)
		v.text(p+".address", h.Address, true, 200)
		switch {
		case h.Township == "" && !v2: // a version 1 list names no places
		case h.Township == "":
			v.add(p+".township", "required: the township or street the hall is in")
		case levels[h.Township] != LevelTownship:
			v.add(p+".township", "%q names no place of level township", h.Township)
		}
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
	icons := map[string]string{}
	for i, cat := range c.Categories {
		p := fmt.Sprintf("$.categories[%d]", i)
		v.id(p+".id", cat.ID, cats)
		v.text(p+".name", cat.Name, true, 16)
		if !slices.Contains(Icons, cat.Icon) {
			v.add(p+".icon", "unknown icon %q (one of %s)", cat.Icon, strings.Join(Icons, ", "))
		} else if other, ok := icons[cat.Icon]; ok && v2 {
			v.add(p+".icon", "icon %q is already category %q's: each category has its own", cat.Icon, other)
		}
		if _, ok := icons[cat.Icon]; !ok {
			icons[cat.Icon] = cat.ID
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
		v.service("$.services["+strconv.Itoa(i)+"]", &c.Services[i], ids, cats, v2)
	}
	if v2 {
		v.writtenOnce(c)
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

func (v *validator) service(p string, s *Service, ids, cats map[string]bool, v2 bool) {
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
	seenMaterial := map[string]bool{}
	for i, m := range s.Materials {
		v.text(idx(p, "materials", i), m, true, 200)
		if seenMaterial[m] && v2 {
			v.add(idx(p, "materials", i), "%q listed twice", m)
		}
		seenMaterial[m] = true
	}
	v.where(p, s)
	v.devices(p, s, v2)
	for i, k := range s.Keywords {
		v.text(idx(p, "keywords", i), k, true, 32)
	}
	atKiosk := s.AtKiosk()
	if atKiosk || s.Hours.Always || len(s.Hours.Windows) > 0 {
		v.hours(p+".hours", s.Hours)
	}
	if !atKiosk && len(s.Form) > 0 {
		v.add(p+".form", "a matter not done at the kiosk has no form")
	}
	if !atKiosk && len(s.Receipt.Lines) > 0 {
		v.add(p+".receipt.lines", "a matter not done at the kiosk prints no receipt")
	}
	fields := map[string]bool{}
	for i := range s.Form {
		v.field(idx(p, "form", i), &s.Form[i], fields)
	}
	v.text(p+".receipt.title", s.Receipt.Title, atKiosk, 32)
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

// maxAssistName: the team's name is shown on a button and a receipt line.
const maxAssistName = 12

// places checks the county's service places and returns their levels by
// id.
func (v *validator) places(places []Place) map[string]string {
	levels := map[string]string{}
	seen := map[string]bool{}
	for i, pl := range places {
		p := fmt.Sprintf("$.places[%d]", i)
		v.id(p+".id", pl.ID, seen)
		if !slices.Contains(Levels, pl.Level) {
			v.add(p+".level", "unknown level %q (one of %s)", pl.Level, strings.Join(Levels, ", "))
		}
		if _, ok := levels[pl.ID]; !ok {
			levels[pl.ID] = pl.Level
		}
		v.text(p+".name", pl.Name, true, maxName)
		v.text(p+".address", pl.Address, true, 200)
		v.text(p+".phone", pl.Phone, false, 32)
		if pl.Phone != "" && strings.Trim(pl.Phone, "0123456789-") != "" {
			v.add(p+".phone", "only digits and '-' (0371-62112345)")
		}
		v.hours(p+".hours", pl.Hours)
	}
	for i, pl := range places {
		p := fmt.Sprintf("$.places[%d].township", i)
		switch {
		case pl.Level == LevelVillage && pl.Township == "":
			v.add(p, "required: a village station's township")
		case pl.Level == LevelVillage && levels[pl.Township] != LevelTownship:
			v.add(p, "%q names no place of level township", pl.Township)
		case pl.Level != LevelVillage && pl.Township != "":
			v.add(p, "only a village station names its township")
		}
	}
	return levels
}

// where checks where a matter can be done, and what a matter not done at
// the kiosk must say instead.
func (v *validator) where(p string, s *Service) {
	if len(s.Where) == 0 {
		v.add(p+".where", "required: at least one place or channel (%s)", strings.Join(Wheres, ", "))
	}
	seen := v.names(p, "where", "", s.Where, Wheres)
	if s.OnlineURL != "" {
		if utf8.RuneCountInString(s.OnlineURL) > 500 {
			v.add(p+".online_url", "longer than 500 characters")
		} else {
			v.httpsURL(p+".online_url", s.OnlineURL)
		}
		if !seen[WhereOnline] && !seen[WhereApp] {
			v.add(p+".online_url", "the matter is online: where must say online or app")
		}
	}
	if len(s.Where) > 0 && !seen[WhereKiosk] && s.OnlineURL == "" && !seen[WhereTownship] && !seen[WhereVillage] && !seen[WhereCounty] {
		v.add(p+".where", "a matter not done at the kiosk needs online_url or a place (township, village, county)")
	}
}

// names checks a list of names from a fixed set (where, devices): each
// known, none twice; noun names an unknown one ("device "). It returns
// the names seen.
func (v *validator) names(p, field, noun string, list, known []string) map[string]bool {
	seen := map[string]bool{}
	for i, n := range list {
		switch {
		case !slices.Contains(known, n):
			v.add(idx(p, field, i), "unknown %s%q (one of %s)", noun, n, strings.Join(known, ", "))
		case seen[n]:
			v.add(idx(p, field, i), "%q listed twice", n)
		}
		seen[n] = true
	}
	return seen
}

// devices checks the devices a kiosk needs against what the matter says
// of itself.
func (v *validator) devices(p string, s *Service, v2 bool) {
	seen := v.names(p, "devices", "device ", s.Devices, DeviceNames)
	if !s.AtKiosk() {
		if len(s.Devices) > 0 {
			v.add(p+".devices", "a matter not done at the kiosk needs no device")
		}
		for _, f := range []struct {
			set  bool
			name string
		}{{s.NeedsIDCard, "needs_id_card"}, {s.NeedsPrinter, "needs_printer"}, {s.Payment, "payment"}, {s.FaceCheck, "face_check"}, {s.IdentityCode, "identity_code"}} {
			if f.set {
				v.add(p+"."+f.name, "a matter not done at the kiosk: the kiosk takes no part in it")
			}
		}
		return
	}
	// A device is needed exactly when the matter's flags say so, but for
	// the camera, which a text that speaks of a face check needs too.
	faceText := ""
	if v2 {
		for _, t := range append([]string{s.Description}, s.Materials...) {
			if strings.Contains(t, "人脸识别") || strings.Contains(t, "刷脸") {
				faceText = t
				break
			}
		}
	}
	rules := []struct {
		dev    string
		needed bool
		why    string
	}{
		{DeviceIDCard, s.NeedsIDCard, "needs_id_card"},
		{DevicePrinter, s.NeedsPrinter, "needs_printer"},
		{DeviceA4, s.Kind == KindPrint, "kind print"},
		{DevicePayment, s.TakesPayment(), "payment or fee_fen"},
		{DeviceCamera, s.FaceCheck, "face_check"},
		{DeviceScanner, s.IdentityCode, "identity_code"},
	}
	for _, r := range rules {
		switch {
		case r.needed && !seen[r.dev]:
			v.add(p+".devices", "%s: the kiosk needs %q", r.why, r.dev)
		case !r.needed && seen[r.dev] && (r.dev == DeviceIDCard || r.dev == DevicePrinter):
			v.add(p+".devices", "%q without %s", r.dev, r.why)
		case !r.needed && seen[r.dev] && !(r.dev == DeviceCamera && faceText != ""):
			v.add(p+".devices", "%q: the matter has no %s", r.dev, r.why)
		}
	}
	if faceText != "" && !seen[DeviceCamera] {
		v.add(p+".devices", "the matter speaks of a face check (%q): the kiosk needs \"camera\" (and face_check)", faceText)
	}
}

// writtenOnce: the hotline and the assisted-service team's name are
// written once, at the top of the list, and the kiosk adds them where
// they are shown; no other text carries a phone number or the name, so a
// new number or name is one change.
func (v *validator) writtenOnce(c *Catalog) {
	check := func(path, s string) {
		if s == "" {
			return
		}
		if n := phoneNumberIn(s); n != "" {
			v.add(path, "contains a phone number (%s): the kiosk shows the hotline from $.hotline", n)
		}
		if c.AssistName != "" && strings.Contains(s, c.AssistName) {
			v.add(path, "contains %q: the kiosk shows it from $.assist_name", c.AssistName)
		}
	}
	check("$.county", c.County)
	for i, h := range c.Halls {
		p := fmt.Sprintf("$.halls[%d]", i)
		check(p+".name", h.Name)
		check(p+".address", h.Address)
	}
	for i, pl := range c.Places {
		p := fmt.Sprintf("$.places[%d]", i)
		check(p+".name", pl.Name)
		check(p+".address", pl.Address)
	}
	for i, cat := range c.Categories {
		check(fmt.Sprintf("$.categories[%d].name", i), cat.Name)
	}
	for i := range c.Services {
		s := &c.Services[i]
		p := "$.services[" + strconv.Itoa(i) + "]"
		check(p+".name", s.Name)
		check(p+".short_name", s.ShortName)
		check(p+".department", s.Department)
		check(p+".description", s.Description)
		check(p+".fee_note", s.FeeNote)
		check(p+".status_message", s.StatusMessage)
		for j, m := range s.Materials {
			check(idx(p, "materials", j), m)
		}
		for j, f := range s.Form {
			fp := idx(p, "form", j)
			check(fp+".label", f.Label)
			check(fp+".hint", f.Hint)
			for k, ch := range f.Choices {
				check(idx(fp, "choices", k)+".label", ch.Label)
			}
		}
		check(p+".receipt.title", s.Receipt.Title)
		check(p+".receipt.note", s.Receipt.Note)
		for j, l := range s.Receipt.Lines {
			check(idx(p, "receipt.lines", j)+".label", l.Label)
		}
	}
}

// phoneNumberIn returns the first phone number in s: a run of digits
// (with '-' or spaces between them) holding seven digits or more, or
// three or more after words that introduce a number (拨打, 致电, 电话,
// 热线). Dates, times, short counts and serial numbers (第…号) are not
// phone numbers.
func phoneNumberIn(s string) string {
	rs := []rune(s)
	isDigit := func(r rune) bool { return r >= '0' && r <= '9' || r >= '０' && r <= '９' }
	for i := 0; i < len(rs); i++ {
		if !isDigit(rs[i]) || i > 0 && isDigit(rs[i-1]) {
			continue
		}
		j, digits, end := i, 0, i
		for j < len(rs) && (isDigit(rs[j]) || rs[j] == '-' || rs[j] == '－' || rs[j] == ' ') {
			if isDigit(rs[j]) {
				digits++
				end = j + 1
			}
			j++
		}
		if i > 0 && rs[i-1] == '第' && end < len(rs) && rs[end] == '号' {
			i = j // a serial number (不动产权第0012345号), not a phone number
			continue
		}
		before := string(rs[max(0, i-4):i])
		introduced := false
		for _, w := range []string{"拨打", "致电", "电话", "热线"} {
			if strings.HasSuffix(strings.TrimRight(before, " ：:"), w) {
				introduced = true
			}
		}
		if digits >= 7 || introduced && digits >= 3 {
			return string(rs[i:end])
		}
		i = j
	}
	return ""
}
