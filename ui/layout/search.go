package layout

import "github.com/henan-county/kiosk/kiosk/session"

// search: the query, results updating with each key, a pinyin keyboard.
func (b *builder) search() {
	th, v := b.th, b.v
	top := b.header(v.Title)
	bottom := b.footer(fBack, fHome)
	region := b.split(top, bottom)
	kbTop := b.letterKeyboard(region, func(r rune) session.Event { return session.SearchKey{R: r} }, session.SearchBackspace{}, nil)
	if b.landscape() {
		kbTop = bottom
	}
	// The query box sits fixed under the header.
	q := v.Query
	role := Plain
	if q == "" {
		q, role = "请输入拼音首字母", Muted
	}
	qy := top + th.Gap
	b.add(Widget{ID: "query", Kind: Field, Rect: Rect{b.x0, qy, b.x1 - b.x0, th.Target}, Role: role,
		Lines: b.fit(q, b.x1-b.x0-2*th.Gap, th.Heading)[:1], Size: th.Heading, Bold: v.Query != "", Focused: true})
	b.area(qy+th.Target-th.Gap, kbTop) // the area's own gap is the box's margin
	if v.Query == "" {
		b.text("例如：社保 输入 sb，公积金 输入 gjj", th.Body, Muted, false)
	} else if len(v.Services) == 0 {
		b.text("没有找到，请换个写法，或点首页按类别查找。", th.Body, Muted, false)
	}
	b.serviceRows(v.Services)
	b.endArea()
}

// letterKeyboard lays out a–z and a delete key at the bottom of r and
// returns its top. In elder mode the letters come in two pages. With sym
// set, a 123 key turns to digits and common punctuation (an address like
// 12号, a date like 3月), which sym types.
func (b *builder) letterKeyboard(r Rect, key func(rune) session.Event, del session.Event, sym func(string) session.Event) float64 {
	th := b.th
	paged := b.v.Elder
	// Elder mode turns pages with one key: a–m, n–z and, where symbols can
	// be typed, 123. Normal mode has all the letters and a 123 key.
	pages := 2
	if sym != nil {
		pages = 3
	}
	page := b.st.KeyPage % pages
	if sym != nil && (b.st.Symbols && !paged || paged && page == 2) {
		return b.symbolKeyboard(r, sym, del)
	}
	letters := []rune("abcdefghijklmnopqrstuvwxyz")
	if paged {
		if page == 0 {
			letters = letters[:13]
		} else {
			letters = letters[13:]
		}
	}
	cols := b.cols(r.W, 10)
	n := b.letterKeys(sym != nil)
	rects, top := b.grid(r, n, cols, th.Target)
	for i, l := range letters {
		b.add(Widget{ID: "key:" + string(l), Kind: Button, Rect: rects[i], Role: Secondary, Lines: []string{string(l)},
			Size: th.Title, Bold: true, Center: true, Event: key(l)})
	}
	i := len(letters)
	if paged {
		b.add(Widget{ID: "key:page", Kind: Button, Rect: rects[i], Role: Primary, Lines: []string{b.nextPageLabel(page, pages)},
			Size: th.Heading, Bold: true, Center: true, Local: LocalNextPage})
		i++
	} else if sym != nil {
		b.add(Widget{ID: "key:123", Kind: Button, Rect: rects[i], Role: Primary, Lines: []string{"123"},
			Size: th.Heading, Bold: true, Center: true, Local: LocalSymbols})
		i++
	}
	b.add(Widget{ID: "key:del", Kind: Button, Rect: rects[i], Role: Secondary, Lines: b.fit("删除", rects[i].W-th.Gap/2, th.Heading),
		Size: th.Heading, Bold: true, Center: true, Event: del})
	return top - th.Gap
}

// nextPageLabel names the page the elder keyboard's page key turns to.
func (b *builder) nextPageLabel(page, pages int) string {
	switch (page + 1) % pages {
	case 0:
		return "a–m"
	case 1:
		return "n–z"
	}
	return "123"
}

// letterKeys is how many keys the letter keyboard has: the letters, the
// page key in elder mode, the 123 key when symbols can be typed, delete.
func (b *builder) letterKeys(symbols bool) int {
	if b.v.Elder {
		return 15 // 13 letters (or symbols), the page key, delete
	}
	if symbols {
		return 28
	}
	return 27
}

// symbols are the digits and the punctuation an address or a note needs.
var symbols = []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "，", "。", "、", "-", "（", "）", "/", "#"}

// symbolKeyboard: digits and punctuation, a key back to the letters, and
// delete, in as many keys as the letter keyboard (the same height).
func (b *builder) symbolKeyboard(r Rect, sym func(string) session.Event, del session.Event) float64 {
	th := b.th
	keys := symbols
	if b.v.Elder {
		keys = symbols[:13] // 0–9 and ，。、: a page as large as a letter page
	}
	cols := b.cols(r.W, 10)
	n := max(len(keys)+2, b.letterKeys(true))
	rects, top := b.grid(r, n, cols, th.Target)
	for i, k := range keys {
		b.add(Widget{ID: "key:" + k, Kind: Button, Rect: rects[i], Role: Secondary, Lines: []string{k},
			Size: th.Title, Bold: true, Center: true, Event: sym(k)})
	}
	i := n - 2
	back := Widget{ID: "key:abc", Kind: Button, Rect: rects[i], Role: Primary, Lines: []string{"abc"},
		Size: th.Heading, Bold: true, Center: true, Local: LocalSymbols}
	if b.v.Elder {
		back.ID, back.Lines, back.Local = "key:page", []string{"a–m"}, LocalNextPage
	}
	b.add(back)
	b.add(Widget{ID: "key:del", Kind: Button, Rect: rects[i+1], Role: Secondary, Lines: b.fit("删除", rects[i+1].W-th.Gap/2, th.Heading),
		Size: th.Heading, Bold: true, Center: true, Event: del})
	return top - th.Gap
}
