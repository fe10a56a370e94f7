package session

import (
	"fmt"
	"strings"
	"time"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/devices"
)

// deviceUsable reports whether a device kind can serve now. Unknown or
// starting devices count as usable; only a device known to be down does not.
func (m *Machine) deviceUsable(k devices.Kind) bool {
	if m.o.DeviceState == nil {
		return true
	}
	switch m.o.DeviceState(k) {
	case devices.Offline, devices.HardwareError, devices.UserError, devices.NoDevice:
		return false
	}
	return true
}

// availability says whether a matter can be done now and, if not, why in
// plain words (told before the resident starts, not after).
func (m *Machine) availability(s *catalog.Service) (bool, string) {
	hot := m.hotline()
	switch {
	case s.Status == catalog.StatusSuspended:
		msg := s.StatusMessage
		if msg == "" {
			msg = "该事项暂停办理。"
		}
		return false, msg
	case !openAt(s.Hours, m.now.In(m.o.Location)):
		return false, "现在不在办理时间内（" + hoursText(s.Hours) + "）。"
	case s.NeedsIDCard && !m.deviceUsable(devices.KindIDCard):
		return false, "身份证阅读器暂时不能使用，这项业务现在无法办理。请拨打热线 " + hot + "。"
	case s.FaceCheck && m.faceUnavailable() != "":
		return false, m.faceUnavailable()
	case s.NeedsPrinter && !m.deviceUsable(devices.KindPrinter):
		return false, "打印机暂时不能使用，这项业务现在无法办理。请拨打热线 " + hot + "。"
	case s.Kind == catalog.KindPrint && (!m.o.Documents || !m.deviceUsable(devices.KindA4)):
		// A proof is only accepted on A4, never on the slip roll.
		return false, "打印证明的打印机暂时不能使用，这份证明现在无法打印。请稍后再来，或拨打热线 " + hot + "。"
	case s.Kind == catalog.KindPrint && !m.deviceUsable(devices.KindBackend):
		// A proof is issued by the department's system at the time: it is
		// never queued, and the resident hears so before starting.
		return false, "暂时连不上服务系统，这份证明现在无法打印。网络恢复后就能打印，请稍后再来，或拨打热线 " + hot + "。"
	case s.Payment && !m.o.Payments:
		return false, "本机暂时不能缴费，这项业务现在无法办理。可以用豫事办或支付宝、微信的政务服务缴费，或拨打热线 " + hot + "。"
	case s.TakesPayment() && m.o.Payments && !m.deviceUsable(devices.KindBackend):
		return false, "暂时连不上缴费系统，这项业务现在无法办理，没有扣款。请稍后再试或拨打热线 " + hot + "。"
	case s.OnlineOnly() && !m.deviceUsable(devices.KindBackend):
		return false, "暂时连不上服务系统，这项业务需要联网，现在无法办理。请稍后再试或拨打热线 " + hot + "。"
	}
	return true, ""
}

// anythingWorks reports whether at least one matter can be done now. When
// none can (every device a matter needs is down, or all are closed or
// suspended) the kiosk says so calmly, with the hotline, instead of
// letting a resident start and fail halfway.
func (m *Machine) anythingWorks(c *catalog.Catalog) bool {
	if c == nil {
		return false
	}
	for i := range c.Services {
		if here, _ := m.doableHere(&c.Services[i]); !here {
			continue
		}
		if ok, _ := m.availability(&c.Services[i]); ok {
			return true
		}
	}
	return false
}

// openAt reports whether hours include t (in the county's local time).
func openAt(h catalog.Hours, t time.Time) bool {
	if h.Always || len(h.Windows) == 0 {
		return true
	}
	wd := int(t.Weekday())
	if wd == 0 {
		wd = 7
	}
	mins := t.Hour()*60 + t.Minute()
	for _, w := range h.Windows {
		day := false
		for _, d := range w.Days {
			if d == wd {
				day = true
			}
		}
		from, ok1 := hhmm(w.From)
		to, ok2 := hhmm(w.To)
		if day && ok1 && ok2 && mins >= from && mins < to {
			return true
		}
	}
	return false
}

func hhmm(s string) (int, bool) {
	var h, m int
	if _, err := fmt.Sscanf(s, "%d:%d", &h, &m); err != nil || h < 0 || h > 24 || m < 0 || m > 59 {
		return 0, false
	}
	return h*60 + m, true
}

var weekdayNames = [...]string{"", "周一", "周二", "周三", "周四", "周五", "周六", "周日"}

func hoursText(h catalog.Hours) string {
	if h.Always || len(h.Windows) == 0 {
		return "24小时可办"
	}
	// Windows on the same days are said once: 周一至周五 08:30–12:00、14:30–17:30.
	var order []string
	times := map[string][]string{}
	for _, w := range h.Windows {
		d := daysText(w.Days)
		if _, ok := times[d]; !ok {
			order = append(order, d)
		}
		times[d] = append(times[d], w.From+"–"+w.To)
	}
	parts := make([]string, 0, len(order))
	for _, d := range order {
		parts = append(parts, strings.TrimSpace(d+" "+strings.Join(times[d], "、")))
	}
	return strings.Join(parts, "；")
}

// daysText says weekdays as a resident reads them: a run of three or more
// days as 周一至周五, others one by one (周六、周日), every day as 每天.
func daysText(days []int) string {
	var on [8]bool
	n := 0
	for _, d := range days {
		if d >= 1 && d <= 7 && !on[d] {
			on[d] = true
			n++
		}
	}
	if n == 7 {
		return "每天"
	}
	var parts []string
	for d := 1; d <= 7; {
		if !on[d] {
			d++
			continue
		}
		e := d
		for e+1 <= 7 && on[e+1] {
			e++
		}
		switch {
		case e-d >= 2:
			parts = append(parts, weekdayNames[d]+"至"+weekdayNames[e])
		default:
			for i := d; i <= e; i++ {
				parts = append(parts, weekdayNames[i])
			}
		}
		d = e + 1
	}
	return strings.Join(parts, "、")
}

func feeText(s *catalog.Service) string {
	t := "免费"
	if s.FeeFen > 0 {
		t = fmt.Sprintf("%d.%02d 元", s.FeeFen/100, s.FeeFen%100)
	}
	if s.FeeNote != "" {
		t += "（" + s.FeeNote + "）"
	}
	return t
}

func limitText(s *catalog.Service) string {
	if s.TimeLimitDays <= 0 {
		return "当场办好"
	}
	return fmt.Sprintf("%d 个工作日内办好", s.TimeLimitDays)
}
