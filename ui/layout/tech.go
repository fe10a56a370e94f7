package layout

import (
	"strconv"

	"github.com/henan-county/kiosk/kiosk/techmode"
)

// TechLocal marks a technician-mode target: Hit finds it, and the screen's
// Events map says what it sends.
const TechLocal = "tech"

// TechScreen is a laid-out technician screen: a Screen to draw and hit
// test like any other, and the techmode event each target sends (by
// widget id).
type TechScreen struct {
	*Screen
	Events map[string]techmode.Event
}

// Event returns what a tap on w sends (nil: nothing).
func (t *TechScreen) Event(w *Widget) techmode.Event {
	if w == nil || w.Local != TechLocal {
		return nil
	}
	return t.Events[w.ID]
}

// BuildTech lays out the technician mode's view (always in the normal
// theme: technicians are not the elder residents the large theme serves).
func BuildTech(v *techmode.View, sz Size, m Measurer) *TechScreen {
	if m == nil {
		m = ApproxMeasurer{}
	}
	th := Normal()
	b := &techBuilder{v: v, th: th, m: m, sz: sz,
		ts: &TechScreen{Screen: &Screen{W: sz.W, H: sz.H, Theme: th, ModalFrom: -1}, Events: map[string]techmode.Event{}}}
	b.x0, b.x1 = th.Pad, sz.W-th.Pad
	switch v.Screen {
	case techmode.Closed:
	case techmode.ScreenPIN:
		b.pin()
	case techmode.ScreenMenu:
		b.menu()
	default:
		b.list()
	}
	return b.ts
}

type techBuilder struct {
	v      *techmode.View
	th     *Theme
	m      Measurer
	sz     Size
	ts     *TechScreen
	x0, x1 float64
	top    float64 // scroll area top
	y      float64 // cursor in the scroll area
}

func (b *techBuilder) landscape() bool { return b.sz.W > b.sz.H }

func (b *techBuilder) add(w Widget) *Widget {
	b.ts.Widgets = append(b.ts.Widgets, w)
	return &b.ts.Widgets[len(b.ts.Widgets)-1]
}

func (b *techBuilder) wrap(s string, w, size float64) []string { return Wrap(s, w, size, b.m) }

// target adds a tappable button; a busy action is drawn disabled and
// takes no taps.
func (b *techBuilder) target(a techmode.Action, r Rect, role Role, scroll bool) {
	th := b.th
	w := Widget{ID: a.ID, Kind: Button, Rect: r, Role: role, Size: th.Body, Bold: true, Center: true, Scroll: scroll}
	w.Lines = b.wrap(a.Label, r.W-th.Gap, th.Body)
	if len(w.Lines) > 2 {
		w.Size = th.Small
		w.Lines = b.wrap(a.Label, r.W-th.Gap, th.Small)
	}
	if a.Busy {
		w.Role = Disabled
	} else if a.Event != nil {
		w.Local = TechLocal
		b.ts.Events[a.ID] = a.Event
	}
	b.add(w)
}

// header draws the title bar with the idle countdown near the end.
func (b *techBuilder) header() float64 {
	th := b.th
	h := th.Target + 2*th.Gap
	b.add(Widget{Kind: Box, Rect: Rect{0, 0, b.sz.W, h}, Role: Header})
	title := b.v.Title
	if left := b.v.IdleLeft; left > 0 && left <= 30e9 {
		n := strconv.Itoa(int(left.Seconds() + 0.5))
		title += " · " + n + " 秒后退出 · exits in " + n + " s"
	}
	lines := b.wrap(title, b.x1-b.x0, th.Heading)
	size := th.Heading
	if len(lines) > 1 {
		size = th.Body
		lines = b.wrap(title, b.x1-b.x0, size)
		lines = lines[:min(2, len(lines))]
	}
	lh := lineH(size) * float64(len(lines))
	b.add(Widget{ID: "tech-title", Kind: Label, Rect: Rect{b.x0, (h - lh) / 2, b.x1 - b.x0, lh}, Role: Header, Lines: lines, Size: size, Bold: true})
	return h
}

// footer draws 返回 (except on the PIN pad and the menu) and 退出.
func (b *techBuilder) footer(back bool) float64 {
	th := b.th
	h := th.Target + 2*th.Gap
	top := b.sz.H - h
	b.add(Widget{Kind: Box, Rect: Rect{0, top, b.sz.W, h}, Role: Surface})
	acts := []techmode.Action{{ID: "tech-exit", Label: "退出维护 · Exit", Event: techmode.Exit{}}}
	roles := []Role{Danger}
	if back {
		acts = append([]techmode.Action{{ID: "tech-back", Label: "返回 · Back", Event: techmode.Back{}}}, acts...)
		roles = append([]Role{Secondary}, roles...)
	}
	n := float64(len(acts))
	w := (b.x1 - b.x0 - (n-1)*th.Gap) / n
	for i, a := range acts {
		b.target(a, Rect{b.x0 + float64(i)*(w+th.Gap), top + th.Gap, w, th.Target}, roles[i], false)
	}
	return top
}

// area starts the scrolling content between top and bottom.
func (b *techBuilder) area(top, bottom float64) {
	th := b.th
	b.top = top + th.Gap
	b.y = b.top
	b.ts.Scroll = Rect{0, b.top, b.sz.W, bottom - th.Gap - b.top}
}

func (b *techBuilder) endArea() { b.ts.ContentH = b.y - b.top }

// text adds wrapped text in the scroll area.
func (b *techBuilder) text(s string, size float64, role Role) {
	if s == "" {
		return
	}
	lines := b.wrap(s, b.x1-b.x0, size)
	h := lineH(size) * float64(len(lines))
	b.add(Widget{Kind: Label, Rect: Rect{b.x0, b.y, b.x1 - b.x0, h}, Role: role, Lines: lines, Size: size, Scroll: true})
	b.y += h + b.th.Gap/2
}

// message adds the screen's message as a coloured box.
func (b *techBuilder) message(x0, x1 float64, scroll bool) {
	if b.v.Message == "" {
		return
	}
	th := b.th
	role := Notice
	switch b.v.Tone {
	case techmode.Good:
		role = Secondary
	case techmode.Bad:
		role = Danger
	}
	lines := b.wrap(b.v.Message, x1-x0-2*th.Gap, th.Body)
	h := lineH(th.Body)*float64(len(lines)) + 2*th.Gap
	b.add(Widget{ID: "tech-message", Kind: Box, Rect: Rect{x0, b.y, x1 - x0, h}, Role: role, Lines: lines, Size: th.Body, Bold: true, Scroll: scroll})
	b.y += h + th.Gap
}

// actions lays the screen's buttons out in a grid.
func (b *techBuilder) actions(acts []techmode.Action, cols int, role Role) {
	th := b.th
	if len(acts) == 0 {
		return
	}
	gap := th.Gap / 2
	w := (b.x1 - b.x0 - float64(cols-1)*gap) / float64(cols)
	h := th.Target
	for i, a := range acts {
		if i > 0 && i%cols == 0 {
			b.y += h + gap
		}
		b.target(a, Rect{b.x0 + float64(i%cols)*(w+gap), b.y, w, h}, role, true)
	}
	b.y += h + th.Gap
}

func toneRole(t techmode.Tone) Role {
	if t == techmode.Bad {
		return Error
	}
	return Plain
}

// sections adds each section as a white card of label/value rows.
func (b *techBuilder) sections() {
	th := b.th
	for _, s := range b.v.Sections {
		idx := len(b.ts.Widgets)
		start := b.y
		b.add(Widget{Kind: Box, Role: Surface, Scroll: true})
		b.y += th.Gap
		inner0, inner1 := b.x0+th.Gap, b.x1-th.Gap
		tl := b.wrap(s.Title, inner1-inner0, th.Body)
		th1 := lineH(th.Body) * float64(len(tl))
		b.add(Widget{Kind: Label, Rect: Rect{inner0, b.y, inner1 - inner0, th1}, Role: Plain, Lines: tl, Size: th.Body, Bold: true, Scroll: true})
		b.y += th1 + th.Gap/2
		labelW := (inner1 - inner0) * 0.36
		for _, r := range s.Rows {
			valX1 := inner1
			btnW := 0.0
			if r.Toggle != nil {
				btnW = max(th.Target*2.2, (inner1-inner0)*0.28)
				valX1 = inner1 - btnW - th.Gap
			}
			ll := b.wrap(r.Label, labelW-th.Gap, th.Small)
			vl := b.wrap(r.Value, valX1-inner0-labelW, th.Small)
			h := lineH(th.Small) * float64(max(len(ll), len(vl), 1))
			if r.Toggle != nil {
				h = max(h, th.Target)
			}
			b.add(Widget{Kind: Label, Rect: Rect{inner0, b.y, labelW - th.Gap, h}, Role: Muted, Lines: ll, Size: th.Small, Scroll: true})
			b.add(Widget{Kind: Label, Rect: Rect{inner0 + labelW, b.y, valX1 - inner0 - labelW, h}, Role: toneRole(r.Tone), Lines: vl, Size: th.Small, Bold: r.Tone != techmode.Info, Scroll: true})
			if r.Toggle != nil {
				b.target(*r.Toggle, Rect{inner1 - btnW, b.y, btnW, th.Target}, Primary, true)
			}
			b.y += h + th.Gap/2
		}
		b.y += th.Gap / 2
		b.ts.Widgets[idx].Rect = Rect{b.x0, start, b.x1 - b.x0, b.y - start}
		b.y += th.Gap
	}
}

// list is every diagnostic screen: its message, its buttons and its
// sections, scrolling between the title bar and the footer.
func (b *techBuilder) list() {
	top := b.header()
	bottom := b.footer(true)
	b.area(top, bottom)
	b.text(b.v.Kiosk, b.th.Small, Muted)
	cols := 2
	if b.landscape() {
		cols = 4
	}
	if len(b.v.Actions) == 1 {
		cols = 1
	}
	b.actions(b.v.Actions, cols, Primary)
	b.message(b.x0, b.x1, true)
	b.sections()
	b.endArea()
}
