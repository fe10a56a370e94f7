package session

import (
	"fmt"
	"time"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/mask"
)

// Out of service and under maintenance the kiosk is not a dead end: it
// says when it expects to serve again (when the technician said so:
// Maintenance.Until, kioskctl maintenance on --until 15:30) and where the
// nearest other hall is (the catalog's halls[].nearby).

// backWords says when the kiosk expects to serve again.
func (m *Machine) backWords() string {
	u := m.maintUntil
	if u.IsZero() {
		return "请稍后再来"
	}
	now := m.now.In(m.o.Location)
	u = u.In(m.o.Location)
	if !u.After(now) {
		return "很快就能恢复，请稍候"
	}
	y1, m1, d1 := now.Date()
	day := time.Date(y1, m1, d1, 0, 0, 0, 0, m.o.Location)
	at := fmt.Sprintf("%d:%02d", u.Hour(), u.Minute())
	switch {
	case u.Before(day.AddDate(0, 0, 1)):
		return "预计今天 " + at + " 恢复服务"
	case u.Before(day.AddDate(0, 0, 2)):
		return "预计明天 " + at + " 恢复服务"
	}
	return fmt.Sprintf("预计 %d月%d日 %s 恢复服务", int(u.Month()), u.Day(), at)
}

// nearby is the nearest other hall, or nil when the catalog names none.
func (m *Machine) nearby() *NearbyHall {
	c := m.o.Catalog()
	if c == nil {
		return nil
	}
	id := m.o.HallID
	if id == "" {
		for _, h := range c.Halls {
			if h.Name == m.o.HallName {
				id = h.ID
			}
		}
	}
	h, meters, ok := c.NearestHall(id)
	if !ok {
		return nil
	}
	return &NearbyHall{Name: h.Name, Address: h.Address, Distance: distanceWords(meters)}
}

// distanceWords: 约 600 米, 约 1.8 公里.
func distanceWords(m int) string {
	switch {
	case m <= 0:
		return ""
	case m < 1000:
		return fmt.Sprintf("约 %d 米", (m+50)/100*100)
	case m < 10000:
		return fmt.Sprintf("约 %.1f 公里", float64(m)/1000)
	}
	return fmt.Sprintf("约 %d 公里", (m+500)/1000)
}

// elsewhere words the nearest hall for the prompt.
func (m *Machine) elsewhere() string {
	n := m.nearby()
	if n == nil {
		return ""
	}
	s := "最近的自助服务厅是" + n.Name
	if n.Distance != "" {
		s += "，" + n.Distance
	}
	return s + "，地址：" + n.Address + "。"
}

// endView fills the view's end-of-matter and out-of-service parts.
func (m *Machine) endView(v *View) {
	switch m.screen {
	case ScreenResult, ScreenPrinting:
		v.Slip = m.slipHelp()
		v.CanRetry = m.screen == ScreenResult && m.canRetry()
	case ScreenMaintenance:
		v.Until, v.Back = m.maintUntil, m.backWords()
		v.Nearby = m.nearby()
	case ScreenOutOfService:
		v.Nearby = m.nearby()
	case ScreenDone:
		v.TakeCard = m.cardState == CardOnReader || m.cardState == CardUnknown && m.cardUsed
	}
}

// cardOnScreen is a card field's value on the resident's own screens:
// the name as 王*兰, the number and address masked as on the slip.
func cardOnScreen(f catalog.Field, v string) string {
	if v == "" {
		return ""
	}
	switch f.CardField {
	case "name":
		return mask.NameOnScreen(v)
	case "id_number":
		return mask.ID(v)
	case "address":
		return mask.Address(v)
	case "sex", "nation", "birth", "issuer", "valid_to":
		return v
	}
	return mask.Value(v)
}
