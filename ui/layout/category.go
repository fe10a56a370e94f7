package layout

// category: a scrolling list of the category's matters.
func (b *builder) category() {
	v := b.v
	top := b.header(v.Title)
	bottom := b.footer(fBack, fHome)
	b.area(top, bottom)
	if len(v.Services) == 0 {
		b.text("这个类别暂时没有可办的事项。", b.th.Body, Muted, false)
	}
	b.serviceRows(v.Services)
	b.endArea()
}
