package cups

import (
	"bytes"
	"errors"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"time"
)

func sampleReply() *Message {
	m := &Message{Major: 2, Minor: 0, Code: 0x0000, RequestID: 7}
	m.Add(TagOperation, "attributes-charset", Str(TagCharset, "utf-8"))
	m.Add(TagOperation, "attributes-natural-language", Str(TagLanguage, "en"))
	m.Add(TagPrinter, "printer-state", Int(TagEnum, 5))
	m.Add(TagPrinter, "printer-state-reasons", Str(TagKeyword, "media-empty-error"), Str(TagKeyword, "toner-low-warning"))
	m.Add(TagPrinter, "printer-is-accepting-jobs", Int(TagBoolean, 1))
	m.Add(TagPrinter, "marker-names", Str(TagName, "Black Toner"))
	m.Add(TagPrinter, "marker-types", Str(TagKeyword, "toner"))
	m.Add(TagPrinter, "marker-levels", Int(TagInteger, 8))
	m.Add(TagPrinter, "printer-input-tray", Str(TagOctetString, "type=sheetFeedAutoRemovableTray;maxcapacity=250;level=100;status=0;name=main;"))
	return m
}

func TestRoundTrip(t *testing.T) {
	m := sampleReply()
	var b bytes.Buffer
	if err := m.Encode(&b); err != nil {
		t.Fatal(err)
	}
	b.WriteString("%PDF-data")
	got, err := Decode(&b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, m) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, m)
	}
}

func TestPrinterFrom(t *testing.T) {
	p := printerFrom("a4", sampleReply())
	if p.State != PrinterStopped || !p.Accepting || !reflect.DeepEqual(p.Reasons, []string{"media-empty", "toner-low"}) {
		t.Errorf("%+v", p)
	}
	if !errors.Is(p.Err(), ErrMediaEmpty) || p.Paper() != "out" {
		t.Errorf("err %v paper %s", p.Err(), p.Paper())
	}
	if toner, level := p.Toner(); toner != "low" || level != 8 {
		t.Errorf("toner %s %d", toner, level)
	}
	if len(p.Trays) != 1 || p.Trays[0] != (Tray{Name: "main", Level: 100, Capacity: 250}) {
		t.Errorf("trays %+v", p.Trays)
	}
}

func TestPrinterSupply(t *testing.T) {
	m := &Message{Major: 2}
	m.Add(TagPrinter, "printer-supply", Str(TagOctetString, "index=1;class=receptacleThatIsFilled;type=wasteToner;unit=percent;maxcapacity=100;level=25;"),
		Str(TagOctetString, "index=2;class=supplyThatIsConsumed;type=toner;unit=percent;maxcapacity=100;level=75;colorantname=black;"))
	m.Add(TagPrinter, "printer-supply-description", Str(TagText, "Toner Waste Tank"), Str(TagText, "Black Toner"))
	got := markersFrom(m)
	want := []Marker{{"Toner Waste Tank", "waste-toner", 25}, {"Black Toner", "toner", 75}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v want %+v", got, want)
	}
}

func TestDecodeErrors(t *testing.T) {
	for name, in := range map[string][]byte{
		"empty":           nil,
		"short header":    {2, 0, 0},
		"bad version":     {9, 0, 0, 0, 0, 0, 0, 1, 3},
		"no end":          {2, 0, 0, 0, 0, 0, 0, 1, 1},
		"value first":     {2, 0, 0, 0, 0, 0, 0, 1, 0x21, 0, 1, 'a', 0, 4, 0, 0, 0, 1, 3},
		"short integer":   {2, 0, 0, 0, 0, 0, 0, 1, 1, 0x21, 0, 1, 'a', 0, 2, 0, 1, 3},
		"orphan value":    {2, 0, 0, 0, 0, 0, 0, 1, 1, 0x44, 0, 0, 0, 1, 'x', 3},
		"open collection": {2, 0, 0, 0, 0, 0, 0, 1, 4, 0x34, 0, 1, 'c', 0, 0, 3},
	} {
		if _, err := Decode(bytes.NewReader(in)); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %v, want ErrMalformed", name, err)
		}
	}
}

func TestCollectionSkipped(t *testing.T) {
	in := []byte{2, 0, 0, 0, 0, 0, 0, 1, 4,
		0x34, 0, 3, 'c', 'o', 'l', 0, 0, // begCollection "col"
		0x4a, 0, 0, 0, 1, 'k', // member name k
		0x44, 0, 0, 0, 1, 'v', // its value
		0x37, 0, 0, 0, 0, // endCollection
		0x23, 0, 1, 'e', 0, 4, 0, 0, 0, 9,
		3}
	m, err := Decode(bytes.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if n, ok := m.Int("e"); !ok || n != 9 || len(m.Groups[0].Attrs) != 2 {
		t.Errorf("%+v", m)
	}
}

func FuzzDecode(f *testing.F) {
	var b bytes.Buffer
	sampleReply().Encode(&b)
	f.Add(b.Bytes())
	f.Add([]byte{2, 0, 0, 0, 0, 0, 0, 1, 4, 0x34, 0, 1, 'c', 0, 0, 0x37, 0, 0, 0, 0, 3})
	f.Fuzz(func(t *testing.T, in []byte) {
		m, err := Decode(bytes.NewReader(in))
		if err != nil {
			return
		}
		// Whatever decodes reads as a printer and a job without panicking,
		// and what has no collection encodes and decodes to itself.
		_ = printerFrom("q", m).DeviceState()
		_ = jobFrom(1, m)
		for _, g := range m.Groups {
			for _, a := range g.Attrs {
				for _, v := range a.Values {
					switch v.Tag {
					case TagBegCollection, TagEndCollection, TagMemberName:
						return
					}
					if v.Tag >= tagExtension || v.Tag < 0x10 {
						return
					}
				}
			}
		}
		var out bytes.Buffer
		if err := m.Encode(&out); err != nil {
			return
		}
		m2, err := Decode(&out)
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if !reflect.DeepEqual(m, m2) {
			t.Fatalf("round trip changed the message:\n%+v\n%+v", m, m2)
		}
	})
}

func TestTestPage(t *testing.T) {
	pdf := TestPage("a4 (hall)", time.Date(2026, 12, 2, 9, 30, 0, 0, time.UTC))
	if !bytes.HasPrefix(pdf, []byte("%PDF-1.4\n")) || !bytes.HasSuffix(pdf, []byte("%%EOF\n")) {
		t.Fatalf("not a PDF: %.40q", pdf)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) not installed")
	}
	cmd := exec.Command("pdftotext", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v: %s", err, out)
	}
	for _, want := range []string{"Kiosk A4 printer test page", "Queue: a4 (hall)", "2026-12-02 09:30:00 UTC"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("test page lacks %q:\n%s", want, out)
		}
	}
}
