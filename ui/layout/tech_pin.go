package layout

import (
	"strings"

	"github.com/henan-county/kiosk/kiosk/techmode"
)

// pin is the PIN pad: masked dots, the message (wrong PIN, attempts
// left, locked) and a keypad with 删除 and 确定. In landscape the keypad
// sits on the right.
func (b *techBuilder) pin() {
	th := b.th
	top := b.header()
	bottom := b.footer(false)
	pad := Rect{b.x0, top + th.Gap, b.x1 - b.x0, bottom - top - 2*th.Gap}
	info := pad
	if b.landscape() {
		half := (b.x1 - b.x0 - th.Gap) / 2
		info.W = half
		pad = Rect{b.x0 + half + th.Gap, pad.Y, half, pad.H}
	}
	b.y = info.Y + th.Gap
	b.label("请输入维护 PIN · Enter the technician PIN", info, th.Body, Plain, false)
	n := max(b.v.PINMax, 1)
	shown := min(n, max(6, b.v.PINLen))
	dots := strings.Repeat("● ", b.v.PINLen) + strings.Repeat("○ ", max(0, shown-b.v.PINLen))
	b.label(strings.TrimSpace(dots), info, th.Title, Plain, true)
	b.message(info.X, info.X+info.W, false)

	// Keypad: 4 rows of 3 at the bottom of its region.
	keys := []techmode.Action{}
	for _, d := range "123456789" {
		keys = append(keys, techmode.Action{ID: "tech-pad:" + string(d), Label: string(d), Event: techmode.Digit{D: byte(d)}})
	}
	keys = append(keys,
		techmode.Action{ID: "tech-pad:erase", Label: "删除", Event: techmode.Erase{}},
		techmode.Action{ID: "tech-pad:0", Label: "0", Event: techmode.Digit{D: '0'}},
		techmode.Action{ID: "tech-pad:enter", Label: "确定", Event: techmode.Enter{}})
	gap := th.Gap / 2
	kh := min(th.Target*1.3, (pad.H-3*gap)/4)
	if !b.landscape() {
		kh = min(kh, (pad.Y+pad.H-b.y-3*gap)/4)
	}
	kh = max(kh, th.Target)
	kw := (pad.W - 2*gap) / 3
	y0 := pad.Y + pad.H - 4*kh - 3*gap
	for i, k := range keys {
		role := Secondary
		switch {
		case i == 11:
			role = Primary
		case b.v.Checking:
			role = Disabled
		}
		if b.v.Checking {
			k.Busy = true
		}
		r := Rect{pad.X + float64(i%3)*(kw+gap), y0 + float64(i/3)*(kh+gap), kw, kh}
		b.target(k, r, role, false)
		if last := &b.ts.Widgets[len(b.ts.Widgets)-1]; len(k.Label) == 1 {
			last.Size = th.Title
			last.Lines = []string{k.Label}
		}
	}
}

// label adds fixed (not scrolling) text at the cursor inside r.
func (b *techBuilder) label(s string, r Rect, size float64, role Role, bold bool) {
	lines := b.wrap(s, r.W, size)
	h := lineH(size) * float64(len(lines))
	b.add(Widget{Kind: Label, Rect: Rect{r.X, b.y, r.W, h}, Role: role, Lines: lines, Size: size, Bold: bold})
	b.y += h + b.th.Gap
}
