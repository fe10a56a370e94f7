package layout

import (
	"image/color"
	"math"
)

// Theme is the look of one mode. Sizes are in pixels at the design width
// (1080 portrait / 1920 landscape).
type Theme struct {
	Name string

	Small, Body, Heading, Title, Huge float64 // font sizes
	Target                            float64 // minimum touch target side
	Pad, Gap, Radius                  float64
	Columns                           int // home tiles per row in portrait
	PageRows                          int // list rows shown before scrolling is needed

	Bg, Surface, Text, Muted    color.RGBA
	Primary, OnPrimary          color.RGBA
	Secondary, OnSecondary      color.RGBA
	Danger, OnDanger, ErrorText color.RGBA
	Notice, OnNotice            color.RGBA
	Disabled, OnDisabled        color.RGBA
	Header, OnHeader            color.RGBA
	Focus                       color.RGBA // field border when focused (not text)
	Scrim                       color.RGBA // behind dialogs
}

// Normal is the default theme: large already (body text 36 px, targets
// at least 120 px).
func Normal() *Theme {
	return &Theme{
		Name: "normal", Small: 32, Body: 36, Heading: 44, Title: 56, Huge: 96,
		Target: 120, Pad: 40, Gap: 24, Radius: 24, Columns: 3, PageRows: 7,
		Bg:        rgb(0xF4F6F8),
		Surface:   rgb(0xFFFFFF),
		Text:      rgb(0x1A1F24),
		Muted:     rgb(0x4A5560),
		Primary:   rgb(0x0B5CAD),
		OnPrimary: rgb(0xFFFFFF),
		Secondary: rgb(0xE3EAF2), OnSecondary: rgb(0x0A2E57),
		Danger: rgb(0xB3261E), OnDanger: rgb(0xFFFFFF), ErrorText: rgb(0xA8201A),
		Notice: rgb(0xFFF4CC), OnNotice: rgb(0x4D3800),
		Disabled: rgb(0xDDE1E5), OnDisabled: rgb(0x4A5158),
		Header: rgb(0x0B3D75), OnHeader: rgb(0xFFFFFF),
		Focus: rgb(0xE07B00),
		Scrim: color.RGBA{0, 0, 0, 0xB0},
	}
}

// Elder is 长辈模式: text and targets at least 1.5 times larger, stronger
// contrast (at least 7:1), fewer items per screen.
func Elder() *Theme {
	t := Normal()
	t.Name = "elder"
	t.Small, t.Body, t.Heading, t.Title, t.Huge = 48, 56, 66, 84, 132
	t.Target, t.Pad, t.Gap, t.Radius = 180, 44, 24, 28
	t.Columns, t.PageRows = 2, 4
	t.Bg = rgb(0xFFFFFF)
	t.Text = rgb(0x000000)
	t.Muted = rgb(0x2B3137)
	t.Primary = rgb(0x003F7F)
	t.OnSecondary = rgb(0x001F40)
	t.Danger, t.ErrorText = rgb(0x8E0000), rgb(0x8E0000)
	t.OnNotice = rgb(0x2E2100)
	t.OnDisabled = rgb(0x2B3137)
	t.Header = rgb(0x002B57)
	return t
}

// Night is the theme at night on the attract screen with nobody near: the
// same sizes on a dark palette, so the screen glows less in an empty hall
// while every text keeps at least 7:1 (dimming by darkening everything
// would drop text to 3:1). Presence wakes the screen to the day theme.
func (t *Theme) Night() *Theme {
	n := *t
	n.Name = t.Name + "-night"
	n.Bg, n.Surface = rgb(0x0B0E11), rgb(0x151A1F)
	n.Text, n.Muted = rgb(0xE6EAEE), rgb(0xB4BDC6)
	n.Primary, n.OnPrimary = rgb(0x17406E), rgb(0xF2F5F8)
	n.Secondary, n.OnSecondary = rgb(0x20272E), rgb(0xDCE4EC)
	n.Danger, n.OnDanger, n.ErrorText = rgb(0x6E1410), rgb(0xF6E4E2), rgb(0xFFB4AB)
	n.Notice, n.OnNotice = rgb(0x2E2507), rgb(0xF3E6B8)
	n.Disabled, n.OnDisabled = rgb(0x1C2126), rgb(0xB0B8C0)
	n.Header, n.OnHeader = rgb(0x08121D), rgb(0xE6EAEE)
	n.Focus = rgb(0xC06A00)
	return &n
}

// Colours returns the background and text colours of a role (a zero
// background: the widget draws none, what is behind it shows).
func (t *Theme) Colours(r Role) (bg, fg color.RGBA) {
	switch r {
	case Surface:
		return t.Surface, t.Text
	case Primary:
		return t.Primary, t.OnPrimary
	case Secondary:
		return t.Secondary, t.OnSecondary
	case Danger:
		return t.Danger, t.OnDanger
	case Notice:
		return t.Notice, t.OnNotice
	case Disabled:
		return t.Disabled, t.OnDisabled
	case Header:
		return t.Header, t.OnHeader
	case Error:
		return color.RGBA{}, t.ErrorText
	case Muted:
		return color.RGBA{}, t.Muted
	case Scrim:
		return t.Scrim, t.Text
	}
	return color.RGBA{}, t.Text
}

func rgb(v uint32) color.RGBA {
	return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 0xFF}
}

// Pair is one text colour on one background colour used by the screens.
type Pair struct {
	Name   string
	Fg, Bg color.RGBA
}

// Pairs lists every text/background pair the screens draw.
func (t *Theme) Pairs() []Pair {
	return []Pair{
		{"text on bg", t.Text, t.Bg}, {"muted on bg", t.Muted, t.Bg},
		{"text on surface", t.Text, t.Surface}, {"muted on surface", t.Muted, t.Surface},
		{"error on surface", t.ErrorText, t.Surface}, {"error on bg", t.ErrorText, t.Bg},
		{"primary button", t.OnPrimary, t.Primary}, {"secondary button", t.OnSecondary, t.Secondary},
		{"danger button", t.OnDanger, t.Danger}, {"notice", t.OnNotice, t.Notice},
		{"disabled", t.OnDisabled, t.Disabled}, {"header", t.OnHeader, t.Header},
		{"primary text on surface", t.Primary, t.Surface}, {"primary text on bg", t.Primary, t.Bg},
	}
}

// Contrast is the WCAG 2 contrast ratio of two opaque colours (1 to 21).
func Contrast(a, b color.RGBA) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(c color.RGBA) float64 {
	ch := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(c.R) + 0.7152*ch(c.G) + 0.0722*ch(c.B)
}
