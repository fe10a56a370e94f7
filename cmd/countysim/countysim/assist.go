package countysim

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"

	"github.com/henan-county/kiosk/kiosk/backend"
	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/mask"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// The assisted-service queue (小牟帮办): callback and home-visit requests
// arrive as transactions of kind assist (kiosk/txn/assist.go). The first
// delivery is judged against the published catalog, routed to a place,
// queued in the same store as the transactions (one bbolt transaction:
// both or neither) and answered with who will call and by when; a replay
// is answered from the stored reply and queues nothing. Any transaction's
// 帮办模式 record (assisted) is checked here too.

var bucketAssist = []byte("assist_requests") // kiosk \0 tx id → AssistRequest

// AssistOpts sets the assisted-service queue's hours, in county local
// time (catalog.Local) as durations since midnight. Callbacks that arrive
// from NightFrom until NightUntil go to the county centre's on-call desk,
// the others to the duty desk of the kiosk's township centre. Zero takes
// the default (20:00 and 08:00).
type AssistOpts struct {
	NightFrom  time.Duration
	NightUntil time.Duration
}

// Default assist hours.
const (
	DefaultNightFrom  = 20 * time.Hour
	DefaultNightUntil = 8 * time.Hour
)

// Answer times of the queue (the contract documents them).
const (
	callbackWithin   = 30 * time.Minute // a duty desk calls back within
	nightCallbackAdd = 30 * time.Minute // the on-call desk: by NightUntil + this
	homeVisitNoon    = 12 * time.Hour   // a home visit's call: by 12:00 …
	homeVisitEvening = 18 * time.Hour   // … or by 18:00 of a working day
)

// Desks an assist request is routed to.
const (
	DeskTownshipDuty   = "township_duty"   // the township centre's duty desk (callbacks by day)
	DeskCountyOnCall   = "county_on_call"  // the county centre's on-call desk (callbacks by night)
	DeskVillageStation = "village_station" // the village station (home visits, village-level matters)
	DeskTownshipCentre = "township_centre" // the township centre (other home visits)
	DeskHotline        = "hotline"         // no place in the catalog: the county hotline
)

// Kinds and states of AssistRequest.
const (
	AssistKindCallback  = "callback"
	AssistKindHomeVisit = "home_visit"
	AssistQueued        = "queued"
	AssistDone          = "done"
)

// AssistRequest is one request of the queue as the simulator keeps and
// lists it: personal data masked (the stored transaction holds it in
// full, as the real backend's would).
type AssistRequest struct {
	KioskID    string `json:"kiosk_id"`
	TxID       string `json:"tx_id"`
	Kind       string `json:"kind"`   // AssistKindCallback, AssistKindHomeVisit
	Ticket     string `json:"ticket"` // the transaction's tracking number
	Hall       string `json:"hall,omitempty"`
	Phone      string `json:"phone"`             // masked
	Name       string `json:"name,omitempty"`    // masked (home visit)
	Address    string `json:"address,omitempty"` // masked (home visit)
	About      string `json:"about,omitempty"`   // callback: the matter asked about
	ForService string `json:"for_service,omitempty"`
	Township   string `json:"township,omitempty"`
	Village    string `json:"village,omitempty"`
	ForWhom    string `json:"for_whom,omitempty"`
	Reason     string `json:"reason,omitempty"`
	Desk       string `json:"desk"` // Desk…
	PlaceID    string `json:"place_id"`
	PlaceName  string `json:"place_name"`
	PlacePhone string `json:"place_phone,omitempty"`
	// CallBy is when the place will have called, in county local time.
	CallBy     time.Time     `json:"call_by"`
	ReceivedAt time.Time     `json:"received_at"`
	Status     string        `json:"status"` // AssistQueued, AssistDone
	DoneAt     time.Time     `json:"done_at,omitzero"`
	Assisted   *txn.Assisted `json:"assisted,omitempty"`
}

// assistState caches the published catalog the queue judges by, parsed
// once per ETag.
type assistState struct {
	mu   sync.Mutex
	etag string
	cat  *catalog.Catalog
}

// judgingCatalog is the catalog published in the store (read in tx), or
// the built-in one when none is published or it does not parse.
func (s *Server) judgingCatalog(tx *bolt.Tx) *catalog.Catalog {
	b := tx.Bucket(bucketCatalog)
	etag, data := string(b.Get([]byte("etag"))), b.Get([]byte("data"))
	if len(data) == 0 {
		return s.catalog
	}
	a := &s.assist
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.etag != etag || a.cat == nil {
		c, err := catalog.Parse(data)
		if err != nil {
			s.log.Warn("countysim: the published catalog does not parse; assist requests judged by the built-in one", "err", err)
			return s.catalog
		}
		a.etag, a.cat = etag, c
	}
	return a.cat
}

// assistAnswer judges what the assisted-service queue owns in the first
// delivery of sub, inside the store's transaction tx: the 帮办模式 record
// any transaction may carry, and a 小牟帮办 request, which it queues and
// answers with its routing. A refusal is an *errRefused in words for the
// resident; nothing is then stored.
func (s *Server) assistAnswer(tx *bolt.Tx, kioskID string, sub backend.Submission, rep backend.Reply) (backend.Reply, error) {
	now := s.now()
	if err := backend.CheckAssisted(sub.Assisted, now); err != nil {
		return rep, &errRefused{msg: "帮办人员信息不完整或有误，本次没有办理。请工作人员核对工号并重新确认群众同意后再提交。"}
	}
	if sub.ServiceKind != txn.KindAssist {
		return rep, nil
	}
	cat := s.judgingCatalog(tx)
	f := sub.Fields
	req := AssistRequest{KioskID: kioskID, TxID: sub.ID, Ticket: sub.TrackingNo, ReceivedAt: now.UTC(),
		Status: AssistQueued, Assisted: sub.Assisted, Phone: mask.Phone(f["phone"])}
	var place catalog.Place
	var msg string
	switch sub.ServiceID {
	case txn.AssistCallback:
		if err := checkCallback(cat, f); err != nil {
			return rep, err
		}
		req.Kind, req.About = AssistKindCallback, f["about"]
		req.Hall = f["hall"]
		if req.Hall == "" {
			req.Hall = heartbeatHall(tx, kioskID)
		}
		var night bool
		req.CallBy, night = s.opts.Assist.callbackDue(now)
		place, req.Desk = callbackPlace(cat, req.Hall, night)
		if night {
			msg = fmt.Sprintf("%s值班人员将在%s前给您回电话，请保持电话畅通。", place.Name, whenWords(now, req.CallBy))
		} else {
			msg = fmt.Sprintf("%s的工作人员将在30分钟内（%s前）给您回电话，请保持电话畅通。", place.Name, whenWords(now, req.CallBy))
		}
	case txn.AssistHomeVisit:
		asked := now
		if c := sub.CreatedAt; !c.IsZero() && !c.After(now) {
			asked = c
		}
		svc, village, err := checkHomeVisit(cat, f, sub.Person, asked)
		if err != nil {
			return rep, err
		}
		req.Kind, req.ForService, req.Township, req.Village = AssistKindHomeVisit, svc.ID, f["township"], f["village"]
		req.ForWhom, req.Reason = f["for_whom"], f["reason"]
		req.Name, req.Address = mask.Name(strings.TrimSpace(f["name"])), mask.Address(strings.TrimSpace(f["address"]))
		if svc.DoneAt(catalog.WhereVillage) {
			place, req.Desk = village, DeskVillageStation
		} else {
			place, _ = cat.Place(village.Township)
			req.Desk = DeskTownshipCentre
		}
		req.CallBy = homeVisitDue(now)
		msg = fmt.Sprintf("%s的工作人员将在%s前给您打电话，约定上门时间，请保持电话畅通。", place.Name, whenWords(now, req.CallBy))
	default:
		return rep, &errRefused{msg: "本机暂不支持这项帮办服务，请拨打" + cat.Hotline + "咨询。"}
	}
	req.PlaceID, req.PlaceName, req.PlacePhone = place.ID, place.Name, place.Phone
	if req.PlacePhone == "" {
		req.PlacePhone = cat.Hotline
	}
	b, err := json.Marshal(req)
	if err != nil {
		return rep, err
	}
	if err := tx.Bucket(bucketAssist).Put(txKey(kioskID, sub.ID), b); err != nil {
		return rep, err
	}
	s.log.Info("countysim queued an assist request", "kiosk", kioskID, "tx", sub.ID, "kind", req.Kind,
		"desk", req.Desk, "place", req.PlaceID, "phone", req.Phone, "call_by", req.CallBy.Format(backend.CallByLayout))
	rep.Outcome = txn.Queued
	rep.Message = msg
	rep.Lines = []txn.ResultLine{
		{Key: txn.LineAssistPlace, Label: "联系您的单位", Value: req.PlaceName},
		{Key: txn.LineAssistPlaceID, Label: "单位编号", Value: req.PlaceID},
		{Key: txn.LineAssistPhone, Label: "联系电话", Value: req.PlacePhone},
		{Key: txn.LineCallBy, Label: "最晚联系时间", Value: req.CallBy.Format(backend.CallByLayout)},
	}
	return rep, nil
}

// heartbeatHall is the hall the kiosk's last heartbeat named, "" when it
// has sent none.
func heartbeatHall(tx *bolt.Tx, kioskID string) string {
	var ks KioskState
	if v := tx.Bucket(bucketKiosks).Get([]byte(kioskID)); v == nil || json.Unmarshal(v, &ks) != nil {
		return ""
	}
	return ks.Heartbeat.HallID
}

func refused(msg string) error { return &errRefused{msg: msg} }

const (
	msgCallbackPhone = "请留下正确的手机号码（11位）或带区号的固定电话，工作人员会打这个电话给您回电。"
	msgVisitPhone    = "请留下正确的手机号码（11位）或带区号的固定电话，工作人员会打这个电话和您约定上门时间。"
)

func checkCallback(cat *catalog.Catalog, f map[string]string) error {
	if !backend.ValidAssistPhone(f["phone"]) {
		return refused(msgCallbackPhone)
	}
	if a := f["about"]; a != "" && cat.Service(a) == nil {
		return refused("没有找到您要咨询的事项，请重新选择。")
	}
	return nil
}

// checkHomeVisit judges a home-visit request's fields; asked is when the
// resident asked (their age is taken on that day). It returns the matter
// and the village station.
func checkHomeVisit(cat *catalog.Catalog, f map[string]string, p *txn.Person, asked time.Time) (*catalog.Service, catalog.Place, error) {
	none := catalog.Place{}
	if f["consent"] != "yes" {
		return nil, none, refused("请先确认同意工作人员使用您留下的姓名、电话和地址上门服务，再提交申请。")
	}
	if err := assistText(f["name"], backend.AssistMaxName, "请填写姓名。", "姓名太长，请检查后重新填写。"); err != nil {
		return nil, none, err
	}
	if !backend.ValidAssistPhone(f["phone"]) {
		return nil, none, refused(msgVisitPhone)
	}
	if err := assistText(f["address"], backend.AssistMaxAddress, "请填写详细地址（村、组、门牌号），方便工作人员上门。",
		"地址太长，请只写村、组和门牌号。"); err != nil {
		return nil, none, err
	}
	town, ok := cat.Place(f["township"])
	if !ok || town.Level != catalog.LevelTownship {
		return nil, none, refused("没有找到您选择的乡镇（街道），请重新选择。")
	}
	village, ok := cat.Place(f["village"])
	if !ok || village.Level != catalog.LevelVillage {
		return nil, none, refused("没有找到您选择的村（社区），请重新选择。")
	}
	if village.Township != town.ID {
		return nil, none, refused("您选择的村（社区）不属于" + town.Name + "，请重新选择乡镇（街道）和村（社区）。")
	}
	svc := cat.Service(f["for_service"])
	if svc == nil || !svc.HomeVisit {
		return nil, none, refused("这个事项暂时不能上门办理。您可以到村（社区）便民服务站或乡镇（街道）便民服务中心办理，或拨打" +
			cat.Hotline + "咨询。")
	}
	switch f["for_whom"] {
	case "self", "family":
	default:
		return nil, none, refused("请选择是为本人申请，还是为家人申请。")
	}
	switch f["reason"] {
	case "over60", "disabled":
	default:
		return nil, none, refused("请选择申请上门服务的原因：60周岁以上老人，或残疾人。")
	}
	// The card read is the applicant's: only for themselves is it the
	// age of the one who is visited.
	if f["reason"] == "over60" && f["for_whom"] == "self" && p != nil {
		if age, ok := backend.AgeOn(p.IDNumber, asked); ok && age < 60 {
			return nil, none, refused("上门服务面向60周岁以上老人和残疾人。您可以到村（社区）便民服务站或乡镇（街道）便民服务中心办理，" +
				"需要帮助可以拨打" + cat.Hotline + "。")
		}
	}
	return svc, village, nil
}

// assistText checks a free-text field: not blank, at most max characters, no
// control characters.
func assistText(v string, max int, blank, long string) error {
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		return refused(blank)
	case !utf8.ValidString(v) || utf8.RuneCountInString(v) > max:
		return refused(long)
	case strings.IndexFunc(v, unicode.IsControl) >= 0:
		return refused(blank)
	}
	return nil
}

// callbackPlace is who calls back: the hall's township centre by day, the
// county centre at night or when the hall has no township centre, the
// county hotline when the catalog names no county centre either.
func callbackPlace(cat *catalog.Catalog, hall string, night bool) (catalog.Place, string) {
	if !night {
		if p, ok := cat.HallTownship(hall); ok {
			return p, DeskTownshipDuty
		}
	}
	if p, ok := cat.CountyCentre(); ok {
		return p, DeskCountyOnCall
	}
	return catalog.Place{ID: DeskHotline, Name: cat.County + "政务服务便民热线", Phone: cat.Hotline}, DeskHotline
}

func (o AssistOpts) hours() (from, until time.Duration) {
	from, until = o.NightFrom, o.NightUntil
	if from <= 0 {
		from = DefaultNightFrom
	}
	if until <= 0 {
		until = DefaultNightUntil
	}
	return from, until
}

// callbackDue is when a callback that arrives at t will have been made,
// and whether t is night: 30 minutes by day; at night by NightUntil +
// 30 minutes of the coming morning.
func (o AssistOpts) callbackDue(t time.Time) (time.Time, bool) {
	from, until := o.hours()
	lt := t.In(catalog.Local())
	day := midnight(lt)
	since := lt.Sub(day)
	var night bool
	if from > until { // the night spans midnight (20:00–08:00)
		night = since >= from || since < until
	} else {
		night = since >= from && since < until
	}
	if !night {
		due := lt.Add(callbackWithin)
		if m := due.Truncate(time.Minute); !m.Equal(due) {
			due = m.Add(time.Minute) // a promise to the minute, never short of 30
		}
		return due, false
	}
	due := day.Add(until + nightCallbackAdd)
	if !due.After(lt) {
		due = day.AddDate(0, 0, 1).Add(until + nightCallbackAdd)
	}
	return due, true
}

// homeVisitDue is when the team will have called to arrange a home visit
// asked for at t: by 18:00 the same day when asked before 12:00 on a
// working day, else by 12:00 of the next working day (Monday to Friday;
// the simulator knows no public holidays).
func homeVisitDue(t time.Time) time.Time {
	lt := t.In(catalog.Local())
	day := midnight(lt)
	if working(day) && lt.Sub(day) < homeVisitNoon {
		return day.Add(homeVisitEvening)
	}
	next := day.AddDate(0, 0, 1)
	for !working(next) {
		next = next.AddDate(0, 0, 1)
	}
	return next.Add(homeVisitNoon)
}

func working(d time.Time) bool { return d.Weekday() != time.Saturday && d.Weekday() != time.Sunday }

func midnight(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// whenWords says a time the way a resident hears it: 今天18:00, 明天08:30,
// 后天12:00, or 3月9日（星期一）12:00 further on.
func whenWords(now, t time.Time) string {
	n, lt := midnight(now.In(catalog.Local())), t.In(catalog.Local())
	hm := lt.Format("15:04")
	switch midnight(lt) {
	case n:
		return "今天" + hm
	case n.AddDate(0, 0, 1):
		return "明天" + hm
	case n.AddDate(0, 0, 2):
		return "后天" + hm
	}
	return fmt.Sprintf("%d月%d日（星期%s）%s", lt.Month(), lt.Day(), []string{"日", "一", "二", "三", "四", "五", "六"}[lt.Weekday()], hm)
}

// AssistRequests lists the queue, one kiosk's when kioskID is not empty,
// in (kiosk, transaction id) order: each kiosk's oldest first.
func (s *Server) AssistRequests(kioskID string) ([]AssistRequest, error) {
	out := []AssistRequest{}
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketAssist).ForEach(func(_, v []byte) error {
			var r AssistRequest
			if err := json.Unmarshal(v, &r); err != nil {
				return err
			}
			if kioskID == "" || r.KioskID == kioskID {
				r.CallBy = r.CallBy.In(catalog.Local())
				out = append(out, r)
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("countysim: assist requests: %w", err)
	}
	return out, nil
}

// MarkAssistDone records that the place called the resident back (or
// visited) for request txID of kioskID (of any kiosk when kioskID is
// empty); marking it again changes nothing.
func (s *Server) MarkAssistDone(kioskID, txID string) (AssistRequest, error) {
	var out AssistRequest
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAssist)
		var key []byte
		if kioskID != "" {
			if b.Get(txKey(kioskID, txID)) != nil {
				key = txKey(kioskID, txID)
			}
		} else {
			b.ForEach(func(k, _ []byte) error {
				if key == nil && strings.HasSuffix(string(k), "\x00"+txID) {
					key = append([]byte(nil), k...)
				}
				return nil
			})
		}
		if key == nil {
			return errNotFound
		}
		if err := json.Unmarshal(b.Get(key), &out); err != nil {
			return err
		}
		if out.Status != AssistDone {
			out.Status, out.DoneAt = AssistDone, s.now().UTC()
		}
		nb, err := json.Marshal(out)
		if err != nil {
			return err
		}
		return b.Put(key, nb)
	})
	if err != nil {
		return AssistRequest{}, fmt.Errorf("countysim: assist done %s: %w", txID, err)
	}
	out.CallBy = out.CallBy.In(catalog.Local())
	return out, nil
}

func (s *Server) assistRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /sim/v1/assist", func(w http.ResponseWriter, r *http.Request) {
		l, err := s.AssistRequests(r.URL.Query().Get("kiosk"))
		if err != nil {
			problem(w, 500, "store", err.Error())
			return
		}
		writeJSON(w, 200, l)
	})
	mux.HandleFunc("POST /sim/v1/assist/{id}/done", func(w http.ResponseWriter, r *http.Request) {
		req, err := s.MarkAssistDone(r.URL.Query().Get("kiosk"), r.PathValue("id"))
		switch {
		case errors.Is(err, errNotFound):
			problem(w, 404, "not_found", "no such assist request")
		case err != nil:
			problem(w, 500, "store", err.Error())
		default:
			writeJSON(w, 200, req)
		}
	})
}
