package layout

import "github.com/henan-county/kiosk/kiosk/session"

// rating: five large choices, one tap, and skip.
func (b *builder) rating() {
	th, v := b.th, b.v
	top := b.header(v.Title)
	bottom := b.footer(footBtn{"skip", "跳过", Secondary, session.SkipRating{}})
	b.area(top, bottom)
	b.banner(v.Notice, Notice)
	b.text("您对本次服务满意吗？点一下即可。", th.Heading, Plain, true)
	h := th.Target
	for _, r := range v.Ratings {
		role := Secondary
		if r.Score >= 4 {
			role = Primary
		}
		b.add(Widget{ID: "rate:" + itoa(r.Score), Kind: Button, Rect: Rect{b.x0, b.y, b.x1 - b.x0, h}, Role: role,
			Lines: []string{r.Label}, Size: th.Title, Bold: true, Center: true, Event: session.Rate{Score: r.Score}, Scroll: true})
		b.y += h + th.Gap/2
	}
	b.endArea()
}
