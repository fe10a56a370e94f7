package backend_test

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/henan-county/kiosk/cmd/countysim/countysim"
	"github.com/henan-county/kiosk/kiosk/backend"
	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/txn"
)

func TestAssistPhones(t *testing.T) {
	for _, c := range []struct {
		s              string
		mobile, landln bool
	}{
		{"13812345678", true, false},
		{"19912345678", true, false},
		{"12812345678", false, false},
		{"1381234567", false, false},
		{"0371-62112345", false, true},
		{"037162112345", false, true},
		{"010-6211234", false, true},
		{"01062112345", false, true},
		{"021-12345678", false, false}, // local numbers start 2-9
		{"0371-6211234567", false, false},
		{"0371-621", false, false},
		{"00371-6211234", false, false},
		{"62112345", false, false},
		{"0371 62112345", false, false},
		{"", false, false},
	} {
		if got := backend.ValidLandline(c.s); got != c.landln {
			t.Errorf("ValidLandline(%q) = %v", c.s, got)
		}
		if got := backend.ValidAssistPhone(c.s); got != (c.mobile || c.landln) {
			t.Errorf("ValidAssistPhone(%q) = %v", c.s, got)
		}
	}
}

func TestCheckAssisted(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, catalog.Local())
	for _, c := range []struct {
		name string
		a    *txn.Assisted
		want error
	}{
		{"none", nil, nil},
		{"good", &txn.Assisted{StaffID: "ZM-BB-017", Consent: "spoken", ConsentAt: now.Add(-time.Hour)}, nil},
		{"within skew", &txn.Assisted{StaffID: "a", Consent: "spoken", ConsentAt: now.Add(backend.AssistClockSkew)}, nil},
		{"beyond skew", &txn.Assisted{StaffID: "a", Consent: "spoken", ConsentAt: now.Add(backend.AssistClockSkew + time.Second)}, backend.ErrAssistedTime},
		{"no time", &txn.Assisted{StaffID: "a", Consent: "spoken"}, backend.ErrAssistedTime},
		{"no staff", &txn.Assisted{Consent: "spoken", ConsentAt: now}, backend.ErrAssistedStaff},
		{"staff underscore", &txn.Assisted{StaffID: "zm_017", Consent: "spoken", ConsentAt: now}, backend.ErrAssistedStaff},
		{"staff 32", &txn.Assisted{StaffID: strings.Repeat("A", 32), Consent: "spoken", ConsentAt: now}, nil},
		{"staff 33", &txn.Assisted{StaffID: strings.Repeat("A", 33), Consent: "spoken", ConsentAt: now}, backend.ErrAssistedStaff},
		{"nodded", &txn.Assisted{StaffID: "a", Consent: "nodded", ConsentAt: now}, backend.ErrAssistedConsent},
	} {
		if err := backend.CheckAssisted(c.a, now); !errors.Is(err, c.want) || (c.want == nil) != (err == nil) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
}

func TestAgeOn(t *testing.T) {
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 23, 59, 0, 0, catalog.Local()) }
	for _, c := range []struct {
		id   string
		at   time.Time
		age  int
		isOK bool
	}{
		{"410122196603031234", day(2026, 3, 2), 59, true},
		{"410122196603031234", day(2026, 3, 3), 60, true},
		// 16:30 UTC on 2 March is 00:30 on 3 March in the county.
		{"410122196603031234", time.Date(2026, 3, 2, 16, 30, 0, 0, time.UTC), 60, true},
		{"41012219600229123X", day(2020, 2, 28), 59, true},
		{"41012219600229123X", day(2020, 2, 29), 60, true},
		{"41012219600229123X", day(2021, 2, 28), 60, true},
		{"41012219610229123X", day(2026, 3, 1), 0, false}, // no 29 February in 1961
		{"410122199013011234", day(2026, 3, 1), 0, false},
		{"410122203001011234", day(2026, 3, 1), 0, false}, // born in the future
		{"41012219660303123", day(2026, 3, 3), 0, false},
		{"", day(2026, 3, 3), 0, false},
	} {
		age, ok := backend.AgeOn(c.id, c.at)
		if age != c.age || ok != c.isOK {
			t.Errorf("AgeOn(%s, %s) = %d %v, want %d %v", c.id, c.at, age, ok, c.age, c.isOK)
		}
	}
}

func assistResult(lines ...txn.ResultLine) txn.Result {
	return txn.Result{TxID: "x", Outcome: txn.Queued, TrackingNo: "K7QH2M4X", Lines: lines}
}

func TestDecodeAssistAnswer(t *testing.T) {
	place := txn.ResultLine{Key: txn.LineAssistPlace, Label: "联系您的单位", Value: "白沙镇便民服务中心"}
	id := txn.ResultLine{Key: txn.LineAssistPlaceID, Label: "单位编号", Value: "zm-bsz"}
	phone := txn.ResultLine{Key: txn.LineAssistPhone, Label: "联系电话", Value: "0371-62345678"}
	by := txn.ResultLine{Key: txn.LineCallBy, Label: "最晚联系时间", Value: "2026-03-03 12:00"}
	for _, c := range []struct {
		name string
		res  txn.Result
		err  string
	}{
		{"full", assistResult(place, id, phone, by, txn.ResultLine{Key: "accept_no", Value: "K7QH2M4X"}), ""},
		{"no phone", assistResult(place, id, by), ""},
		{"hotline", assistResult(place, id, txn.ResultLine{Key: txn.LineAssistPhone, Value: "0371-12345"}, by), ""},
		{"no place", assistResult(id, phone, by), "no assist_place"},
		{"no place id", assistResult(place, phone, by), "no assist_place_id"},
		{"no call_by", assistResult(place, id, phone), "call_by"},
		{"seconds in call_by", assistResult(place, id, txn.ResultLine{Key: txn.LineCallBy, Value: "2026-03-03 12:00:00"}), "call_by"},
		{"twice", assistResult(place, place, id, by), "twice"},
		{"bad phone", assistResult(place, id, txn.ResultLine{Key: txn.LineAssistPhone, Value: "call us"}, by), "not a phone"},
		{"completed", txn.Result{Outcome: txn.Completed, Lines: []txn.ResultLine{place, id, by}}, "want queued"},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, err := backend.DecodeAssistAnswer(c.res)
			switch {
			case c.err != "":
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("%v, want %q", err, c.err)
				}
			case err != nil:
				t.Fatal(err)
			case a.Place != place.Value || a.PlaceID != id.Value ||
				!a.CallBy.Equal(time.Date(2026, 3, 3, 12, 0, 0, 0, catalog.Local())):
				t.Fatalf("%+v", a)
			}
		})
	}
}

// FuzzDecodeAssistAnswer: any reply the submit decoder takes is either
// refused by the assist decoder or read into a routing whose call-by time
// writes back as the line said.
func FuzzDecodeAssistAnswer(f *testing.F) {
	f.Add(`{"tx_id":"x","outcome":"queued","tracking_no":"K7QH2M4X","lines":[{"key":"assist_place","label":"a","value":"白沙镇便民服务中心"},{"key":"assist_place_id","label":"b","value":"zm-bsz"},{"key":"assist_phone","label":"c","value":"0371-62345678"},{"key":"call_by","label":"d","value":"2026-03-03 12:00"}]}`)
	f.Add(`{"outcome":"queued","tracking_no":"K","lines":[{"key":"call_by","label":"","value":"2026-02-30 25:00"}]}`)
	f.Add(`{"outcome":"completed","tracking_no":"K","lines":[]}`)
	f.Fuzz(func(t *testing.T, body string) {
		res, err := backend.DecodeSubmitReply("submit", 200, "application/json", []byte(body), 0)
		if err != nil {
			return
		}
		a, err := backend.DecodeAssistAnswer(res)
		if err != nil {
			return
		}
		if a.Place == "" || a.PlaceID == "" {
			t.Fatalf("accepted without a place: %+v", a)
		}
		for _, l := range res.Lines {
			if l.Key == txn.LineCallBy && a.CallBy.Format(backend.CallByLayout) != l.Value {
				t.Fatalf("call_by %q read as %s", l.Value, a.CallBy)
			}
		}
	})
}

// TestAssistContract: what a kiosk sends for 小牟帮办 and 帮办模式 and
// what the real countysim answers and lists are what the contract says.
func TestAssistContract(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromFile(filepath.Join("api", "openapi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	conforms := func(schema string, v any) {
		t.Helper()
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var x any
		if err := json.Unmarshal(b, &x); err != nil {
			t.Fatal(err)
		}
		if err := doc.Components.Schemas[schema].Value.VisitJSON(x); err != nil {
			t.Errorf("%s does not match the contract's %s: %v", b, schema, err)
		}
	}
	e := newEnv(t, countysim.Faults{})
	data, err := countysim.SampleAssistCatalog()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.sim.Publish(data, "untrusted comment: test\n"); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	staff := &txn.Assisted{StaffID: "ZM-BB-017", Consent: txn.ConsentSpoken, ConsentAt: now.Add(-time.Minute)}
	callback := txn.Transaction{ID: txn.NewID(now), KioskID: kiosk, ServiceID: txn.AssistCallback, ServiceKind: txn.KindAssist,
		CreatedAt: now, Fields: map[string]string{"phone": "0371-62112345", "about": countysim.SampleNoVisit, "hall": countysim.SampleHallBaisha},
		Personal: []string{"phone"}}
	visit := txn.Transaction{ID: txn.NewID(now.Add(time.Millisecond)), KioskID: kiosk, ServiceID: txn.AssistHomeVisit,
		ServiceKind: txn.KindAssist, CreatedAt: now, Assisted: staff, Personal: []string{"name", "phone", "address"},
		Fields: map[string]string{"name": "张秀英", "phone": "13812345678", "address": "东白沙村三组18号",
			"township": countysim.SampleBaisha, "village": countysim.SampleDongBaisha, "for_service": countysim.SampleTownWork,
			"for_whom": "family", "reason": "disabled", "consent": "yes"}}
	conforms("AssistCallbackFields", callback.Fields)
	conforms("AssistHomeVisitFields", visit.Fields)
	for _, tx := range []txn.Transaction{callback, visit} {
		conforms("Submission", backend.Submission{Transaction: tx, TrackingNo: txn.TrackingNo(kiosk, tx.ID)})
		res, err := e.cl.Submit(context.Background(), tx)
		if err != nil {
			t.Fatal(err)
		}
		conforms("Reply", backend.ReplyFromResult(res))
		if _, err := backend.DecodeAssistAnswer(res); err != nil {
			t.Error(err)
		}
	}
	// A refusal is a problem the resident can read.
	bad := visit
	bad.ID, bad.Fields = txn.NewID(now.Add(2*time.Millisecond)), map[string]string{"consent": "yes"}
	_, err = e.cl.Submit(context.Background(), bad)
	var be *backend.Error
	if !errors.As(err, &be) || be.Status != 422 || be.Reason != "refused" || be.ResidentMessage() == "" {
		t.Errorf("refusal: %v", err)
	}

	l, err := e.sim.AssistRequests(kiosk)
	if err != nil || len(l) != 2 {
		t.Fatalf("queue %+v %v", l, err)
	}
	for _, r := range l {
		conforms("AssistRequest", r)
	}
	got, err := e.sim.Transactions()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range got {
		conforms("Received", r)
	}
	for _, p := range []string{"/sim/v1/assist", "/sim/v1/assist/{id}/done"} {
		if doc.Paths.Find(p) == nil {
			t.Errorf("the contract lacks %s", p)
		}
	}
}
