package layout

import (
	"strings"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/session"
)

var kindNames = map[catalog.Kind]string{
	catalog.KindQuery: "查询", catalog.KindPrint: "打印", catalog.KindApply: "申请",
	catalog.KindCertify: "认证", catalog.KindAppointment: "预约",
}

// guide: the one-time notice of what the matter needs.
func (b *builder) guide() {
	th, v := b.th, b.v
	g := v.Guide
	top := b.header(v.Title)
	role, label := Primary, "开始办理"
	if g != nil && !g.Available {
		role, label = Disabled, "现在不能办理"
	}
	_, actTop := b.footerAction(footBtn{"begin", label, role, session.Start{}}, fBack, fHome)
	b.area(top, actTop)
	if g == nil {
		b.endArea()
		return
	}
	b.banner(v.Notice, Notice)
	if !g.Available && v.Notice == "" {
		b.banner(g.Reason, Notice)
	}
	b.text(g.Department+" · "+kindNames[g.Kind], th.Body, Muted, false)
	b.text(g.Description, th.Body, Plain, false)
	var rows []session.Line
	if len(g.Materials) > 0 {
		rows = append(rows, session.Line{Label: "需要带", Value: strings.Join(g.Materials, "；")})
	}
	need := []string{}
	if g.NeedsIDCard {
		need = append(need, "本人身份证")
	}
	if g.NeedsPrinter {
		need = append(need, "打印"+session.WordSlip)
	}
	if len(need) > 0 {
		rows = append(rows, session.Line{Label: "办理时会用到", Value: strings.Join(need, "、")})
	}
	rows = append(rows, session.Line{Label: "费用", Value: g.Fee}, session.Line{Label: "多久办好", Value: g.TimeLimit},
		session.Line{Label: "办理时间", Value: g.Hours})
	b.lines(rows)
	b.endArea()
}
