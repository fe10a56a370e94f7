package session

import (
	"strings"
	"time"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/ime"
)

// Opts configures a Machine. Nil funcs and zero values take defaults.
type Opts struct {
	// Catalog returns the active catalog, or nil when there is none (the
	// kiosk then shows the out-of-service screen). It is read when a session
	// starts; the daemon swaps catalogs only between sessions.
	Catalog func() *catalog.Catalog
	// Search returns matters matching a pinyin-initials, full-pinyin or
	// character query. Nil uses a simple built-in search over names and
	// keywords.
	Search func(q string) []*catalog.Service
	// DeviceState reports a device kind's state. Nil means every device is
	// usable.
	DeviceState func(devices.Kind) devices.State
	// IsPaperOut tells a paper-out print error from other print errors.
	// Nil looks for "paper" in the error text.
	IsPaperOut func(error) bool

	KioskID  string
	HallName string
	// HallID is the kiosk's hall in the catalog's halls (config kiosk.hall):
	// out of service and under maintenance the kiosk names the nearest
	// other hall. Empty: the hall whose name is HallName.
	HallID string

	Timeouts *Timeouts        // nil: DefaultTimeouts
	Now      func() time.Time // nil: time.Now
	// Location is the county's time zone for opening hours and the clock
	// (nil: China Standard Time, UTC+8).
	Location *time.Location
	// IME converts pinyin for text fields (nil: ime.Default, built at the
	// first letter typed).
	IME *ime.Engine
	// Handwriting: the kiosk has a handwriting recogniser, so text fields
	// offer the writing pad (手写) beside pinyin. The host sets it when it
	// has a Handwriting port.
	Handwriting bool
	// Documents: the kiosk prints print matters' proofs on its A4
	// printer (document.go). The host sets it when it has a Documents
	// port; without it print matters are unavailable.
	Documents bool
	// Payments: the kiosk takes payments (payment.go). The host sets it
	// when it has a Payments port; without it payment matters are
	// unavailable and fee matters go on without a payment step.
	Payments bool
	// IdentityCodes: the kiosk can have electronic ID codes verified
	// (idcode.go). The host sets it when it has an IdentityCodes port;
	// the identify screen offers the code only with it, a usable scanner
	// and a reachable backend.
	IdentityCodes bool
	// Faces: the kiosk has a camera for face checks (face.go). The host
	// sets it when it has a Camera port; without it face_check matters
	// are unavailable, with the other ways said.
	Faces bool
	// Devices are the catalog device names (catalog.DeviceIDCard, …) this
	// kiosk was built with; a matter needing another is shown with where
	// it can be done instead (本机不能办理). nil: every device.
	Devices []string
	// Calls: the kiosk has a phone to the assisted-service duty desk
	// (call.go); CallAnswer is how long a call rings before a callback is
	// offered (0: DefaultCallAnswer).
	Calls      bool
	CallAnswer time.Duration
	// Staff: the kiosk has 小牟帮办 staff numbers and PINs configured, and
	// the help overlay offers 帮办模式 (staff.go).
	Staff bool
}

// Timeouts are the journey's time limits.
type Timeouts struct {
	// Screen overrides the idle time before the inactivity dialog, per screen.
	Screen map[Screen]time.Duration
	// Idle is the idle time before the inactivity dialog on other screens.
	Idle time.Duration
	// Warning is how long the dialog counts down before the session ends
	// (at least 20 s is enforced).
	Warning time.Duration
	// MaxExtensions is how many times "continue" extends (at least 10).
	MaxExtensions int
	// Submit is how long to wait for the daemon's answer to a submission.
	Submit time.Duration
	// Print is how long to wait for the printer.
	Print time.Duration
	// Done is how long the done screen stays.
	Done time.Duration
	// Fetch is how long to wait for a print matter's document.
	Fetch time.Duration
	// A4Page is how long an A4 job may go without a page coming out
	// before it counts as failed.
	A4Page time.Duration
	// Dim is how long after the last presence the attract screen dims at night.
	Dim time.Duration
}

// DefaultTimeouts are the timeouts used when Opts.Timeouts is nil.
var DefaultTimeouts = Timeouts{
	Screen: map[Screen]time.Duration{
		ScreenHome:     60 * time.Second,
		ScreenCategory: 90 * time.Second,
		ScreenSearch:   90 * time.Second,
		ScreenGuide:    120 * time.Second,
		ScreenIdentify: 90 * time.Second,
		ScreenForm:     120 * time.Second,
		ScreenConfirm:  120 * time.Second,
		ScreenResult:   90 * time.Second,
		ScreenPrinting: 60 * time.Second,
		ScreenDocument: 120 * time.Second,
		ScreenPayment:  180 * time.Second,
		ScreenFace:     180 * time.Second, // older faces take their time
		ScreenRating:   45 * time.Second,
	},
	Idle:          90 * time.Second,
	Warning:       30 * time.Second,
	MaxExtensions: 10,
	Submit:        120 * time.Second,
	Print:         90 * time.Second,
	Done:          15 * time.Second,
	Fetch:         60 * time.Second,
	A4Page:        3 * time.Minute,
	Dim:           2 * time.Minute,
}

func (o *Opts) withDefaults() Opts {
	var r Opts
	if o != nil {
		r = *o
	}
	if r.Catalog == nil {
		r.Catalog = func() *catalog.Catalog { return nil }
	}
	if r.Now == nil {
		r.Now = time.Now
	}
	if r.Location == nil {
		r.Location = time.FixedZone("CST", 8*3600)
	}
	if r.IsPaperOut == nil {
		r.IsPaperOut = func(err error) bool {
			return err != nil && strings.Contains(strings.ToLower(err.Error()), "paper")
		}
	}
	t := DefaultTimeouts
	if r.Timeouts != nil {
		u := *r.Timeouts
		if u.Screen != nil {
			t.Screen = u.Screen
		}
		if u.Idle > 0 {
			t.Idle = u.Idle
		}
		if u.Warning > 0 {
			t.Warning = u.Warning
		}
		if u.MaxExtensions > 0 {
			t.MaxExtensions = u.MaxExtensions
		}
		if u.Submit > 0 {
			t.Submit = u.Submit
		}
		if u.Print > 0 {
			t.Print = u.Print
		}
		if u.Done > 0 {
			t.Done = u.Done
		}
		if u.Dim > 0 {
			t.Dim = u.Dim
		}
		if u.Fetch > 0 {
			t.Fetch = u.Fetch
		}
		if u.A4Page > 0 {
			t.A4Page = u.A4Page
		}
	}
	t.Warning = max(t.Warning, 20*time.Second)
	t.MaxExtensions = max(t.MaxExtensions, 10)
	r.Timeouts = &t
	return r
}

func (t *Timeouts) idleFor(s Screen) time.Duration {
	if d, ok := t.Screen[s]; ok && d > 0 {
		return d
	}
	return t.Idle
}
