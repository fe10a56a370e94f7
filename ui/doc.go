// Package ui is the resident's touchscreen: an Ebitengine game that draws
// the session's View and turns pointer input into session events.
//
// The journey itself lives in kiosk/session; layouts, hit testing, the
// theme, wrapping and pointer gestures live in ui/layout (no Ebitengine,
// tested without a display). This package only loads fonts, draws the
// laid-out widgets (rounded rectangles, drawn icons, QR codes, text),
// reads the pointer, rotates for a panel mounted sideways, redraws only
// when something changed, and writes periodic screenshots when asked.
//
// Importing this package needs a display (run tests under xvfb-run).
package ui
