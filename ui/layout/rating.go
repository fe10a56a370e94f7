package layout

import "github.com/henan-county/kiosk/kiosk/session"

// rating: the five levels of the national review, each with a face, all
// styled alike (none is pushed), all on one page in every mode: rows in
// portrait, side by side in landscape. One tap rates; 跳过 skips.
func (b *builder) rating() {
	th, v := b.th, b.v
	top := b.header(v.Title)
	bottom := b.footer(footBtn{"skip", "跳过", Secondary, session.SkipRating{}})
	b.area(top, bottom)
	b.banner(v.Notice, Notice)
	n := float64(len(v.Ratings))
	if n == 0 {
		b.endArea()
		return
	}
	if !b.landscape() {
		prompt := "您对本次服务满意吗？点一下即可。"
		if v.Elder {
			prompt = "您对本次服务满意吗？"
		}
		b.text(prompt, th.Heading, Plain, true)
		// As tall as the area leaves, so all five always fit one page.
		h := max(th.Target, min(th.Target*1.2, (b.bottom-b.y)/n-th.Gap))
		for _, r := range v.Ratings {
			b.add(Widget{ID: "rate:" + itoa(r.Score), Kind: Tile, Icon: faceIcon(r.Score), Rect: Rect{b.x0, b.y, b.x1 - b.x0, h},
				Role: Secondary, Lines: []string{r.Label}, Size: th.Title, Bold: true, Center: true,
				Event: session.Rate{Score: r.Score}, Scroll: true})
			b.y += h + th.Gap
		}
		b.endArea()
		return
	}
	// Landscape: one row of five, as tall as the area leaves.
	if b.bottom-b.y-lineH(th.Heading)-th.Gap >= th.Target*1.6 {
		b.text("您对本次服务满意吗？点一下即可。", th.Heading, Plain, true)
	}
	w := (b.x1 - b.x0 - (n-1)*th.Gap) / n
	h := max(th.Target, min(th.Target*1.8, b.bottom-b.y-th.Gap))
	size := th.Title
	for _, r := range v.Ratings {
		for size > th.Small && b.m.Advance(r.Label, size) > w-th.Gap {
			size -= 2
		}
	}
	for i, r := range v.Ratings {
		b.add(Widget{ID: "rate:" + itoa(r.Score), Kind: Tile, Icon: faceIcon(r.Score),
			Rect: Rect{b.x0 + float64(i)*(w+th.Gap), b.y, w, h}, Role: Secondary, Lines: []string{r.Label},
			Size: size, Bold: true, Center: true, Event: session.Rate{Score: r.Score}, Scroll: true})
	}
	b.y += h + th.Gap
	b.endArea()
}

// faceIcon names the drawn face of a rating, 5 (a broad smile) to 1 (a
// deep frown).
func faceIcon(score int) string { return "face" + itoa(score) }
