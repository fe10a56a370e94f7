package layout

import (
	"image"

	"github.com/henan-county/kiosk/kiosk/session"
)

// Rect is a rectangle in logical screen pixels.
type Rect struct{ X, Y, W, H float64 }

// Contains reports whether (x, y) lies inside r.
func (r Rect) Contains(x, y float64) bool {
	return x >= r.X && x < r.X+r.W && y >= r.Y && y < r.Y+r.H
}

// Kind is what a widget draws.
type Kind uint8

// Widget kinds.
const (
	Box      Kind = iota // a filled rounded rectangle
	Label                // text only
	Button               // rounded rectangle with centred text; tappable
	Tile                 // button with a drawn icon above its text
	Row                  // list row: text and a second line, left aligned
	Field                // a form field's box
	QR                   // a QR code of Data
	Icon                 // a drawn icon
	Spinner              // a busy animation
	CardIcon             // "place your card" animation
	Pad                  // the writing pad: a square with a light grid and Ink; a touch on it is a stroke (handwriting.go)
	Paper                // a document page (Picture) fitted into the box on a sheet with a shadow (document.go)
	Bar                  // a progress bar filled to Value (0..1)
	Camera               // the camera's live picture, mirrored, with the oval for the face (face.go); drawn from the host, never kept in the layout
)

// Role picks a widget's colours from the theme.
type Role uint8

// Roles.
const (
	Plain     Role = iota // text on the background
	Surface               // white card
	Primary               // main action
	Secondary             // other actions
	Danger                // leaving, cancelling
	Notice                // a message to notice
	Disabled              // cannot be done now
	Header                // the top bar
	Error                 // error text
	Muted                 // secondary text
	Scrim                 // behind a dialog
)

// Widget is one thing on the screen.
type Widget struct {
	ID      string // stable name for tests and end-to-end taps (e.g. "start", "svc:ss-record")
	Kind    Kind
	Rect    Rect
	Role    Role
	Lines   []string // wrapped text
	Size    float64  // text size
	Bold    bool
	Center  bool
	Sub     []string // Row: the second line(s), wrapped
	SubSize float64
	SubRole Role
	Icon    string // Tile, Icon: icon name
	Data    string // QR payload
	Focused bool
	Event   session.Event // sent on tap; nil when not tappable
	Local   string        // a tap handled by the screen itself (LocalNextPage); Event is nil then
	Scroll  bool          // inside the screen's scroll area
	// Group joins widgets a page break may not separate (a field, its
	// label and its error); 0 is none.
	Group int
	// Ink is a Pad's strokes, in the pad's coordinates (0..session.PadSize).
	Ink [][]session.Point
	// Picture is a Paper's page: the session's image, shown as it is and
	// never changed (it holds the resident's data; the screen keeps no
	// copy of it once the view moves on).
	Picture image.Image
	// Value is how full a Bar is, 0 to 1.
	Value float64
}

// LocalNextPage turns the on-screen keyboard to its next page.
const LocalNextPage = "next-page"

// LocalSymbols switches the text keyboard between letters and digits
// with punctuation.
const LocalSymbols = "symbols"

// LocalDateMode switches a date field between typing digits and the
// ＋/－ picker.
const LocalDateMode = "date-mode"

// State is what the ui keeps between frames that changes a layout.
type State struct {
	KeyPage int // page of the letter keyboard (elder mode shows half the letters at a time)
	Page    int // page of the content (see pages.go)
	// DatePick: a date field shows the ＋/－ picker instead of the keypad.
	DatePick bool
	// Symbols: the text keyboard shows digits and punctuation.
	Symbols bool
	focus   string
	// choiceFor is the choice field whose page KeyPage turns (form.go).
	choiceFor string
}

// Screen is the laid-out screen.
type Screen struct {
	W, H    float64
	Theme   *Theme
	Dim     bool
	Widgets []Widget
	// Scroll is the area that scrolls (zero when nothing does); ContentH is
	// the height of what scrolls, measured from the top of the area.
	Scroll   Rect
	ContentH float64
	// ModalFrom is the index of the first widget of an open dialog: only
	// those widgets take taps. -1 when no dialog is open.
	ModalFrom int
}

// MaxScroll is how far the scroll area can move.
func (s *Screen) MaxScroll() float64 {
	if s.ContentH <= s.Scroll.H {
		return 0
	}
	return s.ContentH - s.Scroll.H
}

// Hit returns the widget a tap at (x, y) lands on, given the scroll
// offset, or nil.
func (s *Screen) Hit(x, y, scroll float64) *Widget {
	from := 0
	if s.ModalFrom >= 0 {
		from = s.ModalFrom
	}
	for i := len(s.Widgets) - 1; i >= from; i-- {
		w := &s.Widgets[i]
		if w.Event == nil && w.Local == "" {
			continue
		}
		if w.Scroll {
			if !s.Scroll.Contains(x, y) {
				continue
			}
			if w.Rect.Contains(x, y+scroll) {
				return w
			}
			continue
		}
		if w.Rect.Contains(x, y) {
			return w
		}
	}
	return nil
}

// Find returns the widget with an id.
func (s *Screen) Find(id string) (Widget, bool) {
	for _, w := range s.Widgets {
		if w.ID == id {
			return w, true
		}
	}
	return Widget{}, false
}
