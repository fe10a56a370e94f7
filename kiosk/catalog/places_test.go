package catalog

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// at returns the index of the matter with id in the built-in list.
func at(t testing.TB, c *Catalog, id string) int {
	t.Helper()
	for i := range c.Services {
		if c.Services[i].ID == id {
			return i
		}
	}
	t.Fatalf("no matter %s", id)
	return -1
}

func placeAt(t testing.TB, c *Catalog, id string) int {
	t.Helper()
	for i := range c.Places {
		if c.Places[i].ID == id {
			return i
		}
	}
	t.Fatalf("no place %s", id)
	return -1
}

// Each rule of schema 2 rejects the built-in list with one slip.
func TestValidateSchema2(t *testing.T) {
	const (
		kiosk    = "sb-cbzm-print" // a print matter: card, printer, A4, scanner
		fee      = "hz-sfz-bl"     // a fee
		face     = "sb-cx-rz"      // face check
		township = "ny-jfsp"       // township and village only
		online   = "sc-qykb"       // online only
		plain    = "mz-tk"         // an application: card only
	)
	svc := func(t *testing.T, c *Catalog, id string) (*Service, string) {
		i := at(t, c, id)
		return &c.Services[i], fmt.Sprintf("$.services[%d]", i)
	}
	tests := []struct {
		name   string
		change func(t *testing.T, c *Catalog) string // returns the path wanted
		want   string
	}{
		{"where empty", func(t *testing.T, c *Catalog) string {
			s, p := svc(t, c, plain)
			s.Where = []string{}
			return p + ".where"
		}, "required"},
		{"where unknown", func(t *testing.T, c *Catalog) string {
			s, p := svc(t, c, plain)
			s.Where = append(s.Where, "moon")
			return p + ".where["
		}, "unknown"},
		{"where twice", func(t *testing.T, c *Catalog) string {
			s, p := svc(t, c, plain)
			s.Where = append(s.Where, WhereKiosk)
			return p + ".where["
		}, "twice"},
		{"device unknown", func(t *testing.T, c *Catalog) string {
			s, p := svc(t, c, plain)
			s.Devices = append(s.Devices, "fax")
			return p + ".devices["
		}, "unknown device"},
		{"device twice", func(t *testing.T, c *Catalog) string {
			s, p := svc(t, c, plain)
			s.Devices = append(s.Devices, DeviceIDCard)
			return p + ".devices["
		}, "twice"},
		{"card without id_card", func(t *testing.T, c *Catalog) string {
			s, p := svc(t, c, plain)
			s.Devices = slices.DeleteFunc(s.Devices, func(d string) bool { return d == DeviceIDCard })
			return p + ".devices"
		}, "needs_id_card"},
		{"id_card without the card", func(t *testing.T, c *Catalog) string {
			s, p := svc(t, c, "sc-xy") // 企业信用信息查询: no card
			s.Devices = append(s.Devices, DeviceIDCard)
			return p + ".devices"
		}, "without needs_id_card"},
		{"printer missing", func(t *testing.T, c *Catalog) string {
			s, p := svc(t, c, kiosk)
			s.Devices = slices.DeleteFunc(s.Devices, func(d string) bool { return d == DevicePrinter })
			return p + ".devices"
		}, "needs_printer"},
		{"print without a4", func(t *testing.T, c *Catalog) string {
			s, p := svc(t, c, kiosk)
			s.Devices = slices.DeleteFunc(s.Devices, func(d string) bool { return d == DeviceA4 })
			return p + ".devices"
		}, "kind print"},
		{"a4 for no print", func(t *testing.T, c *Catalog) string {
			s, p := svc(t, c, plain)
			s.Devices = append(s.Devices, DeviceA4)
			return p + ".devices"
		}, "no kind print"},
		{"fee without payment", func(t *testing.T, c *Catalog) string {
			s, p := svc(t, c, fee)
			s.Devices = slices.DeleteFunc(s.Devices, func(d string) bool { return d == DevicePayment })
			return p + ".devices"
		}, "payment"},
		{"face check without camera", func(t *testing.T, c *Catalog) string {
			s, p := svc(t, c, face)
			s.Devices = slices.DeleteFunc(s.Devices, func(d string) bool { return d == DeviceCamera })
			return p + ".devices"
		}, "face_check"},
		{"identity code without scanner", func(t *testing.T, c *Catalog) string {
			s, p := svc(t, c, kiosk)
			s.Devices = slices.DeleteFunc(s.Devices, func(d string) bool { return d == DeviceScanner })
			return p + ".devices"
		}, "identity_code"},
		{"description says 人脸识别", func(t *testing.T, c *Catalog) string {
			s, p := svc(t, c, plain)
			s.Description += "需要进行人脸识别。"
			return p + ".devices"
		}, "camera"},
		{"material says 刷脸", func(t *testing.T, c *Catalog) string {
			s, p := svc(t, c, plain)
			s.Materials = append(s.Materials, "本人到场刷脸")
			return p + ".devices"
		}, "camera"},
		{"not at the kiosk with a form", func(t *testing.T, c *Catalog) string {
			s, p := svc(t, c, township)
			s.Form = []Field{{ID: "x", Label: "x", Type: FieldText}}
			return p + ".form"
		}, "no form"},
		{"not at the kiosk with a device", func(t *testing.T, c *Catalog) string {
			s, p := svc(t, c, township)
			s.Devices = []string{DeviceIDCard}
			return p + ".devices"
		}, "needs no device"},
		{"not at the kiosk needing the card reader", func(t *testing.T, c *Catalog) string {
			s, p := svc(t, c, township)
			s.NeedsIDCard = true
			return p + ".needs_id_card"
		}, "not done at the kiosk"},
		{"not at the kiosk, nowhere to go", func(t *testing.T, c *Catalog) string {
			s, p := svc(t, c, township)
			s.Where = []string{WhereOnline}
			return p + ".where"
		}, "online_url or a place"},
		{"online url not https", func(t *testing.T, c *Catalog) string {
			s, p := svc(t, c, online)
			s.OnlineURL = "http://www.hnzwfw.gov.cn/x"
			return p + ".online_url"
		}, "https"},
		{"online url but not online", func(t *testing.T, c *Catalog) string {
			s, p := svc(t, c, online)
			s.Where = []string{WhereCounty}
			return p + ".online_url"
		}, "online or app"},
		{"kiosk matter without a receipt title", func(t *testing.T, c *Catalog) string {
			s, p := svc(t, c, plain)
			s.Receipt.Title = ""
			return p + ".receipt.title"
		}, "required"},
		{"material twice", func(t *testing.T, c *Catalog) string {
			s, p := svc(t, c, plain)
			s.Materials = append(s.Materials, s.Materials[0])
			return p + ".materials["
		}, "twice"},
		{"phone number in a description", func(t *testing.T, c *Catalog) string {
			s, p := svc(t, c, plain)
			s.Description += "咨询电话：0371-62112345。"
			return p + ".description"
		}, "phone number"},
		{"phone number in a status message", func(t *testing.T, c *Catalog) string {
			s, p := svc(t, c, plain)
			s.Status, s.StatusMessage = StatusSuspended, "暂停办理，请拨打12345咨询。"
			return p + ".status_message"
		}, "phone number"},
		{"mobile number in a material", func(t *testing.T, c *Catalog) string {
			s, p := svc(t, c, plain)
			s.Materials = append(s.Materials, "联系13803710000领取表格")
			return p + ".materials["
		}, "phone number"},
		{"phone number in a hint", func(t *testing.T, c *Catalog) string {
			s, p := svc(t, c, plain)
			s.Form = append(s.Form, Field{ID: "x", Label: "x", Type: FieldText, Hint: "不会填请打62112345"})
			return p + ".form["
		}, "phone number"},
		{"phone number in a fee note", func(t *testing.T, c *Catalog) string {
			s, p := svc(t, c, fee)
			s.FeeNote += "，疑问请致电 0371 6211 2345"
			return p + ".fee_note"
		}, "phone number"},
		{"phone number in a receipt note", func(t *testing.T, c *Catalog) string {
			s, p := svc(t, c, plain)
			s.Receipt.Note = "如有疑问请拨打0371-12345。"
			return p + ".receipt.note"
		}, "phone number"},
		{"team name in a description", func(t *testing.T, c *Catalog) string {
			s, p := svc(t, c, plain)
			s.Description += "可请小牟帮办上门。"
			return p + ".description"
		}, "assist_name"},
		{"no assist name", func(t *testing.T, c *Catalog) string { c.AssistName = " "; return "$.assist_name" }, "required"},
		{"long assist name", func(t *testing.T, c *Catalog) string {
			c.AssistName = "中牟县政务服务帮办代办服务团队"
			return "$.assist_name"
		}, "longer"},
		{"repeated icon", func(t *testing.T, c *Catalog) string {
			c.Categories[3].Icon = c.Categories[0].Icon
			return "$.categories[3].icon"
		}, "already"},
		{"place id twice", func(t *testing.T, c *Catalog) string {
			c.Places[2].ID = c.Places[1].ID
			return "$.places[2].id"
		}, "duplicate"},
		{"place level unknown", func(t *testing.T, c *Catalog) string {
			c.Places[1].Level = "province"
			return "$.places[1].level"
		}, "unknown level"},
		{"village in no township", func(t *testing.T, c *Catalog) string {
			i := placeAt(t, c, "baisha-dongbaisha")
			c.Places[i].Township = "county"
			return fmt.Sprintf("$.places[%d].township", i)
		}, "no place of level township"},
		{"village without township", func(t *testing.T, c *Catalog) string {
			i := placeAt(t, c, "baisha-dongbaisha")
			c.Places[i].Township = ""
			return fmt.Sprintf("$.places[%d].township", i)
		}, "required"},
		{"township with a township", func(t *testing.T, c *Catalog) string {
			i := placeAt(t, c, "baisha")
			c.Places[i].Township = "hansi"
			return fmt.Sprintf("$.places[%d].township", i)
		}, "only a village"},
		{"place phone", func(t *testing.T, c *Catalog) string { c.Places[0].Phone = "call us"; return "$.places[0].phone" }, "only digits"},
		{"hall without township", func(t *testing.T, c *Catalog) string { c.Halls[5].Township = ""; return "$.halls[5].township" }, "required"},
		{"hall in a village", func(t *testing.T, c *Catalog) string {
			c.Halls[5].Township = "baisha-dongbaisha"
			return "$.halls[5].township"
		}, "no place of level township"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustDefault(t)
			want := tt.change(t, c)
			probs := Validate(c)
			for _, p := range probs {
				if strings.HasPrefix(p.Path, want) && strings.Contains(p.Reason, tt.want) {
					return
				}
			}
			t.Fatalf("no problem %s: …%s…; got %v", want, tt.want, probs)
		})
	}
}

// v1 turns the built-in list into what a version 1 list said: no places,
// no team name, no township of a hall, no where or devices, the kiosk's
// matters only, and what version 1 let pass (a repeated icon, the
// hotline in a note).
func v1(t *testing.T) []byte {
	t.Helper()
	c := mustDefault(t)
	c.Services = slices.DeleteFunc(c.Services, func(s Service) bool { return !s.AtKiosk() })
	c.Categories[1].Icon = c.Categories[0].Icon
	c.Services[0].Receipt.Note = "如有疑问请拨打0371-12345。"
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	m["schema_version"] = 1
	delete(m, "places")
	delete(m, "assist_name")
	for _, h := range m["halls"].([]any) {
		delete(h.(map[string]any), "township")
	}
	for _, s := range m["services"].([]any) {
		for _, k := range []string{"where", "devices", "online_url", "home_visit"} {
			delete(s.(map[string]any), k)
		}
	}
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// A version 1 list (signed fixtures, kiosks in the field) still parses
// and validates, every matter a kiosk matter with the devices its flags
// say, the team's name the county's.
func TestParseVersion1(t *testing.T) {
	data := v1(t)
	c, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if probs := Validate(c); len(probs) > 0 {
		t.Fatalf("a version 1 list is invalid: %v", probs[:min(5, len(probs))])
	}
	if c.SchemaVersion != 1 || c.AssistName != "小牟帮办" || c.Places == nil || len(c.Places) != 0 {
		t.Fatalf("schema %d, assist %q, places %v", c.SchemaVersion, c.AssistName, c.Places)
	}
	if string(c.Raw()) != string(data) {
		t.Fatal("Raw is not the signed bytes")
	}
	want := map[string][]string{
		"sb-cbzm-print": {DeviceIDCard, DevicePrinter, DeviceA4, DeviceScanner},
		"hz-sfz-bl":     {DeviceIDCard, DevicePayment},
		"sb-cx-rz":      {DeviceIDCard, DeviceCamera},
		"mz-tk":         {DeviceIDCard},
		"sc-xy":         {},
		"sb-cx-jf":      {DeviceIDCard, DevicePayment},
	}
	for id, devs := range want {
		s := c.Service(id)
		if s == nil {
			t.Fatalf("no %s", id)
		}
		if !slices.Equal(s.Where, []string{WhereKiosk}) || !s.AtKiosk() {
			t.Errorf("%s: where %v", id, s.Where)
		}
		if !slices.Equal(s.Devices, devs) {
			t.Errorf("%s: devices %v, want %v", id, s.Devices, devs)
		}
		for _, d := range DeviceNames {
			if s.NeedsDevice(d) != slices.Contains(devs, d) {
				t.Errorf("%s: NeedsDevice(%s) = %v", id, d, s.NeedsDevice(d))
			}
		}
	}
	// The same bytes with schema 2 are refused: what version 1 let pass,
	// version 2 does not.
	c.SchemaVersion = 2
	if len(Validate(c)) == 0 {
		t.Fatal("a version 1 list read as version 2 is valid")
	}
}

// A matter built in code without where or devices (a version 1 fixture)
// is a kiosk matter needing what its flags say.
func TestServiceBuiltInCode(t *testing.T) {
	s := Service{Kind: KindPrint, NeedsIDCard: true, NeedsPrinter: true}
	if !s.AtKiosk() || !s.NeedsDevice(DeviceA4) || !s.NeedsDevice(DeviceIDCard) || s.NeedsDevice(DeviceCamera) {
		t.Fatalf("AtKiosk %v, a4 %v", s.AtKiosk(), s.NeedsDevice(DeviceA4))
	}
	s.Where, s.Devices = []string{WhereTownship}, []string{}
	if s.AtKiosk() || s.NeedsDevice(DeviceA4) {
		t.Fatal("a township matter is at the kiosk")
	}
}

func TestPlaces(t *testing.T) {
	c := mustDefault(t)
	ts := c.Townships()
	if len(ts) < 12 {
		t.Fatalf("%d townships", len(ts))
	}
	for _, p := range ts {
		if p.Level != LevelTownship || !strings.HasSuffix(p.Name, "便民服务中心") {
			t.Errorf("township %+v", p)
		}
		vs := c.Villages(p.ID)
		if len(vs) < 2 || len(vs) > 4 {
			t.Errorf("%s: %d village stations, want 2–4", p.ID, len(vs))
		}
		for _, v := range vs {
			if v.Level != LevelVillage || v.Township != p.ID || !strings.HasPrefix(v.Name, strings.TrimSuffix(p.Name, "便民服务中心")) || !strings.HasSuffix(v.Name, "便民服务站") {
				t.Errorf("village %+v", v)
			}
			// Village stations keep shorter hours than their centre.
			if !p.Hours.OpenAt(testNow.Add(-6*3600)) && v.Hours.OpenAt(testNow.Add(-6*3600)) {
				t.Errorf("%s open when its centre is closed", v.ID)
			}
		}
	}
	if got := c.Villages("nowhere"); got != nil {
		t.Errorf("Villages(nowhere) = %v", got)
	}
	p, ok := c.HallTownship("bsz")
	if !ok || p.ID != "baisha" || p.Name != "白沙镇便民服务中心" {
		t.Fatalf("HallTownship(bsz) = %+v %v", p, ok)
	}
	if _, ok := c.HallTownship("nowhere"); ok {
		t.Fatal("HallTownship of an unknown hall")
	}
	if v, ok := c.Place("baisha-dongbaisha"); !ok || v.Name != "白沙镇东白沙村便民服务站" {
		t.Fatalf("Place = %+v", v)
	}
	county, ok := c.CountyCentre()
	if !ok || county.Name != "中牟县政务服务中心" || county.Level != LevelCounty {
		t.Fatalf("county %+v", county)
	}
	// Halls follow the county's composition: the new and the old town
	// area, the townships and streets, two large communities.
	communities := 0
	for _, h := range c.Halls {
		if strings.Contains(h.Name, "社区") {
			communities++
		}
	}
	if len(c.Halls) != 16 || communities != 2 {
		t.Errorf("%d halls, %d in communities", len(c.Halls), communities)
	}
}

func TestPlaceFor(t *testing.T) {
	c := mustDefault(t)
	tests := []struct {
		matter, hall string
		want         string // place id, "" for none
	}{
		{"ny-jfsp", "bsz", "baisha"},       // township: the hall's own centre
		{"ny-jfsp", "hsz", "hansi"},        //
		{"ny-jfsp", "lbsq", "guanghuijie"}, // a community hall's street
		{"bdc-clf", "bsz", "county"},       // county window only
		{"hz-sfz-sc", "ymh", "county"},     //
		{"sc-qykb", "bsz", ""},             // online only
		{"sdq-dfp", "bsz", ""},             // app only
		{"sf-cfg", "bsz", ""},              // a village station: the page names it in words
		{"sb-cbzm-print", "gdz", "guandu"}, // a kiosk matter also done at the township
		{"jg-wf-cl", "gdz", "county"},      // a kiosk matter of the county's windows
		{"ny-jfsp", "nowhere", ""},         // an unknown hall: no centre to name
		{"sb-zdnm", "dfl", "dongfenglu"},   //
	}
	for _, tt := range tests {
		s := c.Service(tt.matter)
		if s == nil {
			t.Fatalf("no %s", tt.matter)
		}
		p, ok := c.PlaceFor(s, tt.hall)
		if got := map[bool]string{true: p.ID}[ok]; got != tt.want {
			t.Errorf("PlaceFor(%s, %s) = %q, want %q", tt.matter, tt.hall, got, tt.want)
		}
	}
}

func TestIcons(t *testing.T) {
	if !slices.Equal(Icons[:len(DrawnIcons)], DrawnIcons) {
		t.Fatalf("Icons %v do not start with the drawn ones", Icons)
	}
	seen := map[string]bool{}
	for _, i := range Icons {
		if seen[i] {
			t.Errorf("icon %q twice", i)
		}
		seen[i] = true
	}
}

func TestPhoneNumberIn(t *testing.T) {
	tests := []struct{ in, want string }{
		{"如有疑问请拨打0371-62112345。", "0371-62112345"},
		{"请联系13803710000", "13803710000"},
		{"电话：12345", "12345"},
		{"致电 0371 6211 2345", "0371 6211 2345"},
		{"拨打服务热线。", ""},
		{"预计2026年12月15日恢复", ""},
		{"08:30-12:00、14:30-17:30", ""},
		{"12345热线诉求登记", ""},
		{"如 豫(2024)中牟县不动产权第0012345号", ""},
		{"承诺20个工作日内办好", ""},
	}
	for _, tt := range tests {
		if got := phoneNumberIn(tt.in); got != tt.want {
			t.Errorf("phoneNumberIn(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// Search finds the matters the kiosk does not do too: the resident is
// then told where to go.
func TestSearchOtherLevels(t *testing.T) {
	ix := NewIndex(mustDefault(t))
	for _, q := range []string{"农村村民住宅建设审批", "农村建房", "nongcunjianfang", "百岁老人"} {
		hits := ix.Search(q, 5)
		found := false
		for _, h := range hits {
			if h.Service.ID == "ny-jfsp" || h.Service.ID == "mz-bsl" {
				found = !h.Service.AtKiosk()
			}
		}
		if !found {
			t.Errorf("%q: township-only matter not among %d hits", q, len(hits))
		}
	}
}
