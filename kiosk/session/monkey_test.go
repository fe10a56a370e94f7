package session

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/payment"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// TestMonkey sends 100,000 random events in rounds: resident actions that
// make sense for the screen (and some that do not), device and daemon
// events, and ticks. After each round input stops: the kiosk must be back
// on the attract screen within its longest timeout chain, with nothing
// personal left.
func TestMonkey(t *testing.T) {
	const rounds, perRound = 20, 5000
	rng := rand.New(rand.NewPCG(7, 11))
	h := newHarness(t)
	ids := []string{"ss-record", "ss-record", "tax-cert", "subsidy", "fund-query", "tax-cert", "old-card", "guide-only", "pension-pay", "pension-pay", "pension-check", "pension-check", "nope", ""}
	cats := []string{"social", "civil", "tax", "x"}
	states := []devices.State{devices.Online, devices.Offline, devices.UserError, devices.Busy, devices.Starting}
	var pendingTx string
	var pendingPrint, pendingSMS, pendingIDCode bool
	var pendingDoc, pendingA4, pendingPay, payTx, refundTx string
	var pendingCam, camOn bool
	var pendingStaff string
	var callOn bool // a PlaceCall not yet followed by an EndCall or the call's end
	var pendingFace int
	a4Page := 0
	visited := map[Screen]int{}
	values := []string{testPhone, "1", "3", "", "abc", testChild, "6217000012345678", "2024-01-01", "12.5", "\x00\xff坏", testAddress}
	for round := 0; round < rounds; round++ {
		if round%2 == 1 {
			// Random residents seldom get a print matter through, so every
			// other round starts with one whose proof is being fetched.
			clear(h.devs)
			h.m.Handle(Maintenance{On: false})
			for _, ev := range []Event{CloseHelp{}, Start{}, ChooseService{"ss-record"}, Start{}, CardPresent{testCard()}, ConfirmIdentity{},
				FieldInput{"phone", testPhone}, FieldInput{"years", "1"}, Submit{}, Submit{}} {
				for _, e := range h.m.Handle(ev) {
					if st, ok := e.(SubmitTx); ok {
						pendingTx = st.Tx.ID
					}
				}
			}
			if pendingTx != "" {
				for _, e := range h.m.Handle(Submitted{Result: txn.Result{TxID: pendingTx, Outcome: txn.Completed, TrackingNo: "T1"}}) {
					if f, ok := e.(FetchDocument); ok {
						pendingDoc = f.TxID
					}
				}
				pendingTx = ""
			}
			if h.m.Screen() != ScreenDocument {
				t.Fatalf("round %d: a print matter did not reach its document: %s", round, h.m.Screen())
			}
		}
		if round%4 == 2 {
			// And every fourth round a payment matter waiting for its order.
			clear(h.devs)
			h.m.Handle(Maintenance{On: false})
			for _, ev := range []Event{CloseHelp{}, Cancel{}, Start{}, ChooseService{"pension-pay"}, Start{}, CardPresent{testCard()}, ConfirmIdentity{},
				FieldInput{"grade", "500"}, Submit{}, Submit{}} {
				for _, e := range h.m.Handle(ev) {
					if op, ok := e.(OpenPayment); ok {
						pendingPay = op.Tx.ID
					}
				}
			}
			if h.m.Screen() != ScreenPayment {
				t.Fatalf("round %d: a payment matter did not reach its payment: %s", round, h.m.Screen())
			}
		}
		for i := 0; i < perRound; i++ {
			var ev Event
			v := h.m.View()
			switch r := rng.IntN(100); {
			case r < 5 && pendingTx != "":
				res := txn.Result{TxID: pendingTx, Outcome: []txn.Outcome{txn.Completed, txn.Completed, txn.Queued, txn.Rejected, txn.Unreached}[rng.IntN(5)],
					TrackingNo: "T1", Lines: []txn.ResultLine{{Label: "姓名", Value: testName}}}
				var err error
				if rng.IntN(4) == 0 {
					err = errors.New("backend: unreachable")
				}
				ev, pendingTx = Submitted{Result: res, Err: err}, ""
			case r < 10 && pendingDoc != "":
				faults := []DocFault{FaultNone, FaultNone, FaultNone, FaultRefused, FaultUnreached}
				f := faults[rng.IntN(len(faults))]
				e := DocumentFetched{TxID: pendingDoc, Fault: f}
				if f == FaultNone || rng.IntN(3) == 0 {
					e.Doc = &Document{Title: "证明", Pages: 1 + rng.IntN(4), VerificationCode: "ZM7Q", Preview: testPreview()}
				}
				if rng.IntN(10) == 0 {
					e.TxID = "stale"
				}
				ev, pendingDoc = e, ""
			case r < 15 && pendingA4 != "":
				if rng.IntN(2) == 0 {
					a4Page++
					ev = A4Progress{TxID: pendingA4, Page: a4Page, Pages: 3}
					break
				}
				faults := []DocFault{FaultNone, FaultNone, FaultPaperOut, FaultJam, FaultOffline, FaultFailed}
				ev, pendingA4, a4Page = A4Printed{TxID: pendingA4, Fault: faults[rng.IntN(len(faults))]}, "", 0
			case r < 13 && pendingPay != "":
				errs := []PayErr{PayErrNone, PayErrNone, PayErrNone, PayErrUnreached, PayErrNothing, PayErrMismatch}
				e := PaymentOpened{TxID: pendingPay, Err: errs[rng.IntN(len(errs))]}
				if e.Err == PayErrNone {
					e.Order = &PayOrder{OrderNo: "ZMP20261202000001", Step: payment.StepOpen, Amount: 50000, Payee: "中牟县社会保险中心",
						Item: "城乡居民养老保险费", QRURL: "https://pay.example.cn/q/1"}
				}
				ev, payTx, pendingPay = e, pendingPay, ""
			case r < 17 && payTx != "":
				steps := []payment.Step{payment.StepOpen, payment.StepPaying, payment.StepPaid, payment.StepPaid, payment.StepFailed, payment.StepCancelled}
				e := PaymentUpdate{TxID: payTx, Order: &PayOrder{OrderNo: "ZMP20261202000001", Step: steps[rng.IntN(len(steps))], Amount: 50000,
					Payee: "中牟县社会保险中心", Item: "城乡居民养老保险费", Failure: "余额不足"}}
				if rng.IntN(4) == 0 {
					e.Order, e.Err = nil, errors.New("backend: unreachable")
				}
				ev = e
			case r < 19 && refundTx != "":
				e := PaymentRefunded{TxID: refundTx, Order: &PayOrder{OrderNo: "ZMP20261202000001", Step: payment.StepRefunded, Amount: 50000, RefundNo: "ZMR1"}}
				if rng.IntN(3) == 0 {
					e.Order, e.Err = nil, errors.New("backend: unreachable")
				}
				ev, refundTx = e, ""
			case r < 20 && pendingStaff != "" && rng.IntN(2) == 0:
				ev = StaffChecked{ID: pendingStaff, Err: []StaffErr{StaffOK, StaffOK, StaffWrong, StaffLocked}[rng.IntN(4)], Wait: "5分钟"}
				pendingStaff = ""
			case r < 20 && callOn && rng.IntN(2) == 0:
				e := []CallUpdate{{Answered: true}, {Ended: true, Reason: "hangup"}, {Ended: true, Reason: "busy"}, {Ended: true, Reason: "failed"}}[rng.IntN(4)]
				if e.Ended {
					callOn = false
				}
				ev = e
			case r < 20 && pendingCam:
				var err error
				if rng.IntN(5) == 0 {
					err = errors.New("camera: gone")
				}
				ev, pendingCam = CameraStarted{Err: err}, false
			case r < 21 && pendingFace > 0:
				e := FaceChecked{Attempt: pendingFace, Result: []FaceResult{FaceResultPassed, FaceResultPassed, FaceResultPoorQuality,
					FaceResultNotAlive, FaceResultNotSame}[rng.IntN(5)], Message: "人脸核验未通过", VerificationID: "FV3A9C0B1D2E"}
				if rng.IntN(6) == 0 {
					e.Err = []FaceErr{FaceErrCamera, FaceErrUnreached, FaceErrRefused}[rng.IntN(3)]
				}
				if rng.IntN(10) == 0 {
					e.Attempt++ // a stale answer
				}
				ev, pendingFace = e, 0
			case r < 22:
				ev = Scanned{Text: []string{"134567890123456789", "garbage", "", "28765432109876543210", "https://zwfw.example.cn/t/K7QH2M4X", eidCode}[rng.IntN(6)]}
			case r < 23 && pendingIDCode:
				e := IdentityVerified{Refusal: []IDCodeRefusal{IDCodeAccepted, IDCodeAccepted, IDCodeExpired, IDCodeUsed, IDCodeInvalid, IDCodeUnreached}[rng.IntN(6)]}
				if e.Refusal == IDCodeAccepted || rng.IntN(5) == 0 {
					e.Card = codeCard()
				}
				ev, pendingIDCode = e, false
			case r < 25:
				ev = h.clk.add(time.Duration(rng.IntN(12000)) * time.Millisecond)
			case r < 30:
				ev = CardPresent{testCard()}
			case r < 33:
				ev = CardRemoved{}
			case r < 34:
				ev = CardPresence{[]CardState{CardAbsent, CardOnReader, CardUnknown}[rng.IntN(3)]}
			case r < 36:
				h.devs[[]devices.Kind{devices.KindIDCard, devices.KindPrinter, devices.KindBackend, devices.KindA4}[rng.IntN(4)]] = states[rng.IntN(len(states))]
				ev = DevicesChanged{}
			case r < 37:
				ev = HelpButton{}
			case r < 38:
				ev = Presence{}
			case r < 39:
				ev = Maintenance{On: rng.IntN(4) == 0, Until: h.clk.t.Add(time.Duration(rng.IntN(48)) * time.Hour)}
			case r < 46 && pendingPrint:
				var err error
				switch rng.IntN(3) {
				case 0:
					err = errors.New("escpos: paper out")
				case 1:
					err = errors.New("escpos: timeout")
				}
				ev, pendingPrint = Printed{Err: err}, false
			case r < 47 && pendingSMS:
				var err error
				if rng.IntN(2) == 0 {
					err = ErrNoSMS
				}
				ev, pendingSMS = SMSSent{Err: err}, false
			default:
				ev = randomAction(rng, v, ids, cats, values)
			}
			fx := h.m.Handle(ev)
			visited[h.m.Screen()]++
			for _, e := range fx {
				switch e := e.(type) {
				case SubmitTx:
					pendingTx = e.Tx.ID

				case Print:
					pendingPrint = true
				case VerifyIdentityCode:
					pendingIDCode = true
				case SendSMS:
					pendingSMS = true
				case FetchDocument:
					pendingDoc = e.TxID
				case OpenPayment:
					pendingPay = e.Tx.ID
				case RefundPayment:
					refundTx = e.TxID
				case ChargePayment:
					if e.Code == "" {
						t.Fatal("charged without a code")
					}
				case PrintA4:
					pendingA4, a4Page = e.TxID, 0
				case CheckStaff:
					pendingStaff = e.ID
				case PlaceCall:
					if callOn {
						t.Fatal("a second call placed during a call")
					}
					callOn = true
				case EndCall:
					callOn = false
				case StartCamera:
					if camOn {
						t.Fatal("camera started twice")
					}
					camOn, pendingCam = true, true
				case StopCamera:
					if !camOn {
						t.Fatal("camera stopped while off")
					}
					camOn, pendingCam = false, false
				case CheckFace:
					if !camOn || e.IDNumber == "" || e.Key == "" {
						t.Fatalf("face check without the camera or the card: %+v", e.Attempt)
					}
					pendingFace = e.Attempt
				case SessionEnded:
					assertNoPersonal(t, h.m)
				}
			}
		}
		// Input stops. Maintenance ends (a technician leaves); only time passes.
		h.m.Handle(Maintenance{On: false})
		bound := DefaultTimeouts.Submit + DefaultTimeouts.Print + 2*(120*time.Second+DefaultTimeouts.Warning) + DefaultTimeouts.Done + 10*time.Second +
			DefaultTimeouts.Fetch + DefaultTimeouts.A4Page
		var waited time.Duration
		for h.m.Screen() != ScreenAttract && h.m.Screen() != ScreenOutOfService {
			if waited > bound {
				t.Fatalf("round %d: stuck on %s (%+v)", round, h.m.Screen(), h.m.View())
			}
			for _, e := range h.m.Handle(h.clk.add(time.Second)) {
				if _, ok := e.(EndCall); ok {
					callOn = false // a call nobody answered, given up while waiting
				}
			}
			waited += time.Second
		}
		assertNoPersonal(t, h.m)
		if camOn {
			t.Fatalf("round %d: the camera is still on at %s", round, h.m.Screen())
		}
		if v := h.m.View(); callOn && (v.Help == nil || v.Help.Call == nil) {
			t.Fatalf("round %d: a call is on but not on the screen (%s)", round, h.m.Screen())
		}
		callOn = false
		// Voice settings come back to the defaults at the latest a minute
		// after the last touch.
		for range 61 {
			h.m.Handle(h.clk.add(time.Second))
		}
		if v := h.m.View(); v.VolumeLevel != DefaultVolumeLevel || !v.Voice || v.Pinyin != "" {
			t.Fatalf("round %d: voice settings or pinyin kept: %+v", round, v)
		}
		pendingTx, pendingPrint, pendingSMS, pendingDoc, pendingA4, pendingIDCode = "", false, false, "", "", false
		pendingPay, payTx, refundTx = "", "", ""
		pendingCam, pendingFace = false, 0
	}
	for _, s := range Screens {
		if s != ScreenOutOfService && visited[s] == 0 {
			t.Errorf("monkey never reached %s: %v", s, visited)
		}
	}
	t.Logf("screens visited: %v", visited)
}

func randomAction(rng *rand.Rand, v View, ids, cats, values []string) Event {
	pick := func(s []string) string { return s[rng.IntN(len(s))] }
	if v.Timeout != nil && rng.IntN(3) == 0 {
		return Continue{}
	}
	if v.Help != nil && rng.IntN(2) == 0 {
		return []Event{CloseHelp{}, CloseHelp{}, CallDesk{}, HangUp{}, RequestCallback{}, RequestHomeVisit{}, OpenStaffMode{}}[rng.IntN(7)]
	}
	// Mostly actions the screen offers, sometimes anything at all.
	switch v.Screen {
	case ScreenAttract:
		return []Event{Start{}, ToggleElder{}, Help{}, VolumeUp{}, ToggleVoice{}}[rng.IntN(5)]
	case ScreenHome:
		if len(v.Popular) > 0 && rng.IntN(3) == 0 {
			return ChooseService{v.Popular[rng.IntN(len(v.Popular))].ID}
		}
		return []Event{ChooseCategory{pick(cats)}, ChooseService{pick(ids)}, OpenSearch{}, ToggleElder{}, Help{}, Cancel{},
			VolumeDown{}, ToggleVoice{}}[rng.IntN(8)]
	case ScreenSearch:
		if len(v.Services) > 0 && rng.IntN(3) == 0 {
			return ChooseService{v.Services[0].ID}
		}
		return []Event{SearchKey{rune('a' + rng.IntN(26))}, SearchKey{'!'}, SearchBackspace{}, Back{}, Home{}}[rng.IntN(5)]
	case ScreenGuide:
		return []Event{Start{}, Start{}, Back{}, Home{}, Cancel{}}[rng.IntN(5)]
	case ScreenIdentify:
		return []Event{ConfirmIdentity{}, ConfirmIdentity{}, Back{}, Home{}, Cancel{}}[rng.IntN(5)]
	case ScreenForm:
		// Often a resident who fills the form in properly.
		for _, f := range v.Form {
			good := map[string]string{"phone": testPhone, "years": "1", "bank": "6217000012345678"}[f.ID]
			if good != "" && f.Value != good && rng.IntN(2) == 0 {
				return FieldInput{f.ID, good}
			}
		}
		if len(v.Candidates) > 0 && rng.IntN(3) == 0 {
			return PickCandidate{v.Candidates[rng.IntN(len(v.Candidates))]}
		}
		if rng.IntN(3) == 0 {
			return []Event{FieldFocus{"addr"}, PinyinKey{rune('a' + rng.IntN(26))}, PinyinKey{rune('a' + rng.IntN(26))},
				PinyinBackspace{}, CandidatePage{rng.IntN(80) - 5}}[rng.IntN(5)]
		}
		if len(v.Form) > 0 && rng.IntN(2) == 0 {
			f := v.Form[rng.IntN(len(v.Form))].ID
			if rng.IntN(4) == 0 {
				return DateDigits{f, pick([]string{"19530315", "1953", "20230229", "x1"})}
			}
			return FieldInput{f, pick(values)}
		}
		return []Event{Submit{}, Submit{}, Back{}, FieldFocus{"phone"}, Cancel{}}[rng.IntN(5)]
	case ScreenFace:
		return []Event{FaceBegin{}, FaceBegin{}, FaceBegin{}, Continue{}, Finish{}, Back{}, Home{}, Cancel{}, RequestHomeVisit{}}[rng.IntN(9)]
	case ScreenStaffPIN:
		return []Event{FieldInput{StaffIDField, "0101"}, FieldInput{StaffPINField, pick([]string{"2468", "12", "x"})}, Submit{}, Submit{}, Back{}}[rng.IntN(5)]
	case ScreenConsent:
		return []Event{Continue{}, Continue{}, Back{}}[rng.IntN(3)]
	case ScreenElsewhere:
		return []Event{RequestHomeVisit{}, Back{}, Home{}, Help{}, Cancel{}}[rng.IntN(5)]
	case ScreenConfirm:
		return []Event{Submit{}, Submit{}, Submit{}, Back{}, Cancel{}}[rng.IntN(5)]
	case ScreenResult, ScreenPrinting:
		return []Event{Continue{}, Finish{}, Home{}, Retry{}, Reprint{}, RequestSMS{}}[rng.IntN(6)]
	case ScreenDocument:
		return []Event{PrintDocument{}, PrintDocument{}, ReprintDocument{}, Continue{}, Home{}, Cancel{}, Back{}}[rng.IntN(7)]
	case ScreenRating:
		return []Event{Rate{rng.IntN(7)}, SkipRating{}}[rng.IntN(2)]
	case ScreenDone:
		return []Event{Finish{}, Continue{}, Help{}}[rng.IntN(3)]
	}
	all := []Event{Start{}, ChooseCategory{pick(cats)}, ChooseService{pick(ids)}, OpenSearch{}, Back{}, Home{},
		Help{}, CloseHelp{}, Continue{}, ToggleElder{}, SearchKey{'x'}, SearchBackspace{}, FieldFocus{pick(ids)},
		FieldInput{pick(ids), pick(values)}, ConfirmIdentity{}, Submit{}, Rate{3}, SkipRating{}, Finish{}, Cancel{}}
	return all[rng.IntN(len(all))]
}
