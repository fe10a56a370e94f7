package layout

import (
	"fmt"
	"sort"
)

// Pages: a screen's content never hides behind a scroll. When it is taller
// than its area it is cut into pages at places where nothing is cut in
// half (a tile row, a matter's row, a field with its label and its error
// stay together), and a row of 上一页 · 第 1/3 页 · 下一页 at the bottom of
// the area turns them. An elderly resident sees whole things and a plain
// way to the rest, instead of half a tile and a thin scrollbar.

// Local taps that turn the content's pages.
const (
	LocalPagePrev = "page-prev"
	LocalPageNext = "page-next"
)

// unit is a run of content that a page break may not cut.
type unit struct{ top, bottom float64 }

// paginate cuts the scroll area's content into pages and keeps the
// widgets of the page st.Page shows (the focused field's page when the
// focus has just moved).
func (b *builder) paginate() {
	s, th := b.s, b.th
	if s.ContentH <= s.Scroll.H+0.5 || s.Scroll.H <= 0 {
		b.st.Page = 0
		return
	}
	b.splitLabels()
	// In landscape, where height is short, the pager joins the footer row
	// when the footer's buttons leave room; else it takes a row of the area.
	inFooter := b.landscape() && b.pagerFits()
	capH := s.Scroll.H
	if !inFooter {
		capH -= th.Target + th.Gap
	}
	if capH < th.Target {
		return // no room for a pager: the content scrolls
	}
	units := b.units()
	// Greedy: a page starts at the first unit that does not fit the one
	// before; a unit taller than a page has a page of its own.
	starts := []float64{b.top}
	for _, u := range units {
		cur := starts[len(starts)-1]
		if u.bottom-cur > capH && u.top > cur+0.5 {
			starts = append(starts, u.top)
		}
	}
	n := len(starts)
	if b.v.Focus != b.st.focus {
		b.st.focus = b.v.Focus
		if p, ok := b.pageOf(starts, "field:"+b.v.Focus); ok {
			b.st.Page = p
		}
	}
	b.st.Page = min(max(b.st.Page, 0), n-1)
	p := b.st.Page
	top := starts[p]
	bottom := top + capH
	if p+1 < n {
		bottom = starts[p+1]
	}
	shift := top - b.top
	kept := s.Widgets[:0]
	for _, w := range s.Widgets {
		if !w.Scroll {
			kept = append(kept, w)
			continue
		}
		r := w.Rect
		if background(&w) {
			// A background clipped to the page.
			y0, y1 := max(r.Y, top), min(r.Y+r.H, bottom)
			if y1-y0 < 1 {
				continue
			}
			w.Rect.Y, w.Rect.H = y0-shift, y1-y0
			kept = append(kept, w)
			continue
		}
		if r.Y < top-0.5 || r.Y >= bottom-0.5 {
			continue
		}
		w.Rect.Y -= shift
		kept = append(kept, w)
	}
	s.Widgets = kept
	s.Scroll.H = capH
	s.ContentH = min(bottom-top, capH)
	if inFooter {
		b.footerPager(p, n)
		return
	}
	b.pager(b.x0, b.x1, s.Scroll.Y+s.Scroll.H+th.Gap, p, n)
}

// footerRow finds the footer's background box and its buttons.
func (b *builder) footerRow() (box *Widget, btns []int) {
	for i := range b.s.Widgets {
		w := &b.s.Widgets[i]
		if !w.Scroll && w.Kind == Box && w.Rect.X == 0 && w.Rect.W >= b.sz.W-0.5 && w.Rect.Y+w.Rect.H >= b.sz.H-0.5 && w.Rect.Y > 0 {
			box = w
		}
	}
	if box == nil {
		return nil, nil
	}
	for i := range b.s.Widgets {
		w := &b.s.Widgets[i]
		if !w.Scroll && w.Kind == Button && w.Rect.Y >= box.Rect.Y {
			btns = append(btns, i)
		}
	}
	return box, btns
}

// pagerWidth is the width the pager takes.
func (b *builder) pagerWidth() float64 {
	th := b.th
	return 3*th.Target*1.6 + 2*th.Gap
}

// pagerFits reports whether the footer's buttons, squeezed beside a
// pager, stay large enough with their labels on their lines.
func (b *builder) pagerFits() bool {
	th := b.th
	box, btns := b.footerRow()
	if box == nil || len(btns) == 0 {
		return false
	}
	left := b.x1 - b.x0 - b.pagerWidth() - th.Gap
	span := b.s.Widgets[btns[len(btns)-1]].Rect.X + b.s.Widgets[btns[len(btns)-1]].Rect.W - b.s.Widgets[btns[0]].Rect.X
	scale := left / span
	for _, i := range btns {
		w := &b.s.Widgets[i]
		nw := w.Rect.W*scale - th.Gap*(1-scale)
		if nw < th.Target {
			return false
		}
		for _, l := range w.Lines {
			if b.m.Advance(l, w.Size) > nw-th.Gap {
				return false
			}
		}
	}
	return true
}

// footerPager squeezes the footer's buttons to the right and puts the
// pager at the left of the footer row.
func (b *builder) footerPager(p, n int) {
	th := b.th
	box, btns := b.footerRow()
	pw := b.pagerWidth()
	start := b.s.Widgets[btns[0]].Rect.X
	last := b.s.Widgets[btns[len(btns)-1]]
	span := last.Rect.X + last.Rect.W - start
	x0 := b.x0 + pw + th.Gap
	scale := (b.x1 - x0) / span
	for _, i := range btns {
		w := &b.s.Widgets[i]
		w.Rect.X = x0 + (w.Rect.X-start)*scale
		w.Rect.W = w.Rect.W*scale - th.Gap*(1-scale)
	}
	b.pager(b.x0, b.x0+pw, box.Rect.Y+th.Gap, p, n)
}

// pageOf finds the page holding the widget with id.
func (b *builder) pageOf(starts []float64, id string) (int, bool) {
	for _, w := range b.s.Widgets {
		if w.ID != id || !w.Scroll {
			continue
		}
		p := sort.Search(len(starts), func(i int) bool { return starts[i] > w.Rect.Y+0.5 }) - 1
		return max(p, 0), true
	}
	return 0, false
}

// pager draws 上一页 · 第 p/n 页 · 下一页 at y between x0 and x1.
func (b *builder) pager(x0, x1, y float64, p, n int) {
	th := b.th
	w := x1 - x0
	bw := max(th.Target*1.6, (w-2*th.Gap)/3)
	mid := w - 2*bw - 2*th.Gap
	prev := Widget{ID: "page-prev", Kind: Button, Rect: Rect{x0, y, bw, th.Target}, Role: Secondary,
		Lines: b.fit("上一页", bw-th.Gap, th.Heading), Size: th.Heading, Bold: true, Center: true, Local: LocalPagePrev}
	next := Widget{ID: "page-next", Kind: Button, Rect: Rect{x1 - bw, y, bw, th.Target}, Role: Secondary,
		Lines: b.fit("下一页", bw-th.Gap, th.Heading), Size: th.Heading, Bold: true, Center: true, Local: LocalPageNext}
	if p == 0 {
		prev.Role, prev.Local = Disabled, ""
	}
	if p == n-1 {
		next.Role, next.Local = Disabled, ""
	}
	b.add(prev)
	label, size := fmt.Sprintf("第 %d/%d 页", p+1, n), th.Heading
	if b.m.Advance(label, size) > mid {
		label, size = fmt.Sprintf("%d/%d", p+1, n), th.Body
	}
	b.add(Widget{ID: "page-no", Kind: Label, Rect: Rect{x0 + bw + th.Gap, y + (th.Target-lineH(size))/2, mid, lineH(size)},
		Lines: b.fit(label, mid, size)[:1], Size: size, Bold: true, Center: true})
	b.add(next)
}

// background: a box behind other content (no text, no tap); page breaks
// may cut it, and it is clipped to each page.
func background(w *Widget) bool {
	return w.Kind == Box && len(w.Lines) == 0 && w.Event == nil && w.Local == ""
}

// splitLabels turns each multi-line text of the content into one label a
// line, so that a long text can continue on the next page.
func (b *builder) splitLabels() {
	var out []Widget
	for _, w := range b.s.Widgets {
		if !w.Scroll || w.Kind != Label || len(w.Lines) < 2 || w.Group != 0 {
			out = append(out, w)
			continue
		}
		lh := w.Rect.H / float64(len(w.Lines))
		for i, l := range w.Lines {
			c := w
			c.Lines = []string{l}
			c.Rect.Y, c.Rect.H = w.Rect.Y+float64(i)*lh, lh
			out = append(out, c)
		}
	}
	b.s.Widgets = out
}

// units merges the content's widgets into runs a break may not cut:
// widgets that overlap vertically, and widgets of one group.
func (b *builder) units() []unit {
	groups := map[int]*unit{}
	var us []unit
	for _, w := range b.s.Widgets {
		if !w.Scroll || background(&w) {
			continue
		}
		u := unit{w.Rect.Y, w.Rect.Y + w.Rect.H}
		if w.Group != 0 {
			if g, ok := groups[w.Group]; ok {
				g.top, g.bottom = min(g.top, u.top), max(g.bottom, u.bottom)
				continue
			}
			groups[w.Group] = &u
			continue
		}
		us = append(us, u)
	}
	for _, g := range groups {
		us = append(us, *g)
	}
	sort.Slice(us, func(i, j int) bool { return us[i].top < us[j].top })
	var out []unit
	for _, u := range us {
		if n := len(out); n > 0 && u.top < out[n-1].bottom-0.5 {
			out[n-1].bottom = max(out[n-1].bottom, u.bottom)
			continue
		}
		out = append(out, u)
	}
	return out
}
