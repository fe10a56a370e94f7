package catalog

import (
	"encoding/json"
	"fmt"
	"sort"
	"testing"
	"time"
)

// queries are what residents type: initials, full pinyin, characters,
// keywords. Every prefix of each is one keystroke.
var queries = []string{
	"sbjf", "shebao", "shebaojiaofei", "社保缴费记录", "gjj", "gongjijin", "公积金提取", "gjjtq", "yyzz", "营业执照",
	"jtwf", "jiaotongweifa", "违章", "weizhang", "sfz", "shenfenzheng", "身份证补领", "sfzbl", "jzz", "juzhuzheng",
	"居住证签注", "cbzm", "canbaozhengming", "参保证明", "ylrz", "yanglaorenzheng", "养老认证", "dibao", "低保", "gaoling",
	"高龄补贴", "bbdb", "帮办", "bangban", "daiban", "ybjf", "yibao", "医保缴费", "ydjy", "yidijiuyi",
	"异地就医", "mtb", "慢特病", "gh", "guahao", "挂号", "jszhz", "驾驶证换证", "jiashizheng", "wfzm",
	"无犯罪", "wufanzui", "hjzm", "户籍证明", "hukou", "df", "dianfei", "交电费", "sf", "shuifei",
	"rqf", "ranqi", "bdc", "budongchan", "房产证", "wufangzhengming", "无房证明", "qs", "qishui", "契税",
	"gs", "geshui", "个税汇算", "tuishui", "fp", "fapiao", "代开发票", "syj", "shiyejin", "失业金",
	"cjz", "canjizheng", "残疾证", "jhdj", "jiehun", "结婚登记", "rxbm", "ruxue", "入学报名", "zhuxuejin",
	"flyz", "falvyuanzhu", "法律援助", "12345", "jdcx", "进度查询", "yinhang", "zhongda", "changqi", "njbt",
}

func BenchmarkLoad416(b *testing.B) {
	k := newKey(b)
	data := withVersion(b, 2026120101)
	sig := k.sign(b, data)
	v := verifier(k)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		c, err := v.Verify(data, sig, 1)
		if err != nil {
			b.Fatal(err)
		}
		NewIndex(c)
	}
}

func BenchmarkLoadStages(b *testing.B) {
	k := newKey(b)
	data := withVersion(b, 2026120101)
	sig := k.sign(b, data)
	v := verifier(k)
	c, _ := Parse(data)
	b.Run("signature", func(b *testing.B) {
		for b.Loop() {
			if err := v.checkSignatures(data, sig); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parse", func(b *testing.B) {
		for b.Loop() {
			Parse(data)
		}
	})
	b.Run("validate", func(b *testing.B) {
		for b.Loop() {
			Validate(c)
		}
	})
	b.Run("index", func(b *testing.B) {
		for b.Loop() {
			NewIndex(c)
		}
	})
}

// BenchmarkKeystroke types each query one character at a time into a
// Searcher, as the on-screen keyboard does, timing every keystroke, and
// reports the 99th percentile.
func BenchmarkKeystroke(b *testing.B) {
	ix := NewIndex(mustDefault(b))
	var times []time.Duration
	n := 0
	for b.Loop() {
		for _, q := range queries {
			s := ix.NewSearcher()
			r := []rune(q)
			for i := 1; i <= len(r); i++ {
				p := string(r[:i])
				t0 := time.Now()
				s.Search(p, 20)
				times = append(times, time.Since(t0))
			}
		}
		n++
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	p := func(q float64) float64 { return float64(times[int(q*float64(len(times)-1))].Nanoseconds()) }
	b.ReportMetric(p(0.50), "p50-ns/keystroke")
	b.ReportMetric(p(0.99), "p99-ns/keystroke")
	b.ReportMetric(float64(len(times)/n), "keystrokes/op")
}

// BenchmarkSearchCold is one search with no previous keystroke, over every
// prefix (the worst case: a pasted or spoken query).
func BenchmarkSearchCold(b *testing.B) {
	ix := NewIndex(mustDefault(b))
	var times []time.Duration
	for b.Loop() {
		for _, q := range queries {
			r := []rune(q)
			for i := 1; i <= len(r); i++ {
				p := string(r[:i])
				t0 := time.Now()
				ix.Search(p, 20)
				times = append(times, time.Since(t0))
			}
		}
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	b.ReportMetric(float64(times[len(times)*99/100].Nanoseconds()), "p99-ns/search")
}

// synthetic returns a catalog of n matters made by repeating the built-in
// ones under new ids and names.
func synthetic(b testing.TB, n int) []byte {
	base := mustDefault(b)
	c := *base
	c.Version = 2026120101
	c.Services = make([]Service, 0, n)
	for i := 0; len(c.Services) < n; i++ {
		s := base.Services[i%len(base.Services)]
		if round := i / len(base.Services); round > 0 {
			s.ID = fmt.Sprintf("%s-r%d", s.ID, round)
			s.Name = fmt.Sprintf("%s（第%d片区）", s.Name, round)
		}
		c.Services = append(c.Services, s)
	}
	data, err := json.Marshal(&c)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// BenchmarkScale loads 416 and 10,000 matters and reports the cost per
// matter of each and their ratio (1.0 is perfectly linear).
func BenchmarkScale(b *testing.B) {
	k := newKey(b)
	v := verifier(k)
	v.MaxSize = 64 << 20
	load := func(data, sig []byte) time.Duration {
		t0 := time.Now()
		c, err := v.Verify(data, sig, 1)
		if err != nil {
			b.Fatal(err)
		}
		NewIndex(c)
		return time.Since(t0)
	}
	small, big := synthetic(b, 416), synthetic(b, 10000)
	ssig, bsig := k.sign(b, small), k.sign(b, big)
	var ts, tb time.Duration
	for b.Loop() {
		ts += load(small, ssig)
		tb += load(big, bsig)
	}
	per416 := float64(ts.Nanoseconds()) / 416
	per10k := float64(tb.Nanoseconds()) / 10000
	b.ReportMetric(per416/float64(b.N), "ns/matter@416")
	b.ReportMetric(per10k/float64(b.N), "ns/matter@10k")
	b.ReportMetric(per10k/per416, "per-matter-ratio")
	b.ReportMetric(float64(tb)/float64(ts), "total-ratio")
}
