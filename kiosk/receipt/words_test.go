package receipt_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/cmd/countysim/countysim"
	"github.com/henan-county/kiosk/kiosk/backend"
	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/identity"
	"github.com/henan-county/kiosk/kiosk/mask"
	"github.com/henan-county/kiosk/kiosk/receipt"
	"github.com/henan-county/kiosk/kiosk/receipt/receipttest"
	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// The resident of the simulated reader, whose number a certificate once
// printed in full.
var (
	fullName = "王建国"
	fullID   = "410122195603151231"
	fullCard = identity.Card{Type: identity.ResidentID, Name: fullName, Sex: "男", IDNumber: fullID,
		IDNumberValid: true, Address: "河南省郑州市中牟县城关镇建设路88号", LongTerm: true,
		Birth: time.Date(1956, 3, 15, 0, 0, 0, 0, time.UTC)}
	// Any 18-character ID number, masked or not, is checked against this.
	idShaped = regexp.MustCompile(`[0-9]{17}[0-9X]`)
)

// checkWords fails on any English word on the slip: codes (the tracking
// number, the kiosk id, document numbers) are the only Latin letters.
func checkWords(t *testing.T, name string, d receipt.Doc, tracking string, codes ...string) {
	t.Helper()
	codes = append(codes, tracking, receipt.GroupTracking(tracking))
	for _, e := range d.Elems {
		if e.Kind != receipt.Text {
			continue
		}
		if w := session.LatinWords(e.Text, codes...); len(w) > 0 {
			t.Errorf("%s: %q prints %q", name, e.Text, w)
		}
	}
}

// TestReceiptsInChinese: every slip the kiosk prints, in every outcome and
// mode, says everything in Chinese.
func TestReceiptsInChinese(t *testing.T) {
	for _, elder := range []bool{false, true} {
		for _, out := range []txn.Outcome{txn.Completed, txn.Queued, txn.Rejected, txn.Unreached, ""} {
			in := receipttest.Input(elder)
			in.Result.Outcome = out
			in.Result.Message = "认证成功"
			d, err := receipt.Compose(in)
			if err != nil {
				t.Fatal(err)
			}
			checkWords(t, string(out), d, in.Result.TrackingNo)
			checkWords(t, "reprint", receipt.Reprint(d, in.Time), in.Result.TrackingNo)
		}
	}
	if w := session.LatinWords(receipt.IncompleteMessage("0371-12345")); len(w) > 0 {
		t.Errorf("paper-out message says %q", w)
	}
}

// TestDefaultCatalogSlips composes the slip of every matter of the default
// catalog with the simulated backend's answer (which, like a real one,
// names the resident in full in a printed certificate): no slip carries a
// full ID number or the full name, none prints the applicant twice, and
// none has a word of English or an internal matter id.
func TestDefaultCatalogSlips(t *testing.T) {
	c, err := catalog.Parse(catalog.DefaultJSON())
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 26, 10, 30, 0, 0, time.UTC)
	prints := 0
	for i := range c.Services {
		svc := &c.Services[i]
		tx := txn.Transaction{ID: txn.NewID(at), KioskID: "ZM-K03", ServiceID: svc.ID, ServiceKind: string(svc.Kind),
			CreatedAt: at, Fields: fill(svc)}
		if svc.NeedsIDCard {
			tx.Person = &txn.Person{CardType: identity.ResidentID, Name: fullName, IDNumber: fullID}
		}
		sub := backend.Submission{Transaction: tx, TrackingNo: txn.TrackingNo(tx.KioskID, tx.ID)}
		res := countysim.Answer(sub).Result()
		var card *identity.Card
		if svc.NeedsIDCard {
			m := fullCard.Masked() // the session hands the host a masked card
			card = &m
		}
		d, err := receipt.Compose(receipt.Input{Catalog: c, Service: svc, HallName: "中牟县政务服务中心24小时自助服务区",
			KioskID: "ZM-K03", Location: "一楼", Time: at, Result: res, Fields: tx.Fields, Card: card, Person: tx.Person})
		if err != nil {
			t.Errorf("%s: %v", svc.ID, err)
			continue
		}
		if svc.Kind == catalog.KindPrint {
			prints++
		}
		applicant := 0
		for _, e := range d.Elems {
			if e.Kind != receipt.Text {
				continue
			}
			if strings.Contains(e.Text, fullName) || strings.Contains(e.Text, fullID) || strings.Contains(e.Text, "13812345678") {
				t.Errorf("%s prints %q in full", svc.ID, e.Text)
			}
			if m := idShaped.FindString(e.Text); m != "" {
				t.Errorf("%s prints an ID number in full: %q", svc.ID, e.Text)
			}
			if strings.Contains(e.Text, svc.ID) {
				t.Errorf("%s prints its internal id: %q", svc.ID, e.Text)
			}
			if strings.HasSuffix(e.Text, mask.ID(fullID)) {
				applicant++ // a line naming the applicant (a document may name them too)
			}
		}
		if svc.NeedsIDCard && applicant != 1 {
			t.Errorf("%s prints the applicant's number %d times", svc.ID, applicant)
		}
		// The backend's document numbers and check codes are codes too.
		var codes []string
		for _, l := range res.Lines {
			codes = append(codes, l.Value)
		}
		checkWords(t, svc.ID, d, res.TrackingNo, codes...)
	}
	if prints < 20 {
		t.Fatalf("only %d print matters in the default catalog", prints)
	}
}

// fill gives every field of a matter a plausible value.
func fill(svc *catalog.Service) map[string]string {
	f := map[string]string{}
	for _, fd := range svc.Form {
		switch fd.Type {
		case catalog.FieldFromCard:
			switch fd.CardField {
			case "name":
				f[fd.ID] = fullName
			case "id_number":
				f[fd.ID] = fullID
			case "address":
				f[fd.ID] = fullCard.Address
			}
		case catalog.FieldPhone:
			f[fd.ID] = "13812345678"
		case catalog.FieldDate:
			f[fd.ID] = "2026-12-01"
		case catalog.FieldChoice:
			if len(fd.Choices) > 0 {
				f[fd.ID] = fd.Choices[0].Value
			}
		case catalog.FieldDigits, catalog.FieldAmount:
			f[fd.ID] = "12"
		case catalog.FieldIDNumber:
			f[fd.ID] = "410122198001011235"
		default:
			f[fd.ID] = "城关镇青年路"
		}
	}
	return f
}
