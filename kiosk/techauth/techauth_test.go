package techauth

import (
	"errors"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

func TestLockoutAfterWrongPINs(t *testing.T) {
	h, _ := bcrypt.GenerateFromPassword([]byte("246810"), bcrypt.MinCost)
	now := time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC)
	g, err := New(string(h), 3, 5*time.Minute, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	if err := g.Check("246810"); err != nil {
		t.Fatalf("right PIN: %v", err)
	}
	for i := 0; i < 2; i++ {
		if err := g.Check("000000"); !errors.Is(err, ErrWrongPIN) {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	if err := g.Check("000000"); !errors.Is(err, ErrLocked) {
		t.Fatalf("third wrong PIN: %v", err)
	}
	if err := g.Check("246810"); !errors.Is(err, ErrLocked) || !g.Locked() {
		t.Fatalf("right PIN during lockout: %v", err)
	}
	now = now.Add(5*time.Minute + time.Second)
	if err := g.Check("246810"); err != nil {
		t.Fatalf("after lockout: %v", err)
	}
}

func TestNoHashRefusesEverything(t *testing.T) {
	g, _ := New("", 3, time.Minute, nil)
	if err := g.Check(""); !errors.Is(err, ErrNoPIN) {
		t.Fatal(err)
	}
	if _, err := New("not-bcrypt", 3, time.Minute, nil); err == nil {
		t.Fatal("a bad hash was accepted")
	}
}
