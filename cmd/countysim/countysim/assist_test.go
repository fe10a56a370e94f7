package countysim_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/henan-county/kiosk/cmd/countysim/countysim"
	"github.com/henan-county/kiosk/kiosk/backend"
	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/identity"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// clock is a hand-set clock for the simulator.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// at is a county local time on 2026-03-0d (2 March 2026 is a Monday).
func at(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, catalog.Local()) }

type assistSim struct {
	s   *countysim.Server
	c   *backend.Client
	clk *clock
	hc  *http.Client // for the /sim/v1 endpoints, trusting the simulator's CA
}

// startAssist runs countysim with mutual TLS, a hand-set clock and the
// sample assist catalog published.
func startAssist(t *testing.T, dir string, o countysim.AssistOpts) *assistSim {
	t.Helper()
	pki, err := countysim.MintDevPKI(filepath.Join(dir, "pki"), []string{kiosk})
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: at(2, 10, 0)}
	opts := tlsOpts(filepath.Join(dir, "sim"), pki)
	opts.Now, opts.Assist = clk.Now, o
	s := start(t, opts)
	t.Cleanup(func() { s.Close() })
	if !s.HasCatalog() {
		data, err := countysim.SampleAssistCatalog()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Publish(data, "untrusted comment: test\n"); err != nil {
			t.Fatal(err)
		}
	}
	pem, err := os.ReadFile(pki.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(pem)
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}
	t.Cleanup(tr.CloseIdleConnections)
	return &assistSim{s: s, c: client(t, s, pki), clk: clk, hc: &http.Client{Transport: tr, Timeout: 5 * time.Second}}
}

// get fetches a /sim/v1 endpoint's JSON into v.
func (a *assistSim) get(t *testing.T, path string, v any) {
	t.Helper()
	resp, err := a.hc.Get(a.s.URL() + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d", path, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

func (a *assistSim) tx(service string, fields map[string]string) txn.Transaction {
	now := a.clk.Now()
	return txn.Transaction{ID: txn.NewID(now), KioskID: kiosk, ServiceID: service, ServiceKind: txn.KindAssist,
		CreatedAt: now, Fields: fields, Personal: []string{"phone", "name", "address"}}
}

func callback(phone, about string) map[string]string {
	return map[string]string{"phone": phone, "about": about, "hall": countysim.SampleHallBaisha}
}

func visit(mod func(map[string]string)) map[string]string {
	f := map[string]string{"name": "张秀英", "phone": "13812345678", "address": "东白沙村三组18号",
		"township": countysim.SampleBaisha, "village": countysim.SampleDongBaisha,
		"for_service": countysim.SampleVillageWork, "for_whom": "self", "reason": "over60", "consent": "yes"}
	if mod != nil {
		mod(f)
	}
	return f
}

// idBorn is a valid resident ID number of someone born on date (YYYYMMDD).
func idBorn(date string) string {
	first := "410122" + date + "123"
	return first + string(identity.CheckDigit(first))
}

func TestAssistRouting(t *testing.T) {
	a := startAssist(t, t.TempDir(), countysim.AssistOpts{})
	ctx := context.Background()
	for _, c := range []struct {
		name    string
		now     time.Time
		service string
		fields  map[string]string
		person  *txn.Person
		place   string
		callBy  string
		words   string
	}{
		{"callback by day to the hall's township", at(2, 10, 0), txn.AssistCallback, callback("13812345678", ""),
			nil, countysim.SampleBaisha, "2026-03-02 10:30", "白沙镇便民服务中心的工作人员将在30分钟内（今天10:30前）给您回电话"},
		{"callback at 19:59 still by day", at(2, 19, 59), txn.AssistCallback, callback("0371-62112345", countysim.SampleNoVisit),
			nil, countysim.SampleBaisha, "2026-03-02 20:29", "今天20:29前"},
		{"callback in the evening to the county", at(2, 20, 0), txn.AssistCallback, callback("13812345678", ""),
			nil, countysim.SampleCounty, "2026-03-03 08:30", "中牟县政务服务中心值班人员将在明天08:30前给您回电话"},
		{"callback before dawn to the county", at(3, 3, 15), txn.AssistCallback, callback("037162112345", ""),
			nil, countysim.SampleCounty, "2026-03-03 08:30", "今天08:30前"},
		{"callback without a township: the county", at(2, 11, 0), txn.AssistCallback,
			map[string]string{"phone": "13812345678", "about": "", "hall": "zwzx"},
			nil, countysim.SampleCounty, "2026-03-02 11:30", "30分钟内"},
		{"home visit, village-level matter, morning", at(2, 9, 0), txn.AssistHomeVisit, visit(nil),
			&txn.Person{CardType: identity.ResidentID, Name: "张秀英", IDNumber: idBorn("19560302")},
			countysim.SampleDongBaisha, "2026-03-02 18:00", "白沙镇东白沙村便民服务站的工作人员将在今天18:00前给您打电话"},
		{"home visit, township matter, afternoon", at(2, 15, 0), txn.AssistHomeVisit,
			visit(func(f map[string]string) { f["for_service"] = countysim.SampleTownWork; f["reason"] = "disabled" }),
			nil, countysim.SampleBaisha, "2026-03-03 12:00", "白沙镇便民服务中心的工作人员将在明天12:00前给您打电话"},
		{"home visit on Friday afternoon: Monday noon", at(6, 16, 0), txn.AssistHomeVisit, visit(func(f map[string]string) {
			f["township"], f["village"], f["for_whom"] = countysim.SampleHansi, countysim.SampleHansiVil, "family"
		}), &txn.Person{CardType: identity.ResidentID, Name: "李强", IDNumber: idBorn("19900101")},
			countysim.SampleHansiVil, "2026-03-09 12:00", "3月9日（星期一）12:00前"},
	} {
		t.Run(c.name, func(t *testing.T) {
			a.clk.Set(c.now)
			tx := a.tx(c.service, c.fields)
			tx.Person = c.person
			res, err := a.c.Submit(ctx, tx)
			if err != nil {
				t.Fatal(err)
			}
			if res.Outcome != txn.Queued || res.TrackingNo != txn.TrackingNo(kiosk, tx.ID) || !strings.Contains(res.Message, c.words) {
				t.Errorf("answer %+v, want queued with %q", res, c.words)
			}
			ans, err := backend.DecodeAssistAnswer(res)
			if err != nil {
				t.Fatal(err)
			}
			if ans.PlaceID != c.place || ans.CallBy.Format(backend.CallByLayout) != c.callBy || ans.Phone == "" {
				t.Errorf("routed to %+v, want %s by %s", ans, c.place, c.callBy)
			}
			l, err := a.s.AssistRequests(kiosk)
			if err != nil {
				t.Fatal(err)
			}
			var last countysim.AssistRequest
			for _, r := range l {
				if r.TxID == tx.ID {
					last = r
				}
			}
			if last.TxID != tx.ID || last.PlaceID != c.place || last.Ticket != res.TrackingNo ||
				last.Status != countysim.AssistQueued || last.CallBy.Format(backend.CallByLayout) != c.callBy {
				t.Errorf("queued %+v", last)
			}
			if strings.Contains(last.Phone, c.fields["phone"][3:7]) || (last.Name != "" && last.Name == c.fields["name"]) {
				t.Errorf("listing not masked: %+v", last)
			}
		})
	}
}

// A kiosk that sends no hall in the callback is routed by the hall its
// heartbeat names.
func TestAssistHallFromHeartbeat(t *testing.T) {
	a := startAssist(t, t.TempDir(), countysim.AssistOpts{})
	ctx := context.Background()
	if err := a.c.Heartbeat(ctx, backend.Heartbeat{KioskID: kiosk, HallID: countysim.SampleHallBaisha}); err != nil {
		t.Fatal(err)
	}
	res, err := a.c.Submit(ctx, a.tx(txn.AssistCallback, map[string]string{"phone": "13812345678", "about": ""}))
	if err != nil {
		t.Fatal(err)
	}
	if ans, err := backend.DecodeAssistAnswer(res); err != nil || ans.PlaceID != countysim.SampleBaisha {
		t.Fatalf("%+v %v", ans, err)
	}
}

// The night is a countysim option.
func TestAssistNightHours(t *testing.T) {
	a := startAssist(t, t.TempDir(), countysim.AssistOpts{NightFrom: 18 * time.Hour, NightUntil: 9 * time.Hour})
	a.clk.Set(at(2, 18, 30))
	res, err := a.c.Submit(context.Background(), a.tx(txn.AssistCallback, callback("13812345678", "")))
	if err != nil {
		t.Fatal(err)
	}
	ans, err := backend.DecodeAssistAnswer(res)
	if err != nil || ans.PlaceID != countysim.SampleCounty || ans.CallBy.Format(backend.CallByLayout) != "2026-03-03 09:30" {
		t.Fatalf("%+v %v", ans, err)
	}
}

func TestAssistRefusals(t *testing.T) {
	a := startAssist(t, t.TempDir(), countysim.AssistOpts{})
	young := &txn.Person{CardType: identity.ResidentID, Name: "王磊", IDNumber: idBorn("19660303")} // 60 tomorrow
	for _, c := range []struct {
		name    string
		service string
		fields  map[string]string
		person  *txn.Person
		words   string
	}{
		{"callback: bad mobile", txn.AssistCallback, callback("1381234567", ""), nil, "手机号码"},
		{"callback: landline without area code", txn.AssistCallback, callback("62112345", ""), nil, "手机号码"},
		{"callback: unknown matter", txn.AssistCallback, callback("13812345678", "no-such-matter"), nil, "没有找到您要咨询的事项"},
		{"visit: bad phone", txn.AssistHomeVisit, visit(func(f map[string]string) { f["phone"] = "12345" }), nil, "手机号码"},
		{"visit: no name", txn.AssistHomeVisit, visit(func(f map[string]string) { f["name"] = "  " }), nil, "请填写姓名"},
		{"visit: long address", txn.AssistHomeVisit, visit(func(f map[string]string) { f["address"] = strings.Repeat("村", 101) }), nil, "地址太长"},
		{"visit: unknown township", txn.AssistHomeVisit, visit(func(f map[string]string) { f["township"] = "zm-none" }), nil, "乡镇（街道）"},
		{"visit: unknown village", txn.AssistHomeVisit, visit(func(f map[string]string) { f["village"] = "zm-none" }), nil, "没有找到您选择的村（社区）"},
		{"visit: a township as village", txn.AssistHomeVisit, visit(func(f map[string]string) { f["village"] = countysim.SampleBaisha }), nil, "没有找到您选择的村（社区）"},
		{"visit: village not in the township", txn.AssistHomeVisit, visit(func(f map[string]string) { f["village"] = countysim.SampleHansiVil }), nil, "不属于白沙镇"},
		{"visit: matter without home visits", txn.AssistHomeVisit, visit(func(f map[string]string) { f["for_service"] = countysim.SampleNoVisit }), nil, "暂时不能上门办理"},
		{"visit: unknown matter", txn.AssistHomeVisit, visit(func(f map[string]string) { f["for_service"] = "" }), nil, "暂时不能上门办理"},
		{"visit: for whom", txn.AssistHomeVisit, visit(func(f map[string]string) { f["for_whom"] = "neighbour" }), nil, "为本人申请"},
		{"visit: reason", txn.AssistHomeVisit, visit(func(f map[string]string) { f["reason"] = "busy" }), nil, "原因"},
		{"visit: under 60 by the card", txn.AssistHomeVisit, visit(nil), young, "上门服务面向60周岁以上老人和残疾人"},
		{"visit: no consent", txn.AssistHomeVisit, visit(func(f map[string]string) { delete(f, "consent") }), nil, "请先确认同意"},
		{"visit: consent not yes", txn.AssistHomeVisit, visit(func(f map[string]string) { f["consent"] = "no" }), nil, "请先确认同意"},
		{"unknown assist service", "xmbb.other", callback("13812345678", ""), nil, "本机暂不支持"},
	} {
		t.Run(c.name, func(t *testing.T) {
			tx := a.tx(c.service, c.fields)
			tx.Person = c.person
			_, err := a.c.Submit(context.Background(), tx)
			var be *backend.Error
			if !errors.As(err, &be) || be.Status != http.StatusUnprocessableEntity || !be.Permanent ||
				!strings.Contains(be.ResidentMessage(), c.words) {
				t.Fatalf("got %v, want 422 refused saying %q", err, c.words)
			}
		})
	}
	// The one born 1966-03-03 is 60 on 3 March: the same request is taken
	// then (a refusal stores nothing, so it is judged again).
	a.clk.Set(at(3, 9, 0))
	tx := a.tx(txn.AssistHomeVisit, visit(nil))
	tx.Person = young
	if _, err := a.c.Submit(context.Background(), tx); err != nil {
		t.Fatalf("on the 60th birthday: %v", err)
	}
	// For a family member the card read is not the one visited's.
	tx = a.tx(txn.AssistHomeVisit, visit(func(f map[string]string) { f["for_whom"] = "family" }))
	tx.Person = &txn.Person{CardType: identity.ResidentID, Name: "王磊", IDNumber: idBorn("19900101")}
	if _, err := a.c.Submit(context.Background(), tx); err != nil {
		t.Fatalf("for family: %v", err)
	}
	if l, _ := a.s.AssistRequests(""); len(l) != 2 {
		t.Errorf("refusals queued something: %d requests", len(l))
	}
}

// A replay, after a restart too, answers the same ticket and routing and
// queues nothing more, even when the clock has moved into the night.
func TestAssistReplay(t *testing.T) {
	dir := t.TempDir()
	a := startAssist(t, dir, countysim.AssistOpts{})
	ctx := context.Background()
	tx := a.tx(txn.AssistCallback, callback("13812345678", ""))
	first, err := a.c.Submit(ctx, tx)
	if err != nil {
		t.Fatal(err)
	}
	a.s.Close()
	a = startAssist(t, dir, countysim.AssistOpts{})
	a.clk.Set(at(2, 23, 0))
	again, err := a.c.Submit(ctx, tx)
	if err != nil {
		t.Fatal(err)
	}
	fj, _ := json.Marshal(first)
	aj, _ := json.Marshal(again)
	if string(fj) != string(aj) {
		t.Errorf("replay answered\n%s\nfirst\n%s", aj, fj)
	}
	l, err := a.s.AssistRequests(kiosk)
	if err != nil || len(l) != 1 {
		t.Fatalf("%d queued, %v", len(l), err)
	}
	if st, _ := a.s.Transactions(); len(st) != 1 || st[0].Deliveries != 2 {
		t.Errorf("transactions %+v", st)
	}

	// Marked done through the sim endpoint, once.
	done := func() countysim.AssistRequest {
		resp, err := a.hc.Post(a.s.URL()+"sim/v1/assist/"+tx.ID+"/done?kiosk="+kiosk, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var r countysim.AssistRequest
		if resp.StatusCode != 200 || json.NewDecoder(resp.Body).Decode(&r) != nil {
			t.Fatalf("done: %d", resp.StatusCode)
		}
		return r
	}
	d1 := done()
	a.clk.Set(at(2, 23, 30))
	d2 := done()
	if d1.Status != countysim.AssistDone || !d2.DoneAt.Equal(d1.DoneAt) || !d1.DoneAt.Equal(at(2, 23, 0)) {
		t.Errorf("done %+v then %+v", d1, d2)
	}
	var view []countysim.AssistRequest
	a.get(t, "sim/v1/assist?kiosk="+kiosk, &view)
	if len(view) != 1 || view[0].Status != countysim.AssistDone || view[0].Phone != "138****5678" {
		t.Errorf("sim view %+v", view)
	}
	a.get(t, "sim/v1/assist?kiosk=another", &view)
	if len(view) != 0 {
		t.Errorf("another kiosk's view %+v", view)
	}
	resp, err := a.hc.Post(a.s.URL()+"sim/v1/assist/nosuch/done", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("unknown request marked: %d", resp.StatusCode)
	}
}

// 帮办模式: any transaction may say a staff member did it with the
// resident; countysim keeps and shows it, and refuses a bad one.
func TestAssisted(t *testing.T) {
	a := startAssist(t, t.TempDir(), countysim.AssistOpts{})
	now := a.clk.Now()
	ctx := context.Background()
	good := &txn.Assisted{StaffID: "ZM-BB-017", Consent: txn.ConsentSpoken, ConsentAt: now.Add(-2 * time.Minute)}
	tx := newTx()
	tx.Assisted = good
	if _, err := a.c.Submit(ctx, tx); err != nil {
		t.Fatal(err)
	}
	visitTx := a.tx(txn.AssistHomeVisit, visit(func(f map[string]string) { f["reason"] = "disabled" }))
	visitTx.Assisted = &txn.Assisted{StaffID: "ZM-BB-017", Consent: txn.ConsentSpoken, ConsentAt: now.Add(4 * time.Minute)}
	if _, err := a.c.Submit(ctx, visitTx); err != nil {
		t.Fatal(err)
	}
	var got []countysim.Received
	a.get(t, "sim/v1/transactions", &got)
	shown := 0
	for _, r := range got {
		if r.Assisted != nil && r.Assisted.StaffID == "ZM-BB-017" && r.Assisted.Consent == txn.ConsentSpoken {
			shown++
		}
	}
	if shown != 2 {
		t.Errorf("assisted shown on %d of %+v", shown, got)
	}
	if l, _ := a.s.AssistRequests(kiosk); len(l) != 1 || l[0].Assisted == nil || l[0].Assisted.StaffID != "ZM-BB-017" {
		t.Errorf("assist queue %+v", l)
	}
	for _, c := range []struct {
		name string
		a    txn.Assisted
	}{
		{"no staff", txn.Assisted{Consent: txn.ConsentSpoken, ConsentAt: now}},
		{"staff with a space", txn.Assisted{StaffID: "ZM 017", Consent: txn.ConsentSpoken, ConsentAt: now}},
		{"staff in Chinese", txn.Assisted{StaffID: "帮办员", Consent: txn.ConsentSpoken, ConsentAt: now}},
		{"staff too long", txn.Assisted{StaffID: strings.Repeat("a", 33), Consent: txn.ConsentSpoken, ConsentAt: now}},
		{"written consent", txn.Assisted{StaffID: "ZM-BB-017", Consent: "written", ConsentAt: now}},
		{"no consent", txn.Assisted{StaffID: "ZM-BB-017", ConsentAt: now}},
		{"no consent time", txn.Assisted{StaffID: "ZM-BB-017", Consent: txn.ConsentSpoken}},
		{"consent in the future", txn.Assisted{StaffID: "ZM-BB-017", Consent: txn.ConsentSpoken, ConsentAt: now.Add(6 * time.Minute)}},
	} {
		t.Run(c.name, func(t *testing.T) {
			tx := newTx()
			tx.Assisted = &c.a
			_, err := a.c.Submit(ctx, tx)
			var be *backend.Error
			if !errors.As(err, &be) || be.Status != 422 || !strings.Contains(be.ResidentMessage(), "帮办人员") {
				t.Fatalf("got %v, want 422", err)
			}
		})
	}
	if l, _ := a.s.Transactions(); len(l) != 2 {
		t.Errorf("refused ones stored: %d", len(l))
	}
}

// The simulator's own endpoints of the queue are in the contract.
func TestAssistContractCoversRoutes(t *testing.T) {
	doc, err := os.ReadFile("../../../kiosk/backend/api/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/sim/v1/assist:", "/sim/v1/assist/{id}/done:"} {
		if !strings.Contains(string(doc), "\n  "+p+"\n") {
			t.Errorf("openapi.yaml does not describe %s", strings.TrimSuffix(p, ":"))
		}
	}
}
