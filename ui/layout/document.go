package layout

import (
	"math"

	"github.com/henan-county/kiosk/kiosk/session"
)

// document: the A4 proof of a print matter (户籍证明, 社保缴费记录 …).
// The resident checks the first page before anything is printed, so the
// page is shown as large as the screen allows: most of the height in
// portrait, the whole height left of the words in landscape. One large
// button prints it (打印 N 页); while the pages come out the page stays
// and the progress is said in large words over a bar; then 请取走打印件
// with an arrow toward the output slot. A printer that stops, a document
// that fails its checks or cannot be fetched each say so in plain words
// with the hotline, and the resident can always end (结束).
//
// While the document is fetched or printed nothing but 帮助 can be
// tapped: leaving then would leave pages in the printer or the proof
// half-fetched (the session ignores 首页 and 退出 meanwhile).
func (b *builder) document() {
	th, v := b.th, b.v
	top := b.header(v.Title)
	d := v.Document
	if d == nil {
		b.area(top, b.sz.H-th.Pad)
		b.endArea()
		return
	}
	switch d.State {
	case session.DocFetching:
		b.docFetching(top)
	case session.DocReady, session.DocPrinting:
		b.docPage(top, d)
	case session.DocTake:
		b.docTake(top, d)
	default: // stopped, refused, unreached
		b.docFault(top, d)
	}
}

// A4 is the height of an A4 page over its width, for a page shown before
// its picture is there.
const A4 = 297.0 / 210.0

// Widget ids of the document screen.
const (
	IDDocPreview  = "doc-preview"
	IDDocProgress = "doc-progress"
	IDDocBar      = "doc-bar"
)

// docFetching: a calm wait while the proof is fetched and checked.
func (b *builder) docFetching(top float64) {
	th, v := b.th, b.v
	b.area(top, b.sz.H-th.Pad)
	b.y += th.Pad * 2
	s := min(b.x1-b.x0, 360, (b.bottom-b.top)*0.35)
	b.add(Widget{ID: "spinner", Kind: Spinner, Rect: Rect{(b.sz.W - s) / 2, b.y, s, s}, Role: Primary, Scroll: true})
	b.y += s + th.Pad
	p := v.Prompt
	if p == "" {
		p = "正在取回证明文件，请稍候"
	}
	b.ctext(p, th.Title, Plain, true)
	b.ctext("请不要离开，取回后会先给您看一看。", th.Body, Muted, false)
	b.endArea()
}

// pageAspect is the height over the width of the page shown.
func pageAspect(d *session.DocumentView) float64 {
	if d.Preview != nil {
		r := d.Preview.Bounds()
		if r.Dx() > 0 && r.Dy() > 0 {
			return float64(r.Dy()) / float64(r.Dx())
		}
	}
	return A4
}

// docPage: the first page large, with what it is and the one button that
// prints it (ready), or with the page being printed in large words over
// a bar (printing). The page keeps its place between the two, so the
// resident's eye is not moved.
func (b *builder) docPage(top float64, d *session.DocumentView) {
	th := b.th
	printing := d.State == session.DocPrinting
	// The bottom block holds the buttons (ready) or the progress
	// (printing): the same height either way.
	actH := th.Target * 1.15
	progH := lineH(th.Title) + th.Gap/2 + th.Body
	blockH := max(actH, progH)
	blockTop := b.sz.H - th.Pad - blockH
	aspect := pageAspect(d)
	// The words beside the page, less what does not fit (the code first,
	// then how many pages from whom, then the title the header already
	// says).
	keep := func(info []docLine, level int) []docLine {
		var out []docLine
		for _, l := range info {
			if l.drop < level {
				out = append(out, l)
			}
		}
		return out
	}
	height := func(info []docLine, w float64) float64 {
		h := 0.0
		for _, l := range info {
			h += lineH(l.size)*float64(len(b.wrap(l.s, w, l.size))) + th.Gap/2
		}
		return h
	}
	info := b.docInfo(d, printing, true)
	if b.landscape() {
		ph := blockTop + blockH - top - th.Gap
		pw := ph / aspect
		if maxW := (b.x1 - b.x0) * 0.45; pw > maxW {
			pw, ph = maxW, maxW*aspect
		}
		b.add(Widget{ID: IDDocPreview, Kind: Paper, Rect: Rect{b.x0, top + th.Gap, pw, ph}, Role: Surface, Picture: d.Preview})
		x := b.x0 + pw + th.Pad
		w := b.x1 - x
		room := blockTop - th.Gap - (top + th.Gap)
		lines := info
		for level := docDrops; level > 0 && height(lines, w) > room; level-- {
			lines = keep(info, level-1)
		}
		y := top + th.Gap
		for _, l := range lines {
			y += b.textAt(l.s, x, y, w, l.size, l.role, l.bold, false) + th.Gap/2
		}
		b.docBlock(d, printing, x, blockTop, w, blockH)
		return
	}
	// Portrait: the words under the page, the block at the bottom. The
	// words take the room of the longer of ready's and printing's, so
	// the page does not move when printing starts; the page keeps at
	// least half the height.
	w := b.x1 - b.x0
	other := b.docInfo(d, !printing, false)
	lines, textH := info, 0.0
	for level := docDrops; level >= 1; level-- {
		lines = keep(info, level)
		textH = max(height(lines, w), height(keep(other, level), w))
		if blockTop-th.Gap-textH-th.Gap-(top+th.Gap) >= b.sz.H/2 {
			break
		}
	}
	ph := blockTop - th.Gap - textH - th.Gap - (top + th.Gap)
	pw := ph / aspect
	if pw > w {
		pw, ph = w, w*aspect
	}
	b.add(Widget{ID: IDDocPreview, Kind: Paper, Rect: Rect{(b.sz.W - pw) / 2, top + th.Gap, pw, ph}, Role: Surface, Picture: d.Preview})
	y := top + th.Gap + ph + th.Gap
	for _, l := range lines {
		y += b.textAt(l.s, b.x0, y, w, l.size, l.role, l.bold, true) + th.Gap/2
	}
	b.docBlock(d, printing, b.x0, blockTop, w, blockH)
}

type docLine struct {
	s    string
	size float64
	role Role
	bold bool
	drop int // 0: always shown; else the higher, the sooner left out for room
}

// docDrops is one more than the highest docLine.drop.
const docDrops = 4

// docInfo is what is said beside the page: how many pages from whom,
// the instruction, and (where there is room) the code that verifies the
// proof. shown: for the state shown now (else, to measure, for the
// other of ready and printing).
func (b *builder) docInfo(d *session.DocumentView, printing, shown bool) []docLine {
	th, v := b.th, b.v
	var out []docLine
	if b.landscape() && d.Title != "" {
		out = append(out, docLine{d.Title, th.Title, Plain, true, 1})
	}
	meta := "共 " + itoa(d.Pages) + " 页"
	if d.Department != "" {
		meta += " · " + d.Department
	}
	if b.landscape() || !v.Elder {
		// In elder portrait the page takes the room; the button says
		// how many pages.
		out = append(out, docLine{meta, th.Body, Muted, false, 2})
	}
	if printing {
		out = append(out, docLine{"打印件会从出纸口出来，请稍候。", th.Heading, Plain, false, 0})
	} else {
		p := v.Prompt
		if p == "" || !shown {
			p = "请核对证明内容，无误后点「" + session.PrintLabel(d.Pages) + "」"
		}
		out = append(out, docLine{p, th.Heading, Plain, true, 0})
	}
	if v.Notice != "" {
		out = append(out, docLine{v.Notice, th.Body, Error, true, 0})
	}
	if d.VerificationCode != "" && (b.landscape() || !v.Elder) {
		out = append(out, docLine{"核验码 " + d.VerificationCode, th.Body, Muted, false, 3})
	}
	return out
}

// docBlock is the bottom block: 退出 and 打印 N 页 (ready), or the
// progress in words and as a bar (printing).
func (b *builder) docBlock(d *session.DocumentView, printing bool, x, y, w, h float64) {
	th := b.th
	if printing {
		frac := 0.0
		if d.Pages > 0 {
			frac = min(max(float64(d.Page)/float64(d.Pages), 0), 1)
		}
		lh := lineH(th.Title)
		b.add(Widget{ID: IDDocProgress, Kind: Label, Rect: Rect{x, y, w, lh}, Lines: b.fit(d.Progress, w, th.Title)[:1],
			Size: th.Title, Bold: true, Center: !b.landscape()})
		b.add(Widget{ID: IDDocBar, Kind: Bar, Rect: Rect{x, y + lh + th.Gap/2, w, th.Body}, Role: Primary, Value: frac})
		return
	}
	actH := th.Target * 1.15
	by := y + h - actH
	if d.PrintLabel == "" {
		b.add(Widget{ID: "cancel", Kind: Button, Rect: Rect{x, by, w, actH}, Role: fCancel.role,
			Lines: b.fit(fCancel.label, w-th.Gap, th.Title), Size: th.Title, Bold: true, Center: true, Event: fCancel.ev})
		return
	}
	unit := (w - th.Gap) / 3
	b.add(Widget{ID: "cancel", Kind: Button, Rect: Rect{x, by, unit, actH}, Role: fCancel.role,
		Lines: b.fit(fCancel.label, unit-th.Gap, th.Heading), Size: th.Heading, Bold: true, Center: true, Event: fCancel.ev})
	px := x + unit + th.Gap
	b.add(Widget{ID: "print", Kind: Button, Rect: Rect{px, by, x + w - px, actH}, Role: Primary,
		Lines: b.fit(d.PrintLabel, x+w-px-th.Gap, th.Title), Size: th.Title, Bold: true, Center: true, Event: session.PrintDocument{}})
}

// docTake: the pages are out. 请取走打印件 large, an arrow down toward
// the output slot, how many pages, and 下一步.
func (b *builder) docTake(top float64, d *session.DocumentView) {
	th, v := b.th, b.v
	actTop := b.action(b.sz.H-th.Pad, "next", "下一步", Primary, session.Continue{})
	b.area(top, actTop)
	if b.landscape() {
		// The arrow left of the words, over the whole height: the words
		// keep the width they need.
		s := min(b.bottom-b.top, (b.x1-b.x0)*0.3, 420)
		b.add(Widget{ID: "doc-take", Kind: Icon, Icon: "take", Rect: Rect{b.x0, b.top + (b.bottom-b.top-s)/2, s, s}, Role: Primary})
		b.x0 += s + th.Pad
	} else {
		b.y += th.Pad * 2
		s := min(b.x1-b.x0, 560, (b.bottom-b.top)*0.35)
		b.add(Widget{ID: "doc-take", Kind: Icon, Icon: "take", Rect: Rect{(b.sz.W - s) / 2, b.y, s, s}, Role: Primary, Scroll: true})
		b.y += s + th.Gap
	}
	center := !b.landscape()
	b.group = 1
	b.textC("请取走打印件", th.Huge, Plain, true, center)
	b.textC("共 "+itoa(d.Pages)+" 页", th.Title, Plain, true, center)
	b.group = 0
	b.banner(v.Notice, Notice)
	b.textC(d.Message, th.Heading, Plain, false, center)
	b.endArea()
}

// docFault: the printer stopped, the proof failed its checks or could
// not be fetched. What happened in plain words, the hotline large,
// 重新打印 once the printer works again (or a word that it waits for the
// printer), and 结束.
func (b *builder) docFault(top float64, d *session.DocumentView) {
	th, v := b.th, b.v
	end := footBtn{"end", "结束", Primary, session.Continue{}}
	var bottom float64
	if d.State == session.DocStopped && d.CanReprint {
		end.role = Secondary
		_, bottom = b.footerAction(footBtn{"reprint", "重新打印", Primary, session.ReprintDocument{}}, end)
	} else {
		bottom = b.action(b.sz.H-th.Pad, end.id, end.label, end.role, end.ev)
	}
	b.area(top, bottom)
	b.banner(v.Notice, Notice)
	size := th.Title
	if b.landscape() {
		size = th.Heading // height is short: the words first, no mark
	} else {
		b.group = 1
		s := th.Target
		b.add(Widget{Kind: Icon, Icon: "warn", Rect: Rect{(b.sz.W - s) / 2, b.y, s, s}, Role: Error, Scroll: true, Group: b.group})
		b.y += s + th.Gap/2
	}
	msg := d.Message
	if msg == "" {
		msg = v.Prompt
	}
	b.text(msg, size, Plain, true)
	b.group = 0
	if v.Hotline != "" {
		b.y += th.Gap / 2
		b.text("服务热线 "+v.Hotline, th.Title, Plain, true)
	}
	if d.State == session.DocStopped && !d.CanReprint && d.WaitPrinter {
		b.text("打印机恢复后，这里会出现「重新打印」。", th.Body, Muted, false)
	}
	b.endArea()
}

// ctext adds centred wrapped text at the cursor in the content area.
func (b *builder) ctext(s string, size float64, role Role, bold bool) {
	b.textC(s, size, role, bold, true)
}

// textC adds wrapped text at the cursor, centred or not.
func (b *builder) textC(s string, size float64, role Role, bold, center bool) {
	if s == "" {
		return
	}
	lines := b.wrap(s, b.x1-b.x0, size)
	h := lineH(size) * float64(len(lines))
	b.add(Widget{Kind: Label, Rect: Rect{b.x0, b.y, b.x1 - b.x0, h}, Role: role, Lines: lines, Size: size, Bold: bold,
		Center: center, Scroll: true})
	b.y += h + b.th.Gap/2
}

// textAt adds wrapped text outside the content area at (x, y) and
// returns its height.
func (b *builder) textAt(s string, x, y, w, size float64, role Role, bold, center bool) float64 {
	if s == "" {
		return 0
	}
	lines := b.wrap(s, w, size)
	h := lineH(size) * float64(len(lines))
	b.add(Widget{Kind: Label, Rect: Rect{x, y, w, h}, Role: role, Lines: lines, Size: size, Bold: bold, Center: center})
	return h
}

// PageBox is where a page of srcW×srcH pixels lies in a Paper widget's
// box r: fitted with its shape kept, whole pixels (so it is drawn
// unscaled), leaving shadow pixels at the right and bottom for the
// sheet's shadow. With no size it is an A4 sheet filling r.
func PageBox(r Rect, srcW, srcH int) (x, y, w, h, shadow float64) {
	shadow = math.Round(max(4, r.W*0.012))
	w, h = r.W-shadow, r.H-shadow
	if srcW > 0 && srcH > 0 {
		s := min(w/float64(srcW), h/float64(srcH))
		w, h = math.Floor(float64(srcW)*s), math.Floor(float64(srcH)*s)
	}
	x, y = math.Round(r.X+(r.W-shadow-w)/2), math.Round(r.Y+(r.H-shadow-h)/2)
	return x, y, w, h, shadow
}

// PagePixels is about the size an A4 page is drawn at on the document
// screen of a sz screen (elder: in elder mode), with the usual words
// beside it. The kiosk renders the preview at this width, so it is shown
// (nearly) pixel for pixel, as sharp as it can be; a page of another size
// is scaled once when it is first shown.
func PagePixels(sz Size, elder bool) (w, h int) {
	v := session.View{Screen: session.ScreenDocument, Elder: elder, Title: "证明",
		Prompt: "请核对证明内容，无误后点「" + session.PrintLabel(2) + "」",
		Document: &session.DocumentView{State: session.DocReady, Pages: 2, PrintLabel: session.PrintLabel(2),
			Title: "证明", Department: "县人力资源和社会保障局", VerificationCode: "00000000"}}
	s := Build(&v, sz, nil, nil)
	p, _ := s.Find(IDDocPreview)
	_, _, pw, ph, _ := PageBox(p.Rect, 210, 297)
	return int(pw), int(ph)
}
