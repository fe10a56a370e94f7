package main

import (
	"os"
	"strings"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(childMain())
	}
	os.Exit(m.Run())
}

// TestCrashShort is the short crash test: 100 acknowledged transactions,
// at least 5 SIGKILLs, replies dropped at random.
func TestCrashShort(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	var log strings.Builder
	rep, err := Run(Options{N: 100, MinKills: 5, Dir: t.TempDir(), KillMin: 50 * time.Millisecond,
		KillMax: 300 * time.Millisecond, DropReplyRate: 0.3, DropRate: 0.05, Timeout: 60 * time.Second}, &log)
	t.Log(log.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Log(rep)
	if !rep.OK() || rep.Acknowledged < 100 || rep.Kills < 5 {
		t.Fatalf("crash test failed: %v", rep)
	}
	if rep.DroppedReply == 0 {
		t.Errorf("no replies were dropped: %v", rep)
	}
}

// TestPaymentCrashShort is the short payment crash test: 40 payments, at
// least 8 SIGKILLs, replies dropped at random, charges settled late.
func TestPaymentCrashShort(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	var log strings.Builder
	rep, err := RunPayments(Options{N: 40, MinKills: 8, Dir: t.TempDir(), KillMin: 100 * time.Millisecond,
		KillMax: 400 * time.Millisecond, DropReplyRate: 0.2, DropRate: 0.05, Timeout: 3 * time.Minute}, &log)
	t.Log(log.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Log(rep)
	if !rep.OK() || rep.Opened < 40 || rep.Kills < 8 || rep.Completed == 0 || rep.Cancelled == 0 {
		t.Fatalf("payment crash test failed: %v", rep)
	}
}
