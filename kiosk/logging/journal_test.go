package logging

import (
	"bytes"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

func TestJournalLines(t *testing.T) {
	var out bytes.Buffer
	log := slog.New(New(NewJournal(&out, slog.LevelInfo), nil)).With("device", "a4")
	log.Debug("not shown")
	log.Info("a4 printer ready", "queue", "a4")
	log.Warn("a4 printer needs attention", "err", "cups: printer out of paper")
	log.WithGroup("job").Error("a4 job did not print", "id", 7, "phone", "13812345678")
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	want := []string{
		`<6>msg="a4 printer ready" device=a4 queue=a4`,
		`<4>msg="a4 printer needs attention" device=a4 err="cups: printer out of paper"`,
		`<3>msg="a4 job did not print" device=a4 job.id=7 job.phone=138****5678`,
	}
	if len(lines) != len(want) {
		t.Fatalf("lines:\n%s", out.String())
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d:\n got %s\nwant %s", i, lines[i], want[i])
		}
	}
}

func TestUnderJournal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "stream")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var st syscall.Stat_t
	if err := syscall.Fstat(int(f.Fd()), &st); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		env  string
		want bool
	}{
		{"", false},
		{strconv.FormatUint(uint64(st.Dev), 10) + ":" + strconv.FormatUint(st.Ino, 10), true},
		{strconv.FormatUint(uint64(st.Dev), 10) + ":" + strconv.FormatUint(st.Ino+1, 10), false},
		{"garbage", false},
	} {
		t.Setenv("JOURNAL_STREAM", tc.env)
		if got := UnderJournal(f); got != tc.want {
			t.Errorf("JOURNAL_STREAM=%q: %v, want %v", tc.env, got, tc.want)
		}
	}
}
