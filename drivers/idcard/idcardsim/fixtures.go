package idcardsim

import (
	"time"

	"github.com/henan-county/kiosk/kiosk/identity"
)

// Fixture names. Every person is fictional; every number has a valid
// check digit except BadCheck's.
const (
	Han         = "han"          // resident card, Han, with fingerprint and an appended address
	Minority    = "minority"     // resident card, Uyghur name with ·
	LongAddress = "long-address" // resident card, 35-character address
	LongTerm    = "long-term"    // resident card valid 长期 (elderly holder)
	BadCheck    = "bad-check"    // resident card whose number fails its check digit
	HMTPermit   = "hmt"          // J: Hong Kong / Macau / Taiwan residence permit
	ForeignOld  = "foreign-old"  // I: foreign permanent resident card, old layout
	Foreign2023 = "foreign-2023" // Y: foreign permanent resident card, 2023 layout
)

// fixtureNames lists every fixture in a stable order.
var fixtureNames = []string{Han, Minority, LongAddress, LongTerm, BadCheck, HMTPermit, ForeignOld, Foreign2023}

func day(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))
}

// fixture is one card the simulated reader can hold.
type fixture struct {
	card    identity.Card
	address string // newest appended address, "" for none
	finger  int    // bytes of fingerprint data: 0, 512 or 1024
	serial  [8]byte
}

// Fixture returns a fresh copy of a fixture's card as the reader would
// decode it, with its fake photo (and fingerprint when it has one), so
// tests can compare what was read with what was placed.
func Fixture(name string) (*identity.Card, bool) {
	f, ok := fixtureByName(name)
	if !ok {
		return nil, false
	}
	c := f.card
	c.Photo = fakeBytes(name+"/photo", 1024)
	if f.finger > 0 {
		c.Fingerprint = fakeBytes(name+"/finger", f.finger)
	}
	return &c, true
}

func fixtureByName(name string) (fixture, bool) {
	switch name {
	case Han:
		return fixture{card: identity.Card{
			Type: identity.ResidentID, Name: "王建国", Sex: "男", SexCode: "1", NationCode: "01", Nation: "汉",
			Birth: day(1956, 3, 15), Address: "河南省郑州市中牟县城关镇建设路88号", IDNumber: "410122195603151231",
			IDNumberValid: true, Issuer: "中牟县公安局", ValidFrom: day(2016, 5, 10), ValidTo: day(2036, 5, 10),
		}, address: "河南省郑州市中牟县青年路12号院3号楼2单元", finger: 1024, serial: [8]byte{0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x01}}, true
	case Minority:
		return fixture{card: identity.Card{
			Type: identity.ResidentID, Name: "阿依古丽·买买提", Sex: "女", SexCode: "2", NationCode: "05", Nation: "维吾尔",
			Birth: day(1990, 6, 7), Address: "新疆乌鲁木齐市天山区解放南路108号", IDNumber: "650102199006072022",
			IDNumberValid: true, Issuer: "乌鲁木齐市公安局天山区分局", ValidFrom: day(2019, 8, 1), ValidTo: day(2039, 8, 1),
		}, serial: [8]byte{0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x02}}, true
	case LongAddress:
		return fixture{card: identity.Card{
			Type: identity.ResidentID, Name: "李秀英", Sex: "女", SexCode: "2", NationCode: "01", Nation: "汉",
			Birth: day(1978, 11, 9), Address: "河南省郑州市新郑市龙湖镇泰山村三组北街东段一百二十八号附一号院五栋二单",
			IDNumber: "410182197811093019", IDNumberValid: true, Issuer: "新郑市公安局",
			ValidFrom: day(2018, 2, 28), ValidTo: day(2038, 2, 28),
		}, serial: [8]byte{0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x03}}, true
	case LongTerm:
		return fixture{card: identity.Card{
			Type: identity.ResidentID, Name: "赵桂兰", Sex: "女", SexCode: "2", NationCode: "03", Nation: "回",
			Birth: day(1940, 1, 1), Address: "河南省郑州市中牟县韩寺镇韩寺村", IDNumber: "410122194001011026",
			IDNumberValid: true, Issuer: "中牟县公安局", ValidFrom: day(2006, 9, 12), LongTerm: true,
		}, serial: [8]byte{0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x04}}, true
	case BadCheck:
		return fixture{card: identity.Card{
			Type: identity.ResidentID, Name: "孙志强", Sex: "男", SexCode: "1", NationCode: "01", Nation: "汉",
			Birth: day(1985, 12, 12), Address: "河南省郑州市中牟县白沙镇", IDNumber: "410122198512124515",
			IDNumberValid: false, Issuer: "中牟县公安局", ValidFrom: day(2010, 4, 1), ValidTo: day(2030, 4, 1),
		}, serial: [8]byte{0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x05}}, true
	case HMTPermit:
		return fixture{card: identity.Card{
			Type: identity.ResidencePermit, Name: "陈嘉欣", Sex: "女", SexCode: "2",
			Birth: day(1995, 8, 23), Address: "河南省郑州市金水区花园路66号", IDNumber: "810000199508230029",
			IDNumberValid: true, Issuer: "郑州市公安局", ValidFrom: day(2021, 3, 1), ValidTo: day(2026, 3, 1),
			PassNumber: "H12345678", IssueCount: "01",
		}, serial: [8]byte{0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x06}}, true
	case ForeignOld:
		return fixture{card: identity.Card{
			Type: identity.ForeignPROld, Name: "史密斯", EnglishName: "SMITH, JOHN WILLIAM", Sex: "男", SexCode: "1",
			Nationality: "GBR", Birth: day(1970, 4, 2), IDNumber: "GBR410070040201",
			ValidFrom: day(2015, 7, 1), ValidTo: day(2025, 7, 1), CardVersion: "10", AuthorityCode: "1500",
		}, serial: [8]byte{0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x07}}, true
	case Foreign2023:
		return fixture{card: identity.Card{
			Type: identity.ForeignPR2023, Name: "玛丽亚", EnglishName: "GONZALEZ RODRIGUEZ, MARIA DEL CARMEN ALEJANDRA",
			Sex: "女", SexCode: "2", RenewalCount: "00", Nationality: "ESP", Birth: day(1988, 4, 12),
			IDNumber: "941724198804120312", IDNumberValid: true, ValidFrom: day(2023, 12, 1), ValidTo: day(2033, 12, 1),
		}, serial: [8]byte{0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x08}}, true
	}
	return fixture{}, false
}

// fakeBytes is deterministic filler standing in for WLT photos and
// fingerprint templates (a simple xorshift stream seeded by the name).
func fakeBytes(seed string, n int) []byte {
	var x uint64 = 0x9E3779B97F4A7C15
	for _, c := range []byte(seed) {
		x = (x ^ uint64(c)) * 0x100000001B3
	}
	out := make([]byte, n)
	for i := range out {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		out[i] = byte(x)
	}
	if n >= 3 {
		copy(out, "WLT")
	}
	return out
}
