package catalog

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestDefaultCatalog(t *testing.T) {
	c := mustDefault(t)
	if probs := Validate(c); len(probs) > 0 {
		t.Fatalf("built-in list has problems: %v", probs[:min(5, len(probs))])
	}
	if n := kioskMatters(c); n != 416 {
		t.Errorf("%d matters at the kiosk, want 416", n)
	}
	if len(c.Services) <= 416 {
		t.Errorf("%d services: want the county's other levels' matters besides the kiosk's 416", len(c.Services))
	}
	if len(c.Halls) != 16 {
		t.Errorf("%d halls, want 16", len(c.Halls))
	}
	placeholder := regexp.MustCompile(`(服务|事项|matter|service)\s*\d+`)
	names := map[string]bool{}
	suspended, windows := 0, 0
	for _, s := range c.Services {
		if placeholder.MatchString(s.Name) {
			t.Errorf("placeholder name %q", s.Name)
		}
		if names[s.Name] {
			t.Errorf("duplicate name %q", s.Name)
		}
		names[s.Name] = true
		if s.Suspended() {
			suspended++
		}
		if !s.Hours.Always {
			windows++
		}
	}
	if suspended == 0 || windows == 0 {
		t.Errorf("want some suspended (%d) and some office-hours (%d) matters", suspended, windows)
	}
	for _, cat := range c.Categories {
		if len(c.InCategory(cat.ID)) == 0 {
			t.Errorf("category %s is empty", cat.ID)
		}
	}
	for _, want := range []string{"城乡居民养老保险待遇资格认证", "个人参保证明打印", "住房公积金缴存明细查询", "营业执照打印", "交通违法处理", "居住证签注", "社保缴费记录打印"} {
		if !names[want] {
			t.Errorf("missing %s", want)
		}
	}

	s := c.Service("sb-jfjl-print")
	if s == nil {
		t.Fatal("no sb-jfjl-print")
	}
	if s.Name != "社保缴费记录打印" || !s.NeedsIDCard || !s.NeedsPrinter || s.Kind != KindPrint || s.Offline != OfflineQueue {
		t.Errorf("sb-jfjl-print: %+v", s)
	}
	if len(s.Form) == 0 || len(s.Receipt.Lines) == 0 {
		t.Error("sb-jfjl-print needs a form and receipt lines")
	}
	hasChoice := false
	for _, f := range s.Form {
		hasChoice = hasChoice || (f.Type == FieldChoice && len(f.Choices) > 0)
	}
	if !hasChoice {
		t.Error("sb-jfjl-print: want a period choice")
	}

	b := c.Service("bm-bbdb")
	if b == nil || b.Name != "请工作人员帮忙办理" {
		t.Fatal("no assisted-service request bm-bbdb")
	}
	hasPhone := false
	for _, f := range b.Form {
		hasPhone = hasPhone || f.Type == FieldPhone
	}
	if !hasPhone {
		t.Error("bm-bbdb (staff help) needs a phone field")
	}
	if c.Service("nope") != nil {
		t.Error("Service of unknown id")
	}
}

func TestDefaultJSONIsACopy(t *testing.T) {
	a := DefaultJSON()
	a[0] = 'x'
	if DefaultJSON()[0] != '{' {
		t.Fatal("DefaultJSON shares the embedded bytes")
	}
}

func TestHelpers(t *testing.T) {
	c := mustDefault(t)
	pop := c.Popular(10)
	if len(pop) != 10 {
		t.Fatalf("Popular(10) gave %d", len(pop))
	}
	for i := 1; i < len(pop); i++ {
		if pop[i].Popularity > pop[i-1].Popularity {
			t.Fatal("Popular not sorted")
		}
		if pop[i].Suspended() {
			t.Fatal("Popular lists a suspended matter")
		}
	}
	in := c.InCategory("sb")
	for i, s := range in {
		if s.Category != "sb" || (i > 0 && s.Popularity > in[i-1].Popularity) {
			t.Fatal("InCategory wrong or unsorted")
		}
	}
	if h := c.Hash(); len(h) != 64 || h != c.Hash() {
		t.Fatal("Hash")
	}
	other, _ := Parse(withVersion(t, 5))
	if other.Hash() == c.Hash() {
		t.Fatal("different bytes, same hash")
	}
	if FeeText(0) != "免费" || FeeText(2000) != "20.00元" || FeeText(1505) != "15.05元" {
		t.Fatalf("FeeText: %s %s", FeeText(2000), FeeText(1505))
	}
}

func TestOpenAt(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	office := Service{Status: StatusActive, Hours: Hours{Windows: []Window{
		{Days: []int{1, 2, 3, 4, 5}, From: "08:30", To: "12:00"},
		{Days: []int{1, 2, 3, 4, 5}, From: "14:30", To: "17:30"},
	}}}
	always := Service{Status: StatusActive, Hours: Hours{Always: true}}
	suspended := Service{Status: StatusSuspended, Hours: Hours{Always: true}}
	tests := []struct {
		name string
		s    Service
		t    time.Time
		want bool
	}{
		{"always at 3am", always, time.Date(2026, 11, 29, 3, 0, 0, 0, cst), true},
		{"suspended", suspended, time.Date(2026, 11, 26, 10, 0, 0, 0, cst), false},
		{"thursday 08:30", office, time.Date(2026, 11, 26, 8, 30, 0, 0, cst), true},
		{"thursday 08:29", office, time.Date(2026, 11, 26, 8, 29, 0, 0, cst), false},
		{"thursday lunch", office, time.Date(2026, 11, 26, 13, 0, 0, 0, cst), false},
		{"thursday 17:29", office, time.Date(2026, 11, 26, 17, 29, 0, 0, cst), true},
		{"thursday 17:30", office, time.Date(2026, 11, 26, 17, 30, 0, 0, cst), false},
		{"sunday", office, time.Date(2026, 11, 29, 10, 0, 0, 0, cst), false},
		// 02:00 UTC Friday is 10:00 in the county.
		{"utc input converted", office, time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC), true},
		// 20:00 UTC Thursday is 04:00 Friday in the county.
		{"utc evening is county night", office, time.Date(2026, 11, 26, 20, 0, 0, 0, time.UTC), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.s.OpenAt(tt.t); got != tt.want {
				t.Fatalf("OpenAt = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseClock(t *testing.T) {
	for s, want := range map[string]bool{"00:00": true, "08:30": true, "24:00": true, "24:01": false, "8:30": false, "08:60": false, "aa:bb": false, "-1:00": false, "": false} {
		if _, ok := parseClock(s); ok != want {
			t.Errorf("parseClock(%q) ok=%v", s, ok)
		}
	}
	_ = strings.TrimSpace
}

// Every hall of the default list names a nearer hall for residents when
// its kiosk is under maintenance.
func TestDefaultHallsNearby(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range c.Halls {
		n, m, ok := c.NearestHall(h.ID)
		if !ok || n.ID == h.ID || m <= 0 {
			t.Errorf("hall %s: nearest %+v %d %v", h.ID, n, m, ok)
		}
	}
	if _, _, ok := c.NearestHall("nowhere"); ok {
		t.Error("an unknown hall has a nearest hall")
	}
}
