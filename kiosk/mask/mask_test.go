package mask_test

import (
	"strings"
	"testing"

	"github.com/henan-county/kiosk/kiosk/identity"
	"github.com/henan-county/kiosk/kiosk/mask"
)

type fieldCase struct {
	name     string
	fn       func(string) string
	in, want string
}

var fieldCases = []fieldCase{
	// ID numbers: first six and last four of 15 or more characters.
	{"resident ID", mask.ID, "410122195603151234", "410122********1234"},
	{"resident ID with X", mask.ID, "11010519491231002X", "110105********002X"},
	{"first-generation ID", mask.ID, "410122560315123", "410122*****5123"},
	{"2023 foreign PR ID", mask.ID, "931586197001011234", "931586********1234"},
	{"old foreign PR ID", mask.ID, "GBR410070040201", "GBR410*****0201"},
	{"Hong Kong residence permit", mask.ID, "810000199001011234", "810000********1234"},
	{"HK/Macau travel permit, 8 digits", mask.ID, "H12345678", "H1*****78"},
	{"HK/Macau travel permit, 10 digits", mask.ID, "M1234567890", "M1*******90"},
	{"Taiwan travel permit, 8 digits", mask.ID, "12345678", "12****78"},
	{"Taiwan travel permit, 10 digits", mask.ID, "1234567890", "12******90"},
	{"ID empty", mask.ID, "", ""},
	{"ID one character", mask.ID, "1", "*"},
	{"ID two characters", mask.ID, "12", "**"},
	{"ID three characters", mask.ID, "123", "1*3"},

	// Names: the first character, or the first letter of each Latin word.
	{"two-character name", mask.Name, "张三", "张*"},
	{"three-character name", mask.Name, "王秀兰", "王**"},
	{"compound surname", mask.Name, "欧阳娜娜", "欧***"},
	{"name with middle dot", mask.Name, "阿依古丽·买买提", "阿*******"},
	{"Latin name", mask.Name, "SMITH JOHN", "S**** J***"},
	{"Latin name, three words", mask.Name, "SMITH JOHN WILLIAM", "S**** J*** W******"},
	{"one-character name", mask.Name, "王", "王"},
	{"name empty", mask.Name, "", ""},
	// Names on the resident's own screens: first and last character.
	{"on screen, three characters", mask.NameOnScreen, "王秀兰", "王*兰"},
	{"on screen, two characters", mask.NameOnScreen, "王建", "王*"},
	{"on screen, compound surname", mask.NameOnScreen, "欧阳娜娜", "欧**娜"},
	{"on screen, one character", mask.NameOnScreen, "王", "王"},
	{"on screen, Latin", mask.NameOnScreen, "SMITH JOHN", "S***H J**N"},
	{"on screen, spaces", mask.NameOnScreen, " 王秀兰 ", "王*兰"},
	{"on screen, empty", mask.NameOnScreen, "", ""},

	// Addresses: at most the province, city and county.
	{"address from a card", mask.Address, "河南省郑州市中牟县城关镇建设路88号", "河南省郑州市********"},
	{"address, short rest", mask.Address, "河南省郑州市中牟县", "河南省郑州市***"},
	{"address of a municipality", mask.Address, "北京市朝阳区建国路1号", "北京市朝阳区*****"},
	{"address starting at the county", mask.Address, "中牟县城关镇建设路68号", "中牟县********"},
	{"address starting at the town", mask.Address, "城关镇建设路68号", "********"},
	{"address starting at the street", mask.Address, "青年路12号院3号楼", "********"},
	{"autonomous region", mask.Address, "内蒙古自治区呼和浩特市新城区", "内蒙古自治区********"},
	{"address of six characters", mask.Address, "河南省郑州市", "******"},
	{"address, county of seven", mask.Address, "中牟县城关镇X", "中牟县****"},
	{"address empty", mask.Address, "", ""},

	// Phones.
	{"mobile", mask.Phone, "13812345678", "138****5678"},
	{"mobile with +86", mask.Phone, "+8613812345678", "+86*******5678"},
	{"landline", mask.Phone, "0371-62112345", "0371-****2345"},
	{"landline, Beijing", mask.Phone, "010-6234567", "010-***4567"},
	{"landline without hyphen", mask.Phone, "037162112345", "037*****2345"},
	{"short phone", mask.Phone, "12345", "*****"},

	// Values of unknown kind.
	{"value mobile", mask.Value, "13812345678", "138****5678"},
	{"value landline", mask.Value, "0371-62112345", "0371-****2345"},
	{"value ID", mask.Value, "410122199001011234", "410122********1234"},
	{"value name", mask.Value, "欧阳晓明", "欧***"},
	{"value Latin name", mask.Value, "SMITH JOHN", "S**** J***"},
	{"value address", mask.Value, "河南省郑州市中牟县青年路12号", "河南省郑州市********"},
	{"value short number", mask.Value, "1234", "1**4"},
	{"value empty", mask.Value, "", ""},
}

func TestFields(t *testing.T) {
	for _, tc := range fieldCases {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.fn(tc.in)
			if got != tc.want {
				t.Errorf("mask(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if again := tc.fn(got); again != got {
				t.Errorf("masking %q again gives %q", got, again)
			}
		})
	}
}

type textCase struct {
	name      string
	in        string
	text      string // Text's output
	result    string // ResultText's output; "" when the same as text
	unchanged bool   // both leave the input as it is
}

var textCases = []textCase{
	// Resident ID numbers, 18 and 15 characters.
	{name: "ID between Chinese characters", in: "身份证410122195603151231号", text: "身份证410122********1231号"},
	{name: "ID with X in a sentence", in: "card 41012219900101123X read", text: "card 410122********123X read"},
	{name: "ID with lower-case x", in: "id=41012219900101123x", text: "id=410122********123x"},
	{name: "ID after an underscore", in: "user_410122195603151231", text: "user_410122********1231"},
	{name: "ID between letters", in: "x410122195603151231y", text: "x410122********1231y"},
	{name: "ID at the start", in: "410122195603151231", text: "410122********1231"},
	{name: "first-generation ID", in: "旧证410122560315123", text: "旧证410122*****5123"},
	{name: "2023 foreign PR ID", in: "永居证931586197001011234", text: "永居证931586********1234"},
	{name: "Hong Kong residence permit", in: "居住证810000199001011234", text: "居住证810000********1234"},
	{name: "Taiwan residence permit", in: "830000199001011234", text: "830000********1234"},
	{name: "ID near miss, 17 digits", in: "no 41012219560315123 here", text: "no 410122*******5123 here", result: "no 41012219560315123 here"},
	{name: "ID near miss, 14 digits", in: "seq 41012219560315", unchanged: true},
	{name: "15 digits not an old ID", in: "受理号202611260012345", text: "受理号202611*****2345", result: "受理号202611260012345"},
	{name: "long digit run", in: "卡号62170000123456781234", text: "卡号621700**********1234", result: "卡号62170000123456781234"},
	{name: "ID inside a longer digit run", in: "doc 04101221956031512310", text: "doc 041012**********2310", result: "doc 04101221956031512310"},

	// Old foreign permanent-resident ID.
	{name: "old PR ID", in: "pr USA330000000001 ok", text: "pr USA330*****0001 ok"},
	{name: "old PR ID in Chinese", in: "证件GBR410070040201。", text: "证件GBR410*****0201。"},
	{name: "old PR near miss, lower case", in: "usa330000000001", unchanged: true},
	{name: "old PR near miss, two letters", in: "US330000000001", unchanged: true},

	// Travel permits for Hong Kong and Macau residents.
	{name: "HK permit, 8 digits", in: "通行证H12345678已读", text: "通行证H1*****78已读"},
	{name: "Macau permit, 10 digits", in: "permit M1234567890", text: "permit M1*******90"},
	{name: "HK permit near miss, 7 digits", in: "H1234567", unchanged: true},
	{name: "HK permit near miss, 9 digits", in: "H123456789", unchanged: true},
	{name: "HK permit near miss, after a letter", in: "ITEM12345678", unchanged: true},
	{name: "tracking number", in: "tracking ZM20261126ABCD", unchanged: true},
	{name: "tracking number, digits only", in: "ZM2026112600123", unchanged: true},

	// Travel permits for Taiwan residents: only where the text says so.
	{name: "Taiwan permit", in: "台胞证12345678", text: "台胞证12****78"},
	{name: "Taiwan permit, full name", in: "台湾居民来往大陆通行证号码：1234567890", text: "台湾居民来往大陆通行证号码：12******90"},
	{name: "Taiwan permit, spaced", in: "台胞证号 12345678,", text: "台胞证号 12****78,"},
	{name: "8 digits without context", in: "金额12345678元", unchanged: true},
	{name: "date", in: "date 20261126", unchanged: true},

	// Mobile numbers.
	{name: "mobile", in: "电话13812345678", text: "电话138****5678"},
	{name: "mobile with +86", in: "tel +8613812345678", text: "tel +86138****5678"},
	{name: "mobile with hyphens", in: "tel 138-1234-5678.", text: "tel 138-****-5678."},
	{name: "mobile with spaces", in: "手机 138 1234 5678", text: "手机 138 **** 5678"},
	{name: "mobile near miss, 12 prefix", in: "12812345678", unchanged: true},
	{name: "mobile near miss, 10 digits", in: "1381234567", unchanged: true},
	{name: "mobile near miss, 12 digits", in: "138123456789", unchanged: true},
	{name: "mobile near miss, mixed separators", in: "138-1234 5678", unchanged: true},

	// Landlines: logs only.
	{name: "landline", in: "tel 0371-62112345", text: "tel 0371-****2345", result: "tel 0371-62112345"},
	{name: "landline, Beijing", in: "010-62345678", text: "010-****5678", result: "010-62345678"},
	{name: "hotline of five digits", in: "请拨打0371-12345。", unchanged: true},
	{name: "landline near miss, date", in: "2026-11-26 10:30", unchanged: true},
	{name: "landline near miss, after hyphen", in: "v1-0371-62112345", unchanged: true},
	{name: "landline near miss, local starts with 1", in: "0371-12345678", unchanged: true},

	// Several numbers in one text.
	{name: "several numbers",
		in:     "王秀兰 410122195303151221 手机13812345678，旧证USA330000000001；通行证H12345678，电话0371-62112345",
		text:   "王秀兰 410122********1221 手机138****5678，旧证USA330*****0001；通行证H1*****78，电话0371-****2345",
		result: "王秀兰 410122********1221 手机138****5678，旧证USA330*****0001；通行证H1*****78，电话0371-62112345"},
	{name: "numbers touching", in: "41012219900101123X13812345678", text: "410122********123X138****5678"},
	{name: "nothing personal", in: "printer offline: cover open", unchanged: true},
	{name: "empty", in: "", unchanged: true},
}

func TestText(t *testing.T) {
	for _, tc := range textCases {
		t.Run(tc.name, func(t *testing.T) {
			text, result := tc.text, tc.result
			if tc.unchanged {
				text, result = tc.in, tc.in
			}
			if result == "" {
				result = text
			}
			if got := mask.Text(tc.in); got != text {
				t.Errorf("Text(%q) = %q, want %q", tc.in, got, text)
			}
			if got := mask.ResultText(tc.in); got != result {
				t.Errorf("ResultText(%q) = %q, want %q", tc.in, got, result)
			}
			checkText(t, tc.in)
		})
	}
}

// checkText asserts the properties every text mask has: idempotent,
// replaces only digits by stars, and leaves no ID number with a valid
// GB 11643 check character.
func checkText(t *testing.T, in string) {
	t.Helper()
	for _, f := range []struct {
		name string
		fn   func(string) string
	}{{"Text", mask.Text}, {"ResultText", mask.ResultText}} {
		out := f.fn(in)
		if again := f.fn(out); again != out {
			t.Fatalf("%s not idempotent on %q: %q then %q", f.name, in, out, again)
		}
		if len(out) != len(in) {
			t.Fatalf("%s(%q) = %q changes the length", f.name, in, out)
		}
		for k := 0; k < len(in); k++ {
			if out[k] != in[k] && !(in[k] >= '0' && in[k] <= '9' && out[k] == '*') {
				t.Fatalf("%s(%q) = %q changes byte %d to %q", f.name, in, out, k, out[k])
			}
		}
	}
	out := mask.Text(in)
	for k := 0; k+18 <= len(out); k++ {
		if identity.ValidIDNumber(out[k : k+18]) {
			t.Fatalf("Text(%q) = %q keeps the ID number %s", in, out, out[k:k+18])
		}
	}
}

func FuzzText(f *testing.F) {
	for _, tc := range textCases {
		f.Add(tc.in)
	}
	for _, s := range []string{
		"11010519491231002X", "x11010519491231002X5", "4101221953031512210371-62112345",
		"*0371-62112345", "410122195603150371-62112345", "138-1234-5678-1234",
		"USA41012219560315123X", "台胞证" + strings.Repeat("1", 18),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkText(t, s)
	})
}

func FuzzFields(f *testing.F) {
	for _, tc := range fieldCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, fn := range []func(string) string{mask.ID, mask.Name, mask.NameOnScreen, mask.Address, mask.Phone, mask.Value} {
			out := fn(s)
			if again := fn(out); again != out {
				t.Fatalf("not idempotent on %q: %q then %q", s, out, again)
			}
		}
	})
}
