package layout

import "github.com/henan-county/kiosk/kiosk/session"

// search: the query, results updating with each key, a pinyin keyboard.
func (b *builder) search() {
	th, v := b.th, b.v
	top := b.header(v.Title)
	bottom := b.footer(fBack, fHome)
	region := b.split(top, bottom)
	kbTop := b.letterKeyboard(region, func(r rune) session.Event { return session.SearchKey{R: r} }, session.SearchBackspace{})
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
// returns its top. In elder mode the letters come in two pages.
func (b *builder) letterKeyboard(r Rect, key func(rune) session.Event, del session.Event) float64 {
	th := b.th
	letters := []rune("abcdefghijklmnopqrstuvwxyz")
	paged := b.v.Elder
	if paged {
		if b.st.KeyPage%2 == 0 {
			letters = letters[:13]
		} else {
			letters = letters[13:]
		}
	}
	cols := b.cols(r.W, 10)
	n := len(letters) + 1
	if paged {
		n++
	}
	rects, top := b.grid(r, n, cols, th.Target)
	for i, l := range letters {
		b.add(Widget{ID: "key:" + string(l), Kind: Button, Rect: rects[i], Role: Secondary, Lines: []string{string(l)},
			Size: th.Title, Bold: true, Center: true, Event: key(l)})
	}
	i := len(letters)
	if paged {
		label := "n–z"
		if b.st.KeyPage%2 == 1 {
			label = "a–m"
		}
		b.add(Widget{ID: "key:page", Kind: Button, Rect: rects[i], Role: Primary, Lines: []string{label},
			Size: th.Heading, Bold: true, Center: true, Local: LocalNextPage})
		i++
	}
	b.add(Widget{ID: "key:del", Kind: Button, Rect: rects[i], Role: Secondary, Lines: b.fit("删除", rects[i].W-th.Gap/2, th.Heading),
		Size: th.Heading, Bold: true, Center: true, Event: del})
	return top - th.Gap
}
