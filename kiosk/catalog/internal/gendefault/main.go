// Command gendefault writes the kiosk's built-in service catalog
// (kiosk/catalog/default.json) from the hand-written matter tables in
// tables.go and the form templates in forms.go.
//
//	go generate ./kiosk/catalog   (runs: go run ./internal/gendefault -o default.json)
//
// The output is deterministic: the same tables give the same bytes.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/henan-county/kiosk/kiosk/catalog"
)

// Total is the number of matters the county offers at its kiosks; the
// list also holds matters of the county's other levels that the kiosk
// finds and sends residents on for.
const Total = 416

func main() {
	out := flag.String("o", "default.json", "output file")
	flag.Parse()
	c, err := build()
	if err != nil {
		fmt.Fprintln(os.Stderr, "gendefault:", err)
		os.Exit(1)
	}
	buf, err := encode(c)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gendefault:", err)
		os.Exit(1)
	}
	parsed, err := catalog.Parse(buf.Bytes())
	if err != nil {
		fmt.Fprintln(os.Stderr, "gendefault: output does not parse:", err)
		os.Exit(1)
	}
	if probs := catalog.Validate(parsed); len(probs) > 0 {
		for _, p := range probs {
			fmt.Fprintln(os.Stderr, "gendefault:", p)
		}
		os.Exit(1)
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gendefault:", err)
		os.Exit(1)
	}
	fmt.Printf("gendefault: %d matters (%d at the kiosk) in %d categories, %d places, %d bytes\n", len(c.Services), kioskMatters(c), len(c.Categories), len(c.Places), buf.Len())
}

// encode writes the catalog compactly with one matter per line, so that a
// diff between two lists shows which matters changed.
func encode(c *catalog.Catalog) (*bytes.Buffer, error) {
	compact := func(v any) ([]byte, error) {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			return nil, err
		}
		return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
	}
	head := *c
	head.Services = []catalog.Service{}
	hb, err := compact(&head)
	if err != nil {
		return nil, err
	}
	const tail = `"services":[]}`
	if !bytes.HasSuffix(hb, []byte(tail)) {
		return nil, fmt.Errorf("services is not the last field")
	}
	var buf bytes.Buffer
	buf.Write(hb[:len(hb)-len(tail)])
	buf.WriteString("\n\"services\":[\n")
	for i := range c.Services {
		sb, err := compact(&c.Services[i])
		if err != nil {
			return nil, err
		}
		buf.Write(sb)
		if i < len(c.Services)-1 {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
	}
	buf.WriteString("]}\n")
	return &buf, nil
}

func build() (*catalog.Catalog, error) {
	issued := time.Date(2026, 11, 20, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))
	c := &catalog.Catalog{
		SchemaVersion: catalog.SchemaVersion,
		Version:       2026112001,
		IssuedAt:      issued,
		ExpiresAt:     issued.AddDate(1, 0, 0),
		County:        "中牟县",
		Hotline:       "0371-62112345",
		AssistName:    "小牟帮办",
		Places:        places(),
		AssistURL:     "https://zwfw.zhongmu.gov.cn/bbdb",
		TrackURL:      "https://zwfw.zhongmu.gov.cn/jd?no={tracking}",
		Halls:         halls,
	}
	seenName := map[string]string{}
	for ci, cat := range categories {
		c.Categories = append(c.Categories, catalog.Category{ID: cat.id, Name: cat.name, Icon: cat.icon, Order: ci + 1})
		lines := nonEmptyLines(cat.matters)
		for i, line := range lines {
			s, err := matter(cat, line, i, len(lines))
			if err != nil {
				return nil, fmt.Errorf("%s line %d %q: %w", cat.id, i+1, line, err)
			}
			if prev, ok := seenName[s.Name]; ok {
				return nil, fmt.Errorf("name %q used by %s and %s", s.Name, prev, s.ID)
			}
			seenName[s.Name] = s.ID
			c.Services = append(c.Services, s)
		}
		for i, o := range others[cat.id] {
			s, err := otherMatter(cat, o, len(others[cat.id])-i)
			if err != nil {
				return nil, fmt.Errorf("%s other %s: %w", cat.id, o.id, err)
			}
			if prev, ok := seenName[s.Name]; ok {
				return nil, fmt.Errorf("name %q used by %s and %s", s.Name, prev, s.ID)
			}
			seenName[s.Name] = s.ID
			c.Services = append(c.Services, s)
		}
	}
	for id := range others {
		if c.Category(id) == nil {
			return nil, fmt.Errorf("others: unknown category %q", id)
		}
	}
	if n := kioskMatters(c); n != Total {
		return nil, fmt.Errorf("%d matters at the kiosk, want %d", n, Total)
	}
	return c, nil
}

func kioskMatters(c *catalog.Catalog) int {
	n := 0
	for i := range c.Services {
		if c.Services[i].AtKiosk() {
			n++
		}
	}
	return n
}

func nonEmptyLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// matter builds one service from a table line:
//
//	slug|name|kind|templates|flags|keywords
//
// kind: q query, p print, a apply, c certify, y appointment.
// templates: form templates joined by '+' (forms.go).
// flags, comma separated: h popular, n no ID card, w office hours only,
// W every day 07:00-21:00, o needs an answer now (online only), Q may be
// queued, x suspended (x:MESSAGE with its own message),
// $FEN fee, dN time limit in working days, s:SHORT short name, @DEPT department,
// m:MATERIAL extra material.
func matter(cat category, line string, i, n int) (catalog.Service, error) {
	parts := strings.Split(line, "|")
	if len(parts) != 6 {
		return catalog.Service{}, fmt.Errorf("want 6 fields, got %d", len(parts))
	}
	slug, name, kcode, tpls, flags, kws := parts[0], parts[1], parts[2], parts[3], parts[4], parts[5]
	s := catalog.Service{
		ID:          cat.id + "-" + slug,
		Name:        name,
		Category:    cat.id,
		Department:  cat.dept,
		NeedsIDCard: true,
		Hours:       catalog.Hours{Always: true},
		Status:      catalog.StatusActive,
		Materials:   []string{},
		Keywords:    []string{},
		Form:        []catalog.Field{},
	}
	switch kcode {
	case "q":
		s.Kind, s.Offline = catalog.KindQuery, catalog.OfflineOnlineOnly
	case "p":
		s.Kind, s.Offline, s.NeedsPrinter = catalog.KindPrint, catalog.OfflineQueue, true
	case "a":
		s.Kind, s.Offline, s.TimeLimitDays = catalog.KindApply, catalog.OfflineQueue, cat.days
	case "c":
		s.Kind, s.Offline = catalog.KindCertify, catalog.OfflineOnlineOnly
	case "y":
		s.Kind, s.Offline = catalog.KindAppointment, catalog.OfflineOnlineOnly
	default:
		return s, fmt.Errorf("unknown kind code %q", kcode)
	}
	hot := false
	var extraMaterials []string
	for _, f := range strings.Split(flags, ",") {
		f = strings.TrimSpace(f)
		switch {
		case f == "":
		case f == "h":
			hot = true
		case f == "n":
			s.NeedsIDCard = false
		case f == "w":
			s.Hours = officeHours
		case f == "o":
			s.Offline = catalog.OfflineOnlineOnly
		case f == "Q":
			s.Offline = catalog.OfflineQueue
		case f == "P":
			s.NeedsPrinter = true
		case f == "x":
			s.Status = catalog.StatusSuspended
			s.StatusMessage = suspendedMessage(name)
		case strings.HasPrefix(f, "x:"):
			s.Status = catalog.StatusSuspended
			s.StatusMessage = f[2:]
		case f == "W":
			s.Hours = dailyHours
		case strings.HasPrefix(f, "$"):
			v, err := strconv.ParseInt(f[1:], 10, 64)
			if err != nil {
				return s, fmt.Errorf("fee %q", f)
			}
			s.FeeFen = v
			s.FeeNote = "工本费，按国家规定标准收取，可用微信、支付宝或银联卡支付"
			if note, ok := feeNotes[s.ID]; ok {
				s.FeeNote = note
			}
		case strings.HasPrefix(f, "d"):
			v, err := strconv.Atoi(f[1:])
			if err != nil {
				return s, fmt.Errorf("days %q", f)
			}
			s.TimeLimitDays = v
		case strings.HasPrefix(f, "s:"):
			s.ShortName = f[2:]
		case strings.HasPrefix(f, "@"):
			s.Department = f[1:]
		case strings.HasPrefix(f, "m:"):
			extraMaterials = append(extraMaterials, f[2:])
		default:
			return s, fmt.Errorf("unknown flag %q", f)
		}
	}
	// Payment matters: contributions, fines, bills and taxes paid at the
	// kiosk (缴纳, 缴费), priced by the backend.
	if s.Kind == catalog.KindApply && (strings.HasSuffix(name, "缴纳") || strings.HasSuffix(name, "缴费")) {
		s.Payment = true
		if s.FeeNote == "" {
			s.FeeNote = "金额以系统核定为准，可用微信、支付宝或云闪付扫码支付"
		}
	}
	// Electronic ID codes: proofs and queries, where the provincial app's
	// 电子身份证 is accepted as the card is; not the matters about the card
	// itself, and not face checks, which compare the resident with the
	// card.
	if s.NeedsIDCard && (s.Kind == catalog.KindPrint || s.Kind == catalog.KindQuery) && !strings.Contains(name, "身份证") {
		s.IdentityCode = true
	}
	// Face checks: the certifications, done by 刷身份证并进行人脸识别 (the
	// pension qualification checks, the driving-licence review).
	if s.NeedsIDCard && s.Kind == catalog.KindCertify {
		s.FaceCheck, s.IdentityCode = true, false
	}
	if s.ShortName == "" {
		s.ShortName = shorten(name)
	}
	if utf8.RuneCountInString(s.ShortName) > 12 {
		return s, fmt.Errorf("short name %q longer than 12: add s", s.ShortName)
	}
	// Form and receipt.
	var lines []catalog.ReceiptLine
	if s.NeedsIDCard {
		s.Form = append(s.Form, catalog.Field{ID: "name", Label: "姓名", Type: catalog.FieldFromCard, Required: true, CardField: "name", Personal: true},
			catalog.Field{ID: "id_number", Label: "身份证号", Type: catalog.FieldFromCard, Required: true, CardField: "id_number", Personal: true})
		lines = append(lines, catalog.ReceiptLine{Label: "申请人", Field: "card.name", Mask: "name"},
			catalog.ReceiptLine{Label: "身份证号", Field: "card.id_number", Mask: "id"})
	}
	if tpls != "" {
		for _, t := range strings.Split(tpls, "+") {
			fn, ok := forms[t]
			if !ok {
				return s, fmt.Errorf("unknown form template %q", t)
			}
			fs := fn()
			for _, f := range fs {
				s.Form = append(s.Form, f)
				if f.Type == catalog.FieldDate && f.ID == "appt_date" {
					continue
				}
				lines = append(lines, catalog.ReceiptLine{Label: receiptLabel(f.Label), Field: f.ID, Mask: maskFor(f)})
			}
		}
	}
	lines = append(lines, resultLines[s.Kind]...)
	s.Receipt = catalog.Receipt{Title: receiptTitle(s), Lines: lines, Note: receiptNote(s)}
	where, err := whereFrom(true, cat.where)
	if err != nil {
		return s, err
	}
	s.Where = where
	if s.DoneAt(catalog.WhereOnline) {
		s.OnlineURL = onlineBase + s.ID
	}
	s.HomeVisit = homeVisits[s.ID]
	s.Devices = catalog.DevicesFor(&s)
	s.Description = describe(s) + moreDescription[s.ID]
	s.Materials = append(materials(cat, s, tpls), extraMaterials...)
	s.Keywords = append(splitKeywords(kws), cat.keywords...)
	// Popularity: the category's weight, the order within it, and a boost
	// for the matters residents use most.
	s.Popularity = cat.weight + (n-i)*10
	if hot {
		s.Popularity += 3000
	}
	if s.Status == catalog.StatusSuspended {
		s.Popularity /= 4
	}
	return s, nil
}

func splitKeywords(s string) []string {
	out := []string{}
	for _, k := range strings.Split(s, ",") {
		if k = strings.TrimSpace(k); k != "" {
			out = append(out, k)
		}
	}
	return out
}

var shortRules = []struct{ from, to string }{
	{"城乡居民基本养老保险", "居民养老"}, {"城乡居民养老保险", "居民养老"}, {"城乡居民基本医疗保险", "居民医保"}, {"城乡居民医保", "居民医保"},
	{"企业职工养老金", "养老金"}, {"住房公积金", "公积金"}, {"居民身份证", "身份证"}, {"社会保障卡", "社保卡"},
	{"机动车驾驶人", "驾驶人"}, {"机动车驾驶证", "驾驶证"}, {"机动车", ""}, {"不动产登记", "不动产"}, {"个人所得税", "个税"},
	{"养老保险", "养老"}, {"医疗保险", "医保"}, {"最低生活保障", "低保"}, {"义务教育", ""}, {"往来港澳通行证", "港澳证"},
	{"往来台湾通行证", "台湾证"}, {"出入境证件", "证件"}, {"申请", ""}, {"办理", ""}, {"申领", ""},
}

func shorten(name string) string {
	s := name
	for _, r := range shortRules {
		if utf8.RuneCountInString(s) <= 10 {
			break
		}
		s = strings.ReplaceAll(s, r.from, r.to)
	}
	return s
}

func suspendedMessage(name string) string {
	return "因系统升级，" + name + "暂停自助办理，预计2026年12月15日恢复。急需办理请到县政务服务中心窗口或拨打服务热线。"
}

var officeHours = catalog.Hours{Windows: []catalog.Window{
	{Days: []int{1, 2, 3, 4, 5}, From: "08:30", To: "12:00"},
	{Days: []int{1, 2, 3, 4, 5}, From: "14:30", To: "17:30"},
}}

var dailyHours = catalog.Hours{Windows: []catalog.Window{
	{Days: []int{1, 2, 3, 4, 5, 6, 7}, From: "07:00", To: "21:00"},
}}

var resultLines = map[catalog.Kind][]catalog.ReceiptLine{
	catalog.KindQuery:       {{Label: "查询结果", Field: "result.summary", Mask: "none"}},
	catalog.KindPrint:       {{Label: "文件编号", Field: "result.doc_no", Mask: "none"}, {Label: "验证码", Field: "result.verify_code", Mask: "none"}},
	catalog.KindApply:       {{Label: "受理编号", Field: "result.accept_no", Mask: "none"}},
	catalog.KindCertify:     {{Label: "认证结果", Field: "result.outcome", Mask: "none"}, {Label: "有效期至", Field: "result.valid_until", Mask: "none"}},
	catalog.KindAppointment: {{Label: "预约时间", Field: "result.slot", Mask: "none"}, {Label: "办理地点", Field: "result.place", Mask: "none"}},
}

func receiptLabel(l string) string {
	if utf8.RuneCountInString(l) > 16 {
		return string([]rune(l)[:16])
	}
	return l
}

func maskFor(f catalog.Field) string {
	switch {
	case f.Type == catalog.FieldIDNumber:
		return "id"
	case f.Type == catalog.FieldPhone:
		return "phone"
	case strings.Contains(f.ID, "address") || strings.Contains(f.ID, "location"):
		return "address"
	case strings.HasSuffix(f.ID, "_name") && f.Personal:
		return "name"
	case f.Personal:
		return "all"
	}
	return "none"
}

func receiptTitle(s catalog.Service) string {
	t := s.ShortName
	switch s.Kind {
	case catalog.KindApply:
		t += "受理凭条"
	case catalog.KindAppointment:
		t = strings.TrimSuffix(t, "预约") + "预约凭条"
	case catalog.KindCertify:
		t += "认证凭条"
	default:
		t += "凭条"
	}
	if utf8.RuneCountInString(t) > 32 {
		t = string([]rune(t)[:32])
	}
	return t
}

func receiptNote(s catalog.Service) string {
	switch s.Kind {
	case catalog.KindApply:
		if s.TimeLimitDays == 0 {
			return "当场办好。如有疑问请拨打服务热线。"
		}
		return fmt.Sprintf("承诺%d个工作日内办好，结果会用短信告诉您；也可以扫描二维码查看进度。", s.TimeLimitDays)
	case catalog.KindAppointment:
		return "请按预约时间携带本人身份证到场，迟到30分钟预约作废。"
	case catalog.KindPrint:
		return "扫描二维码可核验本文件真伪。"
	case catalog.KindCertify:
		return "认证成功后本年度无需再次认证。"
	}
	return "查询结果仅供参考，以部门系统记录为准。"
}

func describe(s catalog.Service) string {
	var b strings.Builder
	switch s.Kind {
	case catalog.KindQuery:
		if q, ok := strings.CutSuffix(s.ShortName, "查询"); ok {
			b.WriteString("在自助终端查询" + q + "，结果显示在屏幕上，可打印凭条。")
		} else {
			b.WriteString("在自助终端办理" + s.ShortName + "，结果显示在屏幕上，可打印凭条。")
		}
	case catalog.KindPrint:
		b.WriteString("在自助终端打印" + strings.TrimSuffix(s.ShortName, "打印") + "，加盖电子印章，与窗口出具的具有同等效力。")
	case catalog.KindApply:
		b.WriteString("在自助终端提交" + s.Name + "，材料由" + s.Department + "审核。")
	case catalog.KindCertify:
		b.WriteString("刷身份证并进行人脸识别，完成" + s.Name + "。")
	case catalog.KindAppointment:
		b.WriteString("选择日期和时段，预约到窗口办理" + strings.TrimSuffix(s.Name, "预约") + "。")
	}
	if s.NeedsIDCard {
		b.WriteString("请准备好本人身份证。")
	}
	if s.Offline == catalog.OfflineQueue && s.Kind != catalog.KindQuery {
		b.WriteString("网络中断时可先登记，恢复后自动提交。")
	}
	return b.String()
}

// materials: the ID card for a matter that needs it, then the matter's
// own materials (ownMaterials) or, for an application or appointment,
// the category's.
func materials(cat category, s catalog.Service, tpls string) []string {
	m := []string{}
	if s.NeedsIDCard {
		m = append(m, "本人居民身份证")
	}
	if own, ok := ownMaterials[s.ID]; ok {
		return append(m, own...)
	}
	if cat.id == "sc" {
		return append(m, marketMaterials(s, tpls)...)
	}
	if s.Kind == catalog.KindApply || s.Kind == catalog.KindAppointment {
		m = append(m, cat.materials...)
	}
	return m
}
