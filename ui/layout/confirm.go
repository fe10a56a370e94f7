package layout

import "github.com/henan-county/kiosk/kiosk/session"

// confirm: everything that will be sent, masked, and one submit button.
func (b *builder) confirm() {
	th, v := b.th, b.v
	top := b.header(v.Title)
	_, actTop := b.footerAction(footBtn{"submit", "确认提交", Primary, session.Submit{}}, fBack, fCancel)
	b.area(top, actTop)
	b.banner(v.Notice, Notice)
	if v.Guide != nil {
		b.text(v.Guide.Name, th.Heading, Plain, true)
	}
	b.text(v.Prompt, th.Body, Muted, false)
	if v.Identity != nil {
		b.lines([]session.Line{{Label: "办理人", Value: v.Identity.Name}, {Label: "证件号码", Value: v.Identity.IDNumber}})
	}
	b.lines(v.Summary)
	b.endArea()
}
