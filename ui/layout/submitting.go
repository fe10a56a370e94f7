package layout

// submitting: progress while the daemon commits and delivers.
func (b *builder) submitting() {
	th, v := b.th, b.v
	top := b.header(v.Title)
	b.area(top, b.sz.H-th.Pad)
	b.y += th.Pad * 2
	s := min(b.x1-b.x0, 360)
	b.add(Widget{ID: "spinner", Kind: Spinner, Rect: Rect{(b.sz.W - s) / 2, b.y, s, s}, Role: Primary, Scroll: true})
	b.y += s + th.Pad
	b.text(v.Prompt, th.Title, Plain, true)
	b.text("请不要离开，也不要拿走身份证。", th.Body, Muted, false)
	b.endArea()
}
