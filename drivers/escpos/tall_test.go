package escpos

import (
	"strings"
	"testing"
)

// TestTallKeepsNumbersWhole: large print goes tall at normal width only
// where wrapping would break inside a number, a code or a date.
func TestTallKeepsNumbersWhole(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"身份证号：410122********0024", true},        // the ID number would break
		{"时间：2026年11月26日 22:47", true},           // 11月 | 26日
		{"打印机测试页 PRINTER TEST", false},           // breaks at a space
		{"事项：城乡居民养老保险待遇资格认证", false},             // words wrap well
		{"联系电话：138****5678", false},              // the number moves whole to the next line
		{"办理编号 K7QH 2M4X", false},                // fits in large print
		{strings.Repeat("4101221956", 5), false}, // too long even at normal width
	}
	for _, tc := range tests {
		if got := tall(tc.text, 2, 32); got != tc.want {
			t.Errorf("tall(%q) = %v, want %v (large print: %q)", tc.text, got, tc.want, Wrap(tc.text, 16))
		}
	}
}
