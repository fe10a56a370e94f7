package layout

// menu is the technician menu: one large button per diagnostic screen and
// a summary of the kiosk below.
func (b *techBuilder) menu() {
	top := b.header()
	bottom := b.footer(false)
	b.area(top, bottom)
	b.text(b.v.Kiosk, b.th.Small, Muted)
	cols := 2
	if b.landscape() {
		cols = 3
	}
	b.actions(b.v.Actions, cols, Secondary)
	b.sections()
	b.endArea()
}
