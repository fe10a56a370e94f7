package layout

import "github.com/henan-county/kiosk/kiosk/session"

// home: the categories first (most residents come for one), then the
// most used matters and the search; the voice controls come last, on the
// last page (the help dialog has them on every screen too), so they never
// take the categories' place.
func (b *builder) home() {
	th, v := b.th, b.v
	top := b.header(v.Title)
	bottom := b.footer(b.fElder(), fCancel)
	b.area(top, bottom)
	w := b.x1 - b.x0
	cols := th.Columns
	if b.landscape() {
		cols += 2
	}
	tw := (w - float64(cols-1)*th.Gap) / float64(cols)
	thh := max(th.Target*1.7, min(tw*0.8, th.Target*2.2))
	if b.landscape() {
		// Two rows of tiles in the short landscape area.
		thh = max(th.Target*1.3, min(thh, (b.bottom-b.top-th.Gap)/2-th.Gap))
	}
	for i, c := range v.Categories {
		col, row := i%cols, i/cols
		b.add(Widget{ID: "cat:" + c.ID, Kind: Tile, Rect: Rect{b.x0 + float64(col)*(tw+th.Gap), b.y + float64(row)*(thh+th.Gap), tw, thh},
			Role: Surface, Icon: c.Icon, Lines: b.fit(c.Name, tw-th.Gap, th.Heading), Size: th.Heading, Bold: true, Center: true,
			Event: session.ChooseCategory{ID: c.ID}, Scroll: true})
	}
	if n := len(v.Categories); n > 0 {
		b.y += float64((n+cols-1)/cols)*(thh+th.Gap) + th.Gap
	}
	b.add(Widget{ID: "search", Kind: Tile, Rect: Rect{b.x0, b.y, w, th.Target}, Role: Secondary, Icon: "search",
		Lines: []string{"搜索事项（拼音首字母）"}, Size: th.Heading, Bold: true, Event: session.OpenSearch{}, Scroll: true})
	b.y += th.Target + th.Gap
	if len(v.Popular) > 0 {
		b.text("最常办理", th.Heading, Plain, true)
		b.serviceRows(v.Popular)
		b.y += th.Gap / 2
	}
	for _, wd := range b.soundControls("", b.x0, b.y, w) {
		wd.Scroll = true
		b.add(wd)
	}
	b.y += th.Target + th.Gap
	b.endArea()
}
