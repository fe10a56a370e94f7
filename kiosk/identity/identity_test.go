package identity

import (
	"reflect"
	"testing"
	"time"
)

func TestValidIDNumber(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"410122195603151231", true},
		{"410122198512124515", false}, // check digit should be 4
		{"11010519491231002X", true},
		{"11010519491231002x", false}, // lower-case x is not accepted
		{"41012219560315123", false},
		{"4101221956031512A1", false},
		{"", false},
	} {
		if got := ValidIDNumber(tc.in); got != tc.want {
			t.Errorf("ValidIDNumber(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestWipe(t *testing.T) {
	photo := []byte{1, 2, 3, 4}
	finger := []byte{5, 6}
	c := &Card{Type: ResidentID, Name: "王建国", IDNumber: "410122195603151231", Birth: time.Now(),
		Photo: photo, Fingerprint: finger, LongTerm: true}
	c.Wipe()
	if !reflect.DeepEqual(*c, Card{}) {
		t.Errorf("after Wipe: %+v", *c)
	}
	if !reflect.DeepEqual(photo, []byte{0, 0, 0, 0}) || !reflect.DeepEqual(finger, []byte{0, 0}) {
		t.Errorf("photo %v fingerprint %v not zeroed", photo, finger)
	}
	var nilCard *Card
	nilCard.Wipe() // must not panic
	m := (&Card{Name: "张三", Birth: time.Now(), Photo: photo}).Masked()
	if m.Photo != nil || !m.Birth.IsZero() || m.Name != "张*" {
		t.Errorf("Masked kept personal data: %+v", m)
	}
}
