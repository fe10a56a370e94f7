package escpos

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestWrap(t *testing.T) {
	tests := []struct {
		name string
		text string
		cols int
		want []string
	}{
		{"empty", "", 32, []string{""}},
		{"fits", "受理编号 ZM2026", 32, []string{"受理编号 ZM2026"}},
		{"chinese breaks anywhere", "河南省郑州市中牟县", 8, []string{"河南省郑", "州市中牟", "县"}},
		{"latin words whole", "keep this receipt safe", 10, []string{"keep this", "receipt", "safe"}},
		{"number kept whole", "编号ZM20261126K7", 10, []string{"编号", "ZM20261126", "K7"}},
		{"number not split after chinese", "电话13812345678", 14, []string{"电话", "13812345678"}},
		{"no closing punct at line start", "请妥善保，谢谢", 8, []string{"请妥善", "保，谢谢"}},
		{"full stop carried", "一二三四。五", 8, []string{"一二三", "四。五"}},
		{"opening punct not at end", "一二三（四）", 8, []string{"一二三", "（四）"}},
		{"spaces dropped at wrap", "abc def ghi", 7, []string{"abc def", "ghi"}},
		{"long word split", "abcdefghijklmnop", 6, []string{"abcdef", "ghijkl", "mnop"}},
		{"newlines", "第一行\n第二行", 32, []string{"第一行", "第二行"}},
		{"control chars", "a\x1bb\x00c", 32, []string{"a b c"}},
		{"double size 58mm", "已受理，排队处理中 / queued, will be processed", 16,
			[]string{"已受理，排队处理", "中 / queued,", "will be", "processed"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Wrap(tc.text, tc.cols)
			if !slices.Equal(got, tc.want) {
				t.Fatalf("Wrap(%q, %d) = %q, want %q", tc.text, tc.cols, got, tc.want)
			}
		})
	}
}

// wrapInvariants checks what must hold for any text: no line wider than
// cols, no character lost or split, no closing punctuation starting a line
// that follows a wrap (unless the line before had a single token).
func wrapInvariants(t *testing.T, text string, cols int) {
	if cols < 2 {
		cols = 2
	}
	lines := Wrap(text, cols)
	for _, l := range lines {
		if w := TextColumns(l); w > cols {
			t.Fatalf("line %q is %d columns wide, max %d", l, w, cols)
		}
		if !utf8.ValidString(l) {
			t.Fatalf("line %q is not valid UTF-8", l)
		}
	}
	squash := func(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, " ", ""), "\n", "") }
	var want strings.Builder
	for _, para := range strings.Split(text, "\n") {
		want.WriteString(Sanitize(strings.TrimRight(para, "\r")))
	}
	if got, want := squash(strings.Join(lines, "")), squash(want.String()); got != want {
		t.Fatalf("text changed: %q -> %q", want, got)
	}
}

func TestWrapInvariants(t *testing.T) {
	for _, text := range []string{
		"中牟县24小时政务服务大厅（城关）：请妥善保管此凭条 / keep this receipt。",
		"，，，，，，，，，，", "（（（（（（（（", "a，b。c、d；e：f？g！h",
		strings.Repeat("数", 50), strings.Repeat("9", 100),
	} {
		for cols := 2; cols <= 48; cols++ {
			wrapInvariants(t, text, cols)
		}
	}
}

func FuzzWrap(f *testing.F) {
	f.Add("请妥善保管此凭条 keep this receipt", 16)
	f.Add("（一二三）。，", 4)
	f.Add("\xff\xfe\x1b@", 3)
	f.Fuzz(func(t *testing.T, text string, cols int) {
		if cols > 200 || cols < -5 || len(text) > 2000 {
			return
		}
		wrapInvariants(t, text, cols)
	})
}

func BenchmarkWrap(b *testing.B) {
	s := "认证结果将以短信通知，也可扫描下方二维码查询。Results are sent by SMS; scan the QR code below to check."
	b.ReportAllocs()
	for b.Loop() {
		Wrap(s, 32)
	}
}
