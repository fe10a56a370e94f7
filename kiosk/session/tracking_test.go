package session

import (
	"strings"
	"testing"

	"github.com/henan-county/kiosk/kiosk/catalog"
)

// TestTrackingField: 办件进度查询 takes the kiosk's own tracking numbers,
// as the slip prints them (K7QH 2M4X), as typed in lower case, and in the
// longer form of earlier slips; anything else is told plainly.
func TestTrackingField(t *testing.T) {
	h := newHarness(t)
	h.cat.Services = append(h.cat.Services, catalog.Service{ID: "jd", Name: "办件进度查询", Category: "tax",
		Department: "县政务服务中心", Kind: catalog.KindQuery, Hours: catalog.Hours{Always: true},
		Offline: catalog.OfflineOnlineOnly, Status: catalog.StatusActive,
		Form: []catalog.Field{{ID: "tracking", Label: "办理编号", Type: catalog.FieldTracking, Required: true, MaxLen: 24}}})
	h.do(Start{}, ChooseService{"jd"}, Start{})
	h.want(ScreenForm)
	for _, tc := range []struct {
		typed, value string
		ok           bool
	}{
		{"K7QH 2M4X", "K7QH2M4X", true},
		{"k7qh2m4x", "K7QH2M4X", true},
		{"ZM20261126K7QH2M4X", "ZM20261126K7QH2M4X", true},
		{"123456789012", "123456789012", false},
		{"K7QH2M4", "K7QH2M4", false},
		{"K7QH,2M4X", "K7QH,2M4X", false},
	} {
		h.do(FieldInput{"tracking", tc.typed})
		if f := fieldOf(h.m.View(), "tracking"); f.Value != tc.value {
			t.Errorf("%q kept as %q, want %q", tc.typed, f.Value, tc.value)
		}
		h.do(Submit{})
		v := h.m.View()
		f := fieldOf(v, "tracking")
		if tc.ok {
			h.want(ScreenConfirm)
			h.do(Back{})
			h.want(ScreenForm)
			continue
		}
		if v.Screen != ScreenForm || !strings.Contains(f.Error, "例如 K7QH 2M4X") {
			t.Errorf("%q: screen %s, error %q", tc.typed, v.Screen, f.Error)
		}
	}
	if usesIME(catalog.FieldTracking) {
		t.Error("a tracking number goes through the pinyin input method")
	}
}
