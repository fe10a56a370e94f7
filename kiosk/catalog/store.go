package catalog

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Files in the store directory.
const (
	activeFile   = "active.json"
	previousFile = "previous.json"
	// pendingFile holds a staged list until it is applied, so a restart
	// (a power cut in the night) does not lose what operations published.
	pendingFile = "pending.json"
	sigSuffix   = ".minisig"
	floorFile   = "rollback-floor"
)

// Where the active catalog came from.
const (
	SourceStore         = "store"           // the applied list on disk
	SourceLastKnownGood = "last-known-good" // the active file failed to load; previous serves
	SourceDefault       = "default"         // nothing valid on disk: the built-in list
)

// Event kinds the store records for technicians and heartbeats.
const (
	EventRejected = "rejected"
	EventStaged   = "staged"
	EventApplied  = "applied"
	EventFallback = "fallback"
	EventRollback = "rollback"
	// EventNotInRollout: a newer list whose rollout does not name this
	// kiosk's hall. Not a rejection: the kiosk keeps its list.
	EventNotInRollout = "not-in-rollout"
)

// ErrNoPrevious: Rollback without a last-known-good list.
var ErrNoPrevious = errors.New("catalog: no last-known-good list to roll back to")

// maxEvents bounds the event history kept in memory.
const maxEvents = 64

// Event is one thing that happened to the store.
type Event struct {
	Time    time.Time `json:"time"`
	Kind    string    `json:"kind"`
	Version int64     `json:"version,omitempty"`
	Reason  string    `json:"reason,omitempty"`
}

// Status is what heartbeats and `kioskctl status` show.
type Status struct {
	Version        int64     `json:"version"`
	Hash           string    `json:"hash"`
	Source         string    `json:"source"`
	Stale          bool      `json:"stale"` // past expires_at: still serving, alarm raised
	ExpiresAt      time.Time `json:"expires_at"`
	PendingVersion int64     `json:"pending_version,omitempty"`
	// NotInRollout is the newest version offered whose rollout does not
	// name this kiosk's hall ("not in rollout"); 0 when none is waiting.
	NotInRollout  int64  `json:"not_in_rollout,omitempty"`
	LastRejection *Event `json:"last_rejection,omitempty"`
}

// Store keeps the active list and the previous (last-known-good) one on
// disk, holds a verified pending list until it may be applied, and records
// every rejection. No rejection changes the active list.
type Store struct {
	dir string
	v   *Verifier
	log *slog.Logger

	mu         sync.Mutex
	active     *Catalog
	activeSig  []byte
	source     string
	previous   *Catalog
	prevSig    []byte
	pending    *Catalog
	pendingSig []byte
	floor      int64 // versions at or below this were rolled back and are refused
	notIn      int64 // newest version offered that is not for this hall
	events     []Event
}

// OpenStore opens (creating) the store in dir. The active list on disk is
// checked with the verifier's signature and validity checks (not expiry:
// an expired list keeps serving and reports stale). If it fails, the
// last-known-good list serves and the failure is recorded; if neither
// loads, the built-in default serves. A nil logger discards.
func OpenStore(dir string, v *Verifier, logger *slog.Logger) (*Store, error) {
	if v == nil {
		return nil, fmt.Errorf("catalog: open store: nil verifier")
	}
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("catalog: open store: %w", err)
	}
	s := &Store{dir: dir, v: v, log: logger}
	if b, err := os.ReadFile(filepath.Join(dir, floorFile)); err == nil {
		s.floor, _ = strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	}
	active, asig, aerr := s.load(activeFile)
	prev, psig, perr := s.load(previousFile)
	if perr == nil {
		s.previous, s.prevSig = prev, psig
	} else if !errors.Is(perr, fs.ErrNotExist) {
		s.record(EventRejected, 0, "last-known-good list: "+perr.Error())
	}
	switch {
	case aerr == nil:
		s.active, s.activeSig, s.source = active, asig, SourceStore
	case s.previous != nil:
		s.active, s.activeSig, s.source = s.previous, s.prevSig, SourceLastKnownGood
		if errors.Is(aerr, fs.ErrNotExist) {
			s.record(EventFallback, s.active.Version, "no active list; serving last-known-good")
		} else {
			s.record(EventFallback, s.active.Version, "active list failed to load: "+aerr.Error())
		}
	default:
		def, err := Default()
		if err != nil {
			return nil, fmt.Errorf("catalog: open store: built-in catalog: %w", err)
		}
		s.active, s.source = def, SourceDefault
		if !errors.Is(aerr, fs.ErrNotExist) {
			s.record(EventFallback, def.Version, "active list failed to load, no last-known-good; serving built-in list: "+aerr.Error())
		}
	}
	s.loadPending()
	return s, nil
}

// loadPending takes back a list staged before a restart. It is checked
// again like any offered list (its signature, and newer than the active
// list and any rolled-back version); one that no longer qualifies is
// dropped and recorded.
func (s *Store) loadPending() {
	data, err := os.ReadFile(filepath.Join(s.dir, pendingFile))
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	var sig []byte
	if err == nil {
		sig, err = os.ReadFile(filepath.Join(s.dir, pendingFile+sigSuffix))
	}
	var c *Catalog
	if err == nil {
		c, err = s.v.Verify(data, sig, max(s.active.Version, s.floor))
	}
	if err == nil && !c.InRollout(s.v.Hall) {
		// kiosk.hall changed since it was staged.
		s.removePending()
		s.notIn = c.Version
		s.record(EventNotInRollout, c.Version, "staged before the restart; rollout "+c.Rollout.String()+", this kiosk's hall "+hallName(s.v.Hall))
		return
	}
	if err != nil {
		s.removePending()
		s.record(EventRejected, peekVersion(data, s.v.maxSize()), "list staged before the restart: "+err.Error())
		return
	}
	s.pending, s.pendingSig = c, sig
	s.record(EventStaged, c.Version, "staged before the restart")
}

// removePending deletes the staged list's files.
func (s *Store) removePending() {
	os.Remove(filepath.Join(s.dir, pendingFile))
	os.Remove(filepath.Join(s.dir, pendingFile+sigSuffix))
}

func (s *Store) load(name string) (*Catalog, []byte, error) {
	path := filepath.Join(s.dir, name)
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, s.v.maxSize()+1))
	if err != nil {
		return nil, nil, fmt.Errorf("catalog: read %s: %w", name, err)
	}
	sig, err := os.ReadFile(path + sigSuffix)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, nil, fmt.Errorf("catalog: read %s: %w", name+sigSuffix, err)
	}
	c, err := s.v.check(data, sig, 0, checks{})
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	return c, sig, nil
}

// record appends an event; the caller holds s.mu or is the constructor.
func (s *Store) record(kind string, version int64, reason string) {
	e := Event{Time: s.v.now(), Kind: kind, Version: version, Reason: reason}
	s.events = append(s.events, e)
	if len(s.events) > maxEvents {
		s.events = s.events[len(s.events)-maxEvents:]
	}
	switch kind {
	case EventRejected, EventFallback:
		s.log.Warn("catalog "+kind, "version", version, "reason", reason)
	default:
		s.log.Info("catalog "+kind, "version", version, "reason", reason)
	}
}

// Active returns the catalog serving residents. Never nil.
func (s *Store) Active() *Catalog {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.active
}

// Pending returns the verified list waiting to be applied, or nil.
func (s *Store) Pending() *Catalog {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pending
}

// Previous returns the last-known-good list, or nil.
func (s *Store) Previous() *Catalog {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.previous
}

// Source says where the active list came from (SourceStore,
// SourceLastKnownGood or SourceDefault).
func (s *Store) Source() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.source
}

// Stale reports whether the active list has passed its expiry. It keeps
// serving; status and heartbeats raise the stale-catalog alarm.
func (s *Store) Stale(now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.active.Expired(now)
}

// Events returns a copy of the recorded events, oldest first.
func (s *Store) Events() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Event(nil), s.events...)
}

// LastRejection returns the most recent rejection or fallback.
func (s *Store) LastRejection() (Event, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastRejection()
}

func (s *Store) lastRejection() (Event, bool) {
	for i := len(s.events) - 1; i >= 0; i-- {
		if k := s.events[i].Kind; k == EventRejected || k == EventFallback {
			return s.events[i], true
		}
	}
	return Event{}, false
}

// Status summarises the store for heartbeats and status screens.
func (s *Store) Status(now time.Time) Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := Status{Version: s.active.Version, Hash: s.active.Hash(), Source: s.source,
		Stale: s.active.Expired(now), ExpiresAt: s.active.ExpiresAt}
	if s.pending != nil {
		st.PendingVersion = s.pending.Version
	}
	if s.notIn > st.Version && s.notIn > st.PendingVersion {
		st.NotInRollout = s.notIn
	}
	if e, ok := s.lastRejection(); ok {
		st.LastRejection = &e
	}
	return st
}

// Stage verifies a list and holds it as pending. The list must be newer
// than the active one (and than any rolled-back version). A rejection is
// recorded and leaves the active and pending lists untouched.
//
// Two outcomes are not rejections. A list at the version of the active
// (or pending) one with the same content (ContentHash) is that list
// signed again with another rollout: Stage returns the active (or
// pending) list and changes nothing. A newer list whose rollout does not
// name this kiosk's hall is not staged: Stage records it, reports it in
// Status.NotInRollout and returns ErrNotInRollout; the kiosk keeps its
// list until a list for its hall comes.
func (s *Store) Stage(data, sig []byte) (*Catalog, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	// Version equal to the active one passes the rollback check here and
	// is then allowed only with the same content.
	min := max(s.active.Version-1, s.floor)
	c, err := s.v.Verify(data, sig, min)
	if err == nil && c.Version == s.active.Version {
		if c.ContentHash() == s.active.ContentHash() {
			return s.active, nil
		}
		err = fmt.Errorf("catalog: stage: version %d is active with other content (publish a higher version): %w", c.Version, ErrRollback)
	}
	if err == nil && s.pending != nil {
		switch {
		case c.Version == s.pending.Version && c.ContentHash() == s.pending.ContentHash():
			return s.pending, nil
		case c.Version <= s.pending.Version:
			err = fmt.Errorf("catalog: stage: version %d, pending %d: %w", c.Version, s.pending.Version, ErrRollback)
		}
	}
	if err != nil {
		s.record(EventRejected, peekVersion(data, s.v.maxSize()), err.Error())
		return nil, fmt.Errorf("catalog: stage: %w", err)
	}
	if !c.InRollout(s.v.Hall) {
		if c.Version != s.notIn {
			s.notIn = c.Version
			s.record(EventNotInRollout, c.Version, "rollout "+c.Rollout.String()+", this kiosk's hall "+hallName(s.v.Hall))
		}
		return nil, fmt.Errorf("catalog: stage: version %d, rollout %s: %w", c.Version, c.Rollout, ErrNotInRollout)
	}
	if err := s.writePair(pendingFile, data, sig); err != nil {
		return nil, fmt.Errorf("catalog: stage: %w", err)
	}
	s.pending, s.pendingSig = c, append([]byte(nil), sig...)
	s.record(EventStaged, c.Version, "")
	return c, nil
}

// hallName is a hall id for the record; "(none)" when kiosk.hall is unset.
func hallName(h string) string {
	if h == "" {
		return "(none)"
	}
	return h
}

// ApplyPending makes the pending list active if there is one and its
// effective_at has come. Only the session host calls it, and only between
// residents' sessions. The active list
// becomes the last-known-good. Writes are atomic: temp file, fsync,
// rename, fsync of the directory.
func (s *Store) ApplyPending(now time.Time) (applied bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.pending
	if p == nil {
		return false, nil
	}
	if p.EffectiveAt != nil && now.Before(*p.EffectiveAt) {
		return false, nil
	}
	if p.Version <= s.active.Version {
		s.pending, s.pendingSig = nil, nil
		s.removePending()
		return false, fmt.Errorf("catalog: apply: version %d, active %d: %w", p.Version, s.active.Version, ErrRollback)
	}
	if s.source == SourceStore && s.active.raw != nil {
		if err := s.writePair(previousFile, s.active.raw, s.activeSig); err != nil {
			return false, err
		}
		s.previous, s.prevSig = s.active, s.activeSig
	}
	if err := s.writePair(activeFile, p.raw, s.pendingSig); err != nil {
		return false, err
	}
	s.active, s.activeSig, s.source = p, s.pendingSig, SourceStore
	s.pending, s.pendingSig = nil, nil
	s.removePending()
	s.record(EventApplied, p.Version, "")
	return true, nil
}

// Rollback makes the last-known-good list active again. The version rolled
// back from is remembered and refused if offered again; publish a newer
// version to move forward.
func (s *Store) Rollback() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.previous == nil || s.previous == s.active {
		return fmt.Errorf("catalog: rollback: %w", ErrNoPrevious)
	}
	floor := max(s.floor, s.active.Version)
	if err := writeAtomic(s.dir, floorFile, []byte(strconv.FormatInt(floor, 10)+"\n")); err != nil {
		return err
	}
	if err := s.writePair(activeFile, s.previous.raw, s.prevSig); err != nil {
		return err
	}
	from := s.active.Version
	s.floor = floor
	s.active, s.activeSig, s.source = s.previous, s.prevSig, SourceStore
	if s.pending != nil && s.pending.Version <= floor {
		s.pending, s.pendingSig = nil, nil
		s.removePending()
	}
	s.record(EventRollback, s.active.Version, fmt.Sprintf("rolled back from version %d", from))
	return nil
}

// writePair writes the signature, then the list. A crash between the two
// leaves a list whose signature does not match; it fails to load and the
// last-known-good serves, which is the safe outcome.
func (s *Store) writePair(name string, data, sig []byte) error {
	if err := writeAtomic(s.dir, name+sigSuffix, sig); err != nil {
		return err
	}
	return writeAtomic(s.dir, name, data)
}

// writeAtomic replaces dir/name with data: temp file, fsync, rename,
// fsync of the directory.
func writeAtomic(dir, name string, data []byte) error {
	f, err := os.CreateTemp(dir, name+".tmp*")
	if err != nil {
		return fmt.Errorf("catalog: write %s: %w", name, err)
	}
	tmp := f.Name()
	fail := func(err error) error {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("catalog: write %s: %w", name, err)
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("catalog: write %s: %w", name, err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("catalog: write %s: %w", name, err)
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("catalog: write %s: sync dir: %w", name, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("catalog: write %s: sync dir: %w", name, err)
	}
	return nil
}

// peekVersion reads the version of a rejected list for the record, if
// it has one; 0 otherwise. Nothing else of the list is trusted.
func peekVersion(data []byte, max int64) int64 {
	if int64(len(data)) > max {
		return 0
	}
	var v struct {
		Version int64 `json:"version"`
	}
	if json.Unmarshal(data, &v) != nil {
		return 0
	}
	return v.Version
}
