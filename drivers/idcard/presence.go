package idcard

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"time"

	"github.com/henan-county/kiosk/kiosk/identity"
)

// FindAfterRead is how a reader model answers "find card" for a card it
// has already read while that card still lies in the field.
type FindAfterRead int

const (
	// FindAuto learns it from the first poll after a read: a card found
	// then is read once more and, when its text is the same card's, the
	// reader is taken to re-find read cards from then on.
	FindAuto FindAfterRead = iota
	// FindHalts: the reader answers "no card" for a read card until it
	// has left the field (what protocols.md describes). "No card" after
	// a read cannot tell "still lying there" from "taken away": presence
	// is unknown until a card is found again.
	FindHalts
	// FindRefinds: the reader finds a read card again for as long as it
	// lies there. "No card" means it has gone.
	FindRefinds
)

var findNames = [...]string{"auto", "halts", "refinds"}

func (f FindAfterRead) String() string {
	if f >= 0 && int(f) < len(findNames) {
		return findNames[f]
	}
	return fmt.Sprintf("FindAfterRead(%d)", int(f))
}

// ParseFindAfterRead is the inverse of FindAfterRead.String; "" is auto.
func ParseFindAfterRead(s string) (FindAfterRead, error) {
	if s == "" {
		return FindAuto, nil
	}
	for i, n := range findNames {
		if n == s {
			return FindAfterRead(i), nil
		}
	}
	return 0, fmt.Errorf("idcard: find after read %q: want auto, halts or refinds", s)
}

// Presence is what the Reader knows about a card in the field.
type Presence int

const (
	// PresenceUnknown: the reader cannot tell (not polled yet, offline, or
	// a halting reader answering "no card" after a read).
	PresenceUnknown Presence = iota
	// PresenceAbsent: no card in the field.
	PresenceAbsent
	// PresencePresent: a card lies in the field.
	PresencePresent
)

func (p Presence) String() string {
	switch p {
	case PresenceAbsent:
		return "absent"
	case PresencePresent:
		return "present"
	}
	return "unknown"
}

// media is the presence in the device model's words (XFS4IoT media).
func (p Presence) media() string {
	switch p {
	case PresenceAbsent:
		return "notPresent"
	case PresencePresent:
		return "present"
	}
	return "unknown"
}

// cardKey tells one card from another by what was read from it, never by
// the select reply: a keyed hash (the key is random and lives only in
// memory, so the hash cannot be turned back into an ID number) of the
// card's type, numbers, name and validity. A renewed card has a new
// validity and counts as another card.
type cardKey [sha256.Size]byte

func newCardKeyer() []byte {
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		// crypto/rand does not fail on Linux; a fixed key still tells
		// cards apart, it only makes the hash guessable in memory.
		clear(k)
	}
	return k
}

func keyOf(secret []byte, c *identity.Card) cardKey {
	m := hmac.New(sha256.New, secret)
	for _, f := range []string{string(c.Type), c.IDNumber, c.PassNumber, c.Name, c.EnglishName,
		c.ValidFrom.Format(time.DateOnly), c.ValidTo.Format(time.DateOnly), c.IssueCount, c.RenewalCount} {
		fmt.Fprintf(m, "%d:%s;", len(f), f)
	}
	var k cardKey
	m.Sum(k[:0])
	return k
}
