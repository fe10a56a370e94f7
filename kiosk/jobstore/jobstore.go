// Package jobstore keeps the receipt printer's jobs on disk, so the
// receipts kept for a reprint (kioskctl print jobs, kioskctl print
// reprint) survive a restart of the daemon.
//
// A receipt carries the resident's data (masked names and numbers, the
// tracking number, the matter), so a job is never on disk in the clear:
// each job is one file, mode 0600, its record and receipt sealed together
// with XChaCha20-Poly1305 under the outbox's key. The seal's additional
// data is the format's prefix and the job's number, so a file renamed to
// another job's number or altered in any byte does not open. Files are
// written to a temporary name, fsynced and renamed, and the directory
// fsynced, so a power cut leaves the old file or the new one. Sweep
// deletes the jobs older than the retention.
//
// File format (version 1), named NNNNNNNN.kjob after the job's number:
//
//	"KIOSKJOB" | version (1 byte) | nonce (24 bytes) |
//	sealed JSON {record, receipt} (ciphertext + 16-byte tag)
package jobstore

import (
	"bytes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/chacha20poly1305"

	"github.com/henan-county/kiosk/kiosk/receipt"
)

// KeySize is the length of the key: the outbox's (outbox.KeySize).
const KeySize = chacha20poly1305.KeySize

const (
	magic   = "KIOSKJOB"
	version = 1
	suffix  = ".kjob"
	// maxFile bounds what is read: a receipt with raster lines is tens of
	// kilobytes.
	maxFile = 16 << 20
)

// Errors callers act on.
var (
	// ErrNotFound: no job of that number is kept.
	ErrNotFound = errors.New("jobstore: no such job")
	// ErrCorrupt: a file is not a job of this store, or its seal does not
	// open (damaged, altered, renamed, another key).
	ErrCorrupt = errors.New("jobstore: damaged or altered job file")
)

// Record is a job's bookkeeping, as the printer's queue has it.
type Record struct {
	ID       int64     `json:"id"`
	State    string    `json:"state"`
	Created  time.Time `json:"created"`
	Updated  time.Time `json:"updated"`
	Bytes    int       `json:"bytes"`
	Sent     int       `json:"sent"`
	Attempts int       `json:"attempts"`
	Err      string    `json:"error,omitempty"`
}

// Job is a kept job: its record and its receipt.
type Job struct {
	Record
	Doc receipt.Doc
}

// Store is a directory of sealed jobs. It is safe for concurrent use.
type Store struct {
	dir  string
	aead cipher.AEAD
	mu   sync.Mutex
}

// Open opens (creating, mode 0700) the store in dir with key (KeySize
// bytes, the outbox's).
func Open(dir string, key []byte) (*Store, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("jobstore: key of %d bytes, want %d", len(key), KeySize)
	}
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, fmt.Errorf("jobstore: key: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("jobstore: %w", err)
	}
	return &Store{dir: dir, aead: aead}, nil
}

// Dir is the store's directory.
func (s *Store) Dir() string { return s.dir }

func (s *Store) path(id int64) string {
	return filepath.Join(s.dir, fmt.Sprintf("%08d%s", id, suffix))
}

// Put seals the job and keeps it, replacing the job of the same number.
func (s *Store) Put(j Job) error {
	if j.ID <= 0 {
		return fmt.Errorf("jobstore: put: job number %d", j.ID)
	}
	b, err := s.encode(j)
	if err != nil {
		return fmt.Errorf("jobstore: put job %d: %w", j.ID, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := writeFile(s.dir, s.path(j.ID), b); err != nil {
		return fmt.Errorf("jobstore: put job %d: %w", j.ID, err)
	}
	return nil
}

// Get opens the job of number id.
func (s *Store) Get(id int64) (Job, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.readLocked(id)
}

func (s *Store) readLocked(id int64) (Job, error) {
	b, err := readFile(s.path(id))
	if errors.Is(err, os.ErrNotExist) {
		return Job{}, fmt.Errorf("%w: %d", ErrNotFound, id)
	}
	if err != nil {
		return Job{}, fmt.Errorf("jobstore: job %d: %w", id, err)
	}
	j, err := s.decode(b, id)
	if err != nil {
		return Job{}, fmt.Errorf("jobstore: job %d (%s): %w", id, s.path(id), err)
	}
	return j, nil
}

// Delete forgets the job of number id (no error when it is not kept).
func (s *Store) Delete(id int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := os.Remove(s.path(id)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("jobstore: delete job %d: %w", id, err)
	}
	syncDir(s.dir)
	return nil
}

// List opens every kept job, oldest number first. A file that does not
// open is left out and reported in the error (wrapping ErrCorrupt), with
// the jobs that did open.
func (s *Store) List() ([]Job, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids, err := s.idsLocked()
	if err != nil {
		return nil, err
	}
	var out []Job
	var errs []error
	for _, id := range ids {
		j, err := s.readLocked(id)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, j)
	}
	return out, errors.Join(errs...)
}

// idsLocked lists the job numbers that have files.
func (s *Store) idsLocked() ([]int64, error) {
	es, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, fmt.Errorf("jobstore: %w", err)
	}
	var ids []int64
	for _, e := range es {
		name := e.Name()
		if !strings.HasSuffix(name, suffix) || strings.HasPrefix(name, ".") {
			continue
		}
		id, err := strconv.ParseInt(strings.TrimSuffix(name, suffix), 10, 64)
		if err != nil || id <= 0 {
			continue
		}
		ids = append(ids, id)
	}
	sort.Slice(ids, func(a, b int) bool { return ids[a] < ids[b] })
	return ids, nil
}

// Sweep deletes every job last updated before now-retention, every file
// that is not a job of this store (it cannot be reprinted: its seal does
// not open) once its modification time is that old too, and the leftovers
// of interrupted writes. It returns the numbers of the jobs deleted.
func (s *Store) Sweep(now time.Time, retention time.Duration) ([]int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	es, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, fmt.Errorf("jobstore: sweep: %w", err)
	}
	cutoff := now.Add(-retention)
	var gone []int64
	var errs []error
	for _, e := range es {
		name := e.Name()
		p := filepath.Join(s.dir, name)
		if strings.HasPrefix(name, ".tmp-") {
			errs = append(errs, remove(p))
			continue
		}
		id, perr := strconv.ParseInt(strings.TrimSuffix(name, suffix), 10, 64)
		if !strings.HasSuffix(name, suffix) || perr != nil {
			continue // not the store's
		}
		when := time.Time{}
		if j, err := s.readLocked(id); err == nil {
			when = j.Updated
		} else if fi, err := e.Info(); err == nil {
			when = fi.ModTime()
		}
		if when.Before(cutoff) {
			if err := remove(p); err != nil {
				errs = append(errs, err)
				continue
			}
			gone = append(gone, id)
		}
	}
	syncDir(s.dir)
	return gone, errors.Join(errs...)
}

func remove(p string) error {
	if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("jobstore: sweep: %w", err)
	}
	return nil
}

// ad is the seal's additional data: the prefix and the job's number.
func ad(id int64) []byte {
	b := append([]byte(magic), version)
	return binary.BigEndian.AppendUint64(b, uint64(id))
}

// stored is the sealed JSON.
type stored struct {
	Record Record `json:"record"`
	Elems  []elem `json:"receipt"`
}

type elem struct {
	Kind  receipt.ElemKind `json:"kind"`
	Text  string           `json:"text,omitempty"`
	Size  int              `json:"size,omitempty"`
	Bold  bool             `json:"bold,omitempty"`
	Align receipt.Align    `json:"align,omitempty"`
	Data  string           `json:"data,omitempty"`
	Lines int              `json:"lines,omitempty"`
	PNG   []byte           `json:"png,omitempty"` // Image, as PNG
}

func (s *Store) encode(j Job) ([]byte, error) {
	st := stored{Record: j.Record}
	for _, e := range j.Doc.Elems {
		el := elem{Kind: e.Kind, Text: e.Text, Size: e.Size, Bold: e.Bold, Align: e.Align, Data: e.Data, Lines: e.Lines}
		if e.Image != nil {
			var buf bytes.Buffer
			if err := png.Encode(&buf, e.Image); err != nil {
				return nil, fmt.Errorf("receipt image: %w", err)
			}
			el.PNG = buf.Bytes()
		}
		st.Elems = append(st.Elems, el)
	}
	plain, err := json.Marshal(st)
	if err != nil {
		return nil, err
	}
	defer clear(plain)
	ns := s.aead.NonceSize()
	out := make([]byte, 0, len(magic)+1+ns+len(plain)+s.aead.Overhead())
	out = append(out, magic...)
	out = append(out, version)
	nonce := make([]byte, ns)
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	out = append(out, nonce...)
	return s.aead.Seal(out, nonce, plain, ad(j.ID)), nil
}

// decode opens a job file's bytes for job number id. Anything but a file
// this format wrote with the store's key for that number is ErrCorrupt;
// it never panics on any input.
func (s *Store) decode(b []byte, id int64) (Job, error) {
	pre := len(magic) + 1
	ns := s.aead.NonceSize()
	if len(b) < pre || string(b[:len(magic)]) != magic {
		return Job{}, fmt.Errorf("%w: not a kept job", ErrCorrupt)
	}
	if v := b[len(magic)]; v != version {
		return Job{}, fmt.Errorf("%w: format version %d", ErrCorrupt, v)
	}
	if len(b) < pre+ns+s.aead.Overhead() {
		return Job{}, fmt.Errorf("%w: %d bytes, too short", ErrCorrupt, len(b))
	}
	plain, err := s.aead.Open(nil, b[pre:pre+ns], b[pre+ns:], ad(id))
	if err != nil {
		return Job{}, fmt.Errorf("%w: the seal does not open (altered, renamed or another key)", ErrCorrupt)
	}
	defer clear(plain)
	var st stored
	dec := json.NewDecoder(bytes.NewReader(plain))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&st); err != nil {
		return Job{}, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if st.Record.ID != id {
		return Job{}, fmt.Errorf("%w: holds job %d", ErrCorrupt, st.Record.ID)
	}
	j := Job{Record: st.Record}
	for _, e := range st.Elems {
		el := receipt.Elem{Kind: e.Kind, Text: e.Text, Size: e.Size, Bold: e.Bold, Align: e.Align, Data: e.Data, Lines: e.Lines}
		if len(e.PNG) > 0 {
			img, err := png.Decode(bytes.NewReader(e.PNG))
			if err != nil {
				return Job{}, fmt.Errorf("%w: receipt image: %v", ErrCorrupt, err)
			}
			el.Image = img
		}
		j.Doc.Elems = append(j.Doc.Elems, el)
	}
	return j, nil
}

func readFile(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.Size() > maxFile {
		return nil, fmt.Errorf("%w: %d bytes", ErrCorrupt, fi.Size())
	}
	b := make([]byte, fi.Size())
	if _, err := f.ReadAt(b, 0); err != nil && fi.Size() > 0 {
		return nil, err
	}
	return b, nil
}

// writeFile writes b to path through a temporary file (mode 0600,
// fsynced, renamed over path) and fsyncs dir.
func writeFile(dir, path string, b []byte) error {
	f, err := os.CreateTemp(dir, ".tmp-")
	if err != nil {
		return err
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := f.Chmod(0o600); err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	ok = true
	syncDir(dir)
	return nil
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
