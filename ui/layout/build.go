package layout

import (
	"strconv"

	"github.com/henan-county/kiosk/kiosk/session"
)

// Size is the logical screen size.
type Size struct{ W, H float64 }

// Portrait and Landscape are the two supported panels.
var (
	Portrait  = Size{1080, 1920}
	Landscape = Size{1920, 1080}
)

// ThemeFor returns the theme a view is drawn in.
func ThemeFor(v *session.View) *Theme {
	if v.Elder {
		return Elder()
	}
	return Normal()
}

// Build lays out the view on a screen of the given size. st (nil: zero)
// is the screen's own state.
func Build(v *session.View, sz Size, m Measurer, st *State) *Screen {
	if m == nil {
		m = ApproxMeasurer{}
	}
	if st == nil {
		st = &State{}
	}
	th := ThemeFor(v)
	if v.Dim {
		th = th.Night()
	}
	b := &builder{v: v, th: th, m: m, sz: sz, st: st,
		s: &Screen{W: sz.W, H: sz.H, Theme: th, ModalFrom: -1, Dim: v.Dim}}
	b.x0, b.x1 = th.Pad, sz.W-th.Pad
	switch v.Screen {
	case session.ScreenAttract:
		b.attract()
	case session.ScreenHome:
		b.home()
	case session.ScreenCategory:
		b.category()
	case session.ScreenSearch:
		b.search()
	case session.ScreenGuide:
		b.guide()
	case session.ScreenElsewhere:
		b.elsewhere()
	case session.ScreenStaffPIN:
		b.staffPIN()
	case session.ScreenConsent:
		b.staffConsent()
	case session.ScreenIdentify:
		b.identify()
	case session.ScreenForm:
		b.form()
	case session.ScreenConfirm:
		b.confirm()
	case session.ScreenPayment:
		b.payment()
	case session.ScreenFace:
		b.face()
	case session.ScreenSubmitting:
		b.submitting()
	case session.ScreenDocument:
		b.document()
	case session.ScreenResult:
		b.result()
	case session.ScreenPrinting:
		b.printing()
	case session.ScreenRating:
		b.rating()
	case session.ScreenDone:
		b.done()
	case session.ScreenOutOfService, session.ScreenMaintenance:
		b.outOfService()
	}
	b.paginate()
	if v.Help != nil {
		b.helpOverlay()
	}
	if v.Timeout != nil {
		b.timeoutOverlay()
	}
	return b.s
}

type builder struct {
	v      *session.View
	th     *Theme
	m      Measurer
	sz     Size
	st     *State
	s      *Screen
	x0, x1 float64
	// content area (scrollable) and the cursor in it
	top, bottom float64
	y           float64
	// group, when set, joins the content widgets added now (see Widget.Group)
	group int
}

func (b *builder) landscape() bool { return b.sz.W > b.sz.H }

func (b *builder) add(w Widget) *Widget {
	if b.group != 0 && w.Scroll && w.Group == 0 {
		w.Group = b.group
	}
	b.s.Widgets = append(b.s.Widgets, w)
	return &b.s.Widgets[len(b.s.Widgets)-1]
}

// wrap wraps text to a width.
func (b *builder) wrap(s string, w, size float64) []string { return Wrap(s, w, size, b.m) }

func lineH(size float64) float64 { return size * 1.4 }

// header draws the top bar with the title and the help button and returns
// its bottom.
func (b *builder) header(title string) float64 {
	th := b.th
	if b.v.AssistedBy != "" {
		title = b.v.AssistedBy + "｜" + title // every screen of a session in 帮办模式 says so
	}
	h := th.Target + 2*th.Gap
	b.add(Widget{Kind: Box, Rect: Rect{0, 0, b.sz.W, h}, Role: Header})
	helpW := max(th.Target*1.6, b.m.Advance("帮助", th.Heading)+2*th.Gap)
	b.add(Widget{ID: "help", Kind: Button, Rect: Rect{b.sz.W - th.Pad - helpW, th.Gap, helpW, th.Target},
		Role: Secondary, Lines: []string{"帮助"}, Size: th.Heading, Bold: true, Center: true, Event: session.Help{}})
	tw := b.sz.W - 3*th.Pad - helpW
	lines := b.wrap(title, tw, th.Heading)
	if len(lines) > 2 {
		lines = lines[:2]
	}
	size := th.Heading
	if len(lines) == 2 {
		size = th.Body
		lines = b.wrap(title, tw, size)[:min(2, len(b.wrap(title, tw, size)))]
	}
	lh := lineH(size) * float64(len(lines))
	b.add(Widget{Kind: Label, Rect: Rect{th.Pad, (h - lh) / 2, tw, lh}, Role: Header, Lines: lines, Size: size, Bold: true})
	return h
}

type footBtn struct {
	id    string
	label string
	role  Role
	ev    session.Event
}

var (
	fBack   = footBtn{"back", "返回", Secondary, session.Back{}}
	fHome   = footBtn{"home", "首页", Secondary, session.Home{}}
	fCancel = footBtn{"cancel", "退出", Danger, session.Cancel{}}
)

func (b *builder) fElder() footBtn {
	if b.v.Elder {
		return footBtn{"elder", "标准模式", Secondary, session.ToggleElder{}}
	}
	return footBtn{"elder", "长辈模式", Secondary, session.ToggleElder{}}
}

// footer draws the bottom bar of buttons and returns its top.
func (b *builder) footer(btns ...footBtn) float64 {
	th := b.th
	h := th.Target + 2*th.Gap
	top := b.sz.H - h
	b.add(Widget{Kind: Box, Rect: Rect{0, top, b.sz.W, h}, Role: Surface})
	b.buttonRow(top+th.Gap, th.Target, btns...)
	return top
}

func (b *builder) buttonRow(y, h float64, btns ...footBtn) {
	th := b.th
	n := float64(len(btns))
	if n == 0 {
		return
	}
	w := (b.x1 - b.x0 - (n-1)*th.Gap) / n
	for i, f := range btns {
		b.add(Widget{ID: f.id, Kind: Button, Rect: Rect{b.x0 + float64(i)*(w+th.Gap), y, w, h}, Role: f.role,
			Lines: b.fit(f.label, w-th.Gap, th.Heading), Size: th.Heading, Bold: true, Center: true, Event: f.ev})
	}
}

// fit wraps a button label to at most two lines.
func (b *builder) fit(s string, w, size float64) []string {
	l := b.wrap(s, w, size)
	if len(l) > 2 {
		l = l[:2]
	}
	return l
}

// area starts the scrollable content area between top and bottom.
func (b *builder) area(top, bottom float64) {
	b.top, b.bottom = top+b.th.Gap, bottom-b.th.Gap
	b.y = b.top
	b.s.Scroll = Rect{0, b.top, b.x1 + b.th.Pad/2, b.bottom - b.top}
}

// split gives the right part of the content band to an input panel in
// landscape and returns the panel's region; the content narrows to the
// left part. In portrait the region is the full width up to bottom.
func (b *builder) split(top, bottom float64) Rect {
	th := b.th
	if !b.landscape() {
		return Rect{b.x0, top, b.x1 - b.x0, bottom - top}
	}
	left := (b.x1 - b.x0) * 0.44
	r := Rect{b.x0 + left + th.Gap, top + th.Gap, b.x1 - b.x0 - left - th.Gap, bottom - top - 2*th.Gap}
	b.x1 = b.x0 + left
	return r
}

// grid places n equal keys in cols columns at the bottom of r and returns
// each key's rectangle and the top of the grid. Keys stand a full gap
// apart (24 px at least), so a shaky finger does not hit the neighbour.
func (b *builder) grid(r Rect, n, cols int, kh float64) ([]Rect, float64) {
	gap := b.th.Gap
	kw := (r.W - float64(cols-1)*gap) / float64(cols)
	rows := (n + cols - 1) / cols
	top := r.Y + r.H - float64(rows)*(kh+gap) + gap
	out := make([]Rect, n)
	for i := range out {
		out[i] = Rect{r.X + float64(i%cols)*(kw+gap), top + float64(i/cols)*(kh+gap), kw, kh}
	}
	return out, top
}

// cols is how many keys of at least the target width fit across w.
func (b *builder) cols(w float64, most int) int {
	gap := b.th.Gap
	return max(1, min(most, int((w+gap)/(b.th.Target+gap))))
}

// endArea records the content height.
func (b *builder) endArea() { b.s.ContentH = b.y - b.top }

// text adds wrapped text at the cursor in the content area.
func (b *builder) text(s string, size float64, role Role, bold bool) {
	if s == "" {
		return
	}
	lines := b.wrap(s, b.x1-b.x0, size)
	h := lineH(size) * float64(len(lines))
	b.add(Widget{Kind: Label, Rect: Rect{b.x0, b.y, b.x1 - b.x0, h}, Role: role, Lines: lines, Size: size, Bold: bold, Scroll: true})
	b.y += h + b.th.Gap/2
}

// banner adds a notice box with wrapped text at the cursor.
func (b *builder) banner(s string, role Role) {
	if s == "" {
		return
	}
	th := b.th
	lines := b.wrap(s, b.x1-b.x0-2*th.Gap, th.Body)
	h := lineH(th.Body)*float64(len(lines)) + 2*th.Gap
	b.add(Widget{ID: "notice", Kind: Box, Rect: Rect{b.x0, b.y, b.x1 - b.x0, h}, Role: role, Lines: lines, Size: th.Body, Bold: true, Scroll: true})
	b.y += h + th.Gap
}

// line adds "label  value" rows in a surface box.
func (b *builder) lines(rows []session.Line) {
	if len(rows) == 0 {
		return
	}
	th := b.th
	start := b.y
	idx := len(b.s.Widgets)
	b.add(Widget{Kind: Box, Role: Surface, Scroll: true})
	b.y += th.Gap
	labelW := (b.x1 - b.x0) * 0.38
	for _, r := range rows {
		ll := b.wrap(r.Label, labelW-2*th.Gap, th.Body)
		vl := b.wrap(r.Value, b.x1-b.x0-labelW-th.Gap, th.Body)
		h := lineH(th.Body) * float64(max(len(ll), len(vl)))
		b.add(Widget{Kind: Label, Rect: Rect{b.x0 + th.Gap, b.y, labelW - 2*th.Gap, h}, Role: Muted, Lines: ll, Size: th.Body, Scroll: true})
		b.add(Widget{Kind: Label, Rect: Rect{b.x0 + labelW, b.y, b.x1 - b.x0 - labelW - th.Gap, h}, Role: Plain, Lines: vl, Size: th.Body, Bold: true, Scroll: true})
		b.y += h + th.Gap/2
	}
	b.y += th.Gap / 2
	b.s.Widgets[idx].Rect = Rect{b.x0, start, b.x1 - b.x0, b.y - start}
	b.y += th.Gap
}

// rows adds a list of matters as tappable rows.
func (b *builder) serviceRows(items []session.ServiceItem) {
	th := b.th
	for _, it := range items {
		sub := it.Department
		role, subRole := Surface, Muted
		if !it.Available {
			sub = it.Reason
			role, subRole = Disabled, Disabled
		}
		tl := b.wrap(it.Name, b.x1-b.x0-2*th.Gap, th.Heading)
		sl := b.wrap(sub, b.x1-b.x0-2*th.Gap, th.Small)
		if b.bottom-b.top < 2.5*th.Target {
			// A small list (beside a keyboard): the names alone, one row
			// a page. A matter that cannot be done is greyed; its guide
			// says why in full (a long reason would not fit the page).
			sl = nil
		}
		h := max(th.Target, lineH(th.Heading)*float64(len(tl))+lineH(th.Small)*float64(len(sl))+2*th.Gap)
		b.add(Widget{ID: "svc:" + it.ID, Kind: Row, Rect: Rect{b.x0, b.y, b.x1 - b.x0, h}, Role: role,
			Lines: tl, Size: th.Heading, Bold: true, Sub: sl, SubSize: th.Small, SubRole: subRole,
			Event: session.ChooseService{ID: it.ID}, Scroll: true})
		b.y += h + th.Gap
	}
}

// footerAction lays out the footer and the screen's main action: a wide
// button above the footer in portrait; in landscape, where height is
// short, the action joins the footer row at double width, so the content
// keeps the height. It returns the footer's top and the action's top.
func (b *builder) footerAction(act footBtn, btns ...footBtn) (bottom, actTop float64) {
	if !b.landscape() {
		bottom = b.footer(btns...)
		return bottom, b.action(bottom, act.id, act.label, act.role, act.ev)
	}
	th := b.th
	h := th.Target + 2*th.Gap
	top := b.sz.H - h
	b.add(Widget{Kind: Box, Rect: Rect{0, top, b.sz.W, h}, Role: Surface})
	n := float64(len(btns)) + 2
	unit := (b.x1 - b.x0 - float64(len(btns))*th.Gap) / n
	x := b.x0
	for _, f := range btns {
		b.add(Widget{ID: f.id, Kind: Button, Rect: Rect{x, top + th.Gap, unit, th.Target}, Role: f.role,
			Lines: b.fit(f.label, unit-th.Gap, th.Heading), Size: th.Heading, Bold: true, Center: true, Event: f.ev})
		x += unit + th.Gap
	}
	b.add(Widget{ID: act.id, Kind: Button, Rect: Rect{x, top + th.Gap, b.x1 - x, th.Target}, Role: act.role,
		Lines: b.fit(act.label, b.x1-x-th.Gap, th.Title), Size: th.Title, Bold: true, Center: true, Event: act.ev})
	return top, top
}

// action adds a wide button above the footer and returns its top.
func (b *builder) action(bottom float64, id, label string, role Role, ev session.Event) float64 {
	th := b.th
	h := th.Target * 1.15
	y := bottom - th.Gap - h
	b.add(Widget{ID: id, Kind: Button, Rect: Rect{b.x0, y, b.x1 - b.x0, h}, Role: role,
		Lines: b.fit(label, b.x1-b.x0-2*th.Gap, th.Title), Size: th.Title, Bold: true, Center: true, Event: ev})
	return y
}

func itoa(n int) string { return strconv.Itoa(n) }
