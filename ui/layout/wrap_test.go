package layout

import (
	"reflect"
	"testing"
)

// A short bracketed group is never split across lines: "（原/件）" read as
// two words to the residents who saw it.
func TestWrapKeepsBracketsWhole(t *testing.T) {
	m := ApproxMeasurer{}
	for _, tc := range []struct {
		text  string
		width float64 // in em at size 10
		want  []string
	}{
		{"本人居民身份证（原件）", 8, []string{"本人居民身份证", "（原件）"}},
		{"请带上《营业执照》原件", 6, []string{"请带上", "《营业执照》", "原件"}},
		{"办理（即办）。", 5, []string{"办理", "（即办）。"}},
		// A long aside may still break, where the line is full.
		{"说明（这是一段很长很长的补充说明文字）", 8, []string{"说明（这是一段很", "长很长的补充说明", "文字）"}},
		// A group wider than a whole line breaks where punctuation allows.
		{"（原件复印件）", 3, []string{"（原件", "复印", "件）"}},
		{"办理（即办）", 3, []string{"办理", "（即", "办）"}},
	} {
		got := Wrap(tc.text, tc.width*10, 10, m)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Wrap(%q, %v em) = %q, want %q", tc.text, tc.width, got, tc.want)
		}
	}
}
