// Package docstore keeps the A4 documents of print matters on the kiosk
// between their download and their printing, and after a print a fault
// stopped, so a technician (or the resident, once the printer works
// again) can print them again without asking the backend.
//
// A document carries the resident's data, so it is never on disk in the
// clear: each is one file, mode 0600, holding a small header in the clear
// (the transaction id, the store's number for it, the matter's title, the
// page count, the fault that kept it; nothing personal) and the PDF
// sealed with XChaCha20-Poly1305 under the outbox's key. The header is the
// seal's additional data, so a file cannot be moved to another
// transaction, renumbered or have its header altered without Get refusing
// it. Files are written to a temporary name, fsynced and renamed, and the
// directory fsynced, so a power cut leaves the old file or the new one.
//
// File format (version 1):
//
//	"KIOSKDOC" | version (1 byte) | header length (uint32, big-endian) |
//	header (JSON) | nonce (24 bytes) | sealed PDF (ciphertext + 16-byte tag)
package docstore

import (
	"bytes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/chacha20poly1305"
)

// KeySize is the length of the key: the outbox's (outbox.KeySize).
const KeySize = chacha20poly1305.KeySize

const (
	magic      = "KIOSKDOC"
	version    = 1
	maxHeader  = 4 << 10
	suffix     = ".kdoc"
	seqFile    = "seq"
	prefixSize = len(magic) + 1 + 4
)

// Errors callers act on.
var (
	// ErrNotFound: no document is kept for that transaction or number.
	ErrNotFound = errors.New("docstore: no such document")
	// ErrCorrupt: a file is not a document of this store, or its seal
	// does not open (damaged, altered, another key, another transaction).
	ErrCorrupt = errors.New("docstore: damaged or altered document")
)

// Info is what the store says about a document without opening its seal.
// Nothing in it is personal.
type Info struct {
	TxID    string    `json:"tx"`
	Seq     int64     `json:"seq"` // the store's number, never reused
	Title   string    `json:"title,omitempty"`
	Pages   int       `json:"pages"`
	Size    int64     `json:"size"` // bytes of the PDF
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
	// Fault is why a print of it stopped ("" while none has): a document
	// with a fault is kept for a reprint until its retention ends.
	Fault    string `json:"fault,omitempty"`
	Attempts int    `json:"attempts,omitempty"` // prints tried
}

// Store is a directory of sealed documents. It is safe for concurrent use.
type Store struct {
	dir  string
	aead cipher.AEAD
	now  func() time.Time

	mu   sync.Mutex
	last int64 // the last number given
}

// Open opens (creating, mode 0700) the store in dir with key (KeySize
// bytes, the outbox's). now is the clock for Created and Updated (nil:
// time.Now).
func Open(dir string, key []byte, now func() time.Time) (*Store, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("docstore: key of %d bytes, want %d", len(key), KeySize)
	}
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, fmt.Errorf("docstore: key: %w", err)
	}
	if now == nil {
		now = time.Now
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("docstore: %w", err)
	}
	s := &Store{dir: dir, aead: aead, now: now}
	b, err := os.ReadFile(filepath.Join(dir, seqFile))
	switch {
	case err == nil:
		n, perr := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		if perr == nil && n > 0 {
			s.last = n
		}
	case !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("docstore: %w", err)
	}
	// A lost or damaged counter must not hand out a number in use.
	infos, err := s.List()
	if err != nil {
		return nil, err
	}
	for _, in := range infos {
		s.last = max(s.last, in.Seq)
	}
	return s, nil
}

// Dir is the store's directory.
func (s *Store) Dir() string { return s.dir }

func (s *Store) path(seq int64) string {
	return filepath.Join(s.dir, fmt.Sprintf("%08d%s", seq, suffix))
}

// Put seals pdf and keeps it for transaction info.TxID, with info's
// Title and Pages; the store sets Seq, Size, Created and Updated. A
// document already kept for the transaction is replaced and keeps its
// number.
func (s *Store) Put(info Info, pdf []byte) (Info, error) {
	if info.TxID == "" {
		return Info{}, errors.New("docstore: put: no transaction id")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	old, err := s.findLocked(info.TxID)
	switch {
	case err == nil:
		info.Seq = old.Seq
	case errors.Is(err, ErrNotFound):
		s.last++
		info.Seq = s.last
		if err := writeFile(s.dir, filepath.Join(s.dir, seqFile), []byte(strconv.FormatInt(s.last, 10)+"\n")); err != nil {
			return Info{}, fmt.Errorf("docstore: put: %w", err)
		}
	default:
		return Info{}, err
	}
	info.Size, info.Created, info.Updated = int64(len(pdf)), now, now
	b, err := s.encode(info, pdf)
	if err != nil {
		return Info{}, fmt.Errorf("docstore: put: %w", err)
	}
	if err := writeFile(s.dir, s.path(info.Seq), b); err != nil {
		return Info{}, fmt.Errorf("docstore: put: %w", err)
	}
	return info, nil
}

// Get opens the document kept for txID.
func (s *Store) Get(txID string) (Info, []byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, err := s.findLocked(txID)
	if err != nil {
		return Info{}, nil, err
	}
	return s.readLocked(in.Seq, txID)
}

func (s *Store) readLocked(seq int64, txID string) (Info, []byte, error) {
	b, err := os.ReadFile(s.path(seq))
	if errors.Is(err, fs.ErrNotExist) {
		return Info{}, nil, fmt.Errorf("%w: number %d", ErrNotFound, seq)
	}
	if err != nil {
		return Info{}, nil, fmt.Errorf("docstore: %w", err)
	}
	in, pdf, err := decode(b, s.aead)
	if err != nil {
		return Info{}, nil, err
	}
	if in.TxID != txID || in.Seq != seq {
		return Info{}, nil, fmt.Errorf("%w: file %d holds transaction %s's document", ErrCorrupt, seq, in.TxID)
	}
	return in, pdf, nil
}

// Update changes a kept document's Fault and Attempts (and Updated); the
// rest of its header and the document stay.
func (s *Store) Update(txID, fault string, attempts int) (Info, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, err := s.findLocked(txID)
	if err != nil {
		return Info{}, err
	}
	in, pdf, err := s.readLocked(in.Seq, txID)
	if err != nil {
		return Info{}, err
	}
	defer clear(pdf)
	in.Fault, in.Attempts, in.Updated = fault, attempts, s.now()
	b, err := s.encode(in, pdf)
	if err != nil {
		return Info{}, fmt.Errorf("docstore: update: %w", err)
	}
	if err := writeFile(s.dir, s.path(in.Seq), b); err != nil {
		return Info{}, fmt.Errorf("docstore: update: %w", err)
	}
	return in, nil
}

// Delete removes the document kept for txID; none kept is ErrNotFound.
func (s *Store) Delete(txID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, err := s.findLocked(txID)
	if err != nil {
		return err
	}
	return s.removeLocked(in.Seq)
}

func (s *Store) removeLocked(seq int64) error {
	if err := os.Remove(s.path(seq)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("docstore: delete: %w", err)
	}
	syncDir(s.dir)
	return nil
}

// Find returns the header of the document kept for txID.
func (s *Store) Find(txID string) (Info, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.findLocked(txID)
}

// BySeq returns the header of the document numbered seq.
func (s *Store) BySeq(seq int64) (Info, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, err := readInfo(s.path(seq))
	if errors.Is(err, fs.ErrNotExist) {
		return Info{}, fmt.Errorf("%w: number %d", ErrNotFound, seq)
	}
	if err != nil {
		return Info{}, err
	}
	if in.Seq != seq {
		return Info{}, fmt.Errorf("%w: file %d says it is number %d", ErrCorrupt, seq, in.Seq)
	}
	return in, nil
}

// List returns every kept document's header, oldest number first, read
// without opening the seals (Get checks them). A damaged file is left out.
func (s *Store) List() ([]Info, error) {
	es, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, fmt.Errorf("docstore: list: %w", err)
	}
	var out []Info
	for _, e := range es {
		if !e.Type().IsRegular() || !strings.HasSuffix(e.Name(), suffix) {
			continue
		}
		in, err := readInfo(filepath.Join(s.dir, e.Name()))
		if err != nil {
			continue
		}
		out = append(out, in)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	return out, nil
}

func (s *Store) findLocked(txID string) (Info, error) {
	infos, err := s.List()
	if err != nil {
		return Info{}, err
	}
	for _, in := range infos {
		if in.TxID == txID {
			return in, nil
		}
	}
	return Info{}, fmt.Errorf("%w: transaction %s", ErrNotFound, txID)
}

// Sweep deletes what must not stay: every document created before
// now-retention, and every one keep does not want kept (keep nil keeps
// all within retention). It also removes files that are not documents of
// this store and leftovers of interrupted writes. It returns the headers
// of the documents deleted.
func (s *Store) Sweep(now time.Time, retention time.Duration, keep func(Info) bool) ([]Info, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	es, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, fmt.Errorf("docstore: sweep: %w", err)
	}
	var gone []Info
	var errs []error
	for _, e := range es {
		name := e.Name()
		p := filepath.Join(s.dir, name)
		switch {
		case name == seqFile:
			continue
		case strings.HasPrefix(name, ".tmp-"), !strings.HasSuffix(name, suffix):
			errs = append(errs, removeFile(p))
			continue
		}
		in, err := readInfo(p)
		if err != nil {
			errs = append(errs, removeFile(p))
			continue
		}
		if !in.Created.After(now.Add(-retention)) || (keep != nil && !keep(in)) {
			if err := removeFile(p); err != nil {
				errs = append(errs, err)
				continue
			}
			gone = append(gone, in)
		}
	}
	syncDir(s.dir)
	return gone, errors.Join(errs...)
}

func removeFile(p string) error {
	if err := os.RemoveAll(p); err != nil {
		return fmt.Errorf("docstore: sweep: %w", err)
	}
	return nil
}

// encode writes a document file's bytes.
func (s *Store) encode(in Info, pdf []byte) ([]byte, error) {
	hdr, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	if len(hdr) > maxHeader {
		return nil, fmt.Errorf("header of %d bytes over %d", len(hdr), maxHeader)
	}
	ns := s.aead.NonceSize()
	out := make([]byte, 0, prefixSize+len(hdr)+ns+len(pdf)+s.aead.Overhead())
	out = append(out, magic...)
	out = append(out, version)
	out = binary.BigEndian.AppendUint32(out, uint32(len(hdr)))
	out = append(out, hdr...)
	ad := out[:len(out):len(out)]
	nonce := make([]byte, ns)
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	out = append(out, nonce...)
	return s.aead.Seal(out, nonce, pdf, ad), nil
}

// decode reads a document file: its header and, with the seal opened,
// the PDF. Anything but a file this format wrote with aead's key is
// ErrCorrupt; it never panics on any input.
func decode(b []byte, aead cipher.AEAD) (Info, []byte, error) {
	in, n, err := decodeHeader(b)
	if err != nil {
		return Info{}, nil, err
	}
	ns := aead.NonceSize()
	rest := b[n:]
	if len(rest) < ns+aead.Overhead() {
		return Info{}, nil, fmt.Errorf("%w: sealed part of %d bytes", ErrCorrupt, len(rest))
	}
	pdf, err := aead.Open(nil, rest[:ns], rest[ns:], b[:n])
	if err != nil {
		return Info{}, nil, fmt.Errorf("%w: the seal does not open", ErrCorrupt)
	}
	if int64(len(pdf)) != in.Size {
		clear(pdf)
		return Info{}, nil, fmt.Errorf("%w: %d bytes, header says %d", ErrCorrupt, len(pdf), in.Size)
	}
	return in, pdf, nil
}

// decodeHeader reads the clear header and returns its end offset.
func decodeHeader(b []byte) (Info, int, error) {
	if len(b) < prefixSize || string(b[:len(magic)]) != magic {
		return Info{}, 0, fmt.Errorf("%w: not a kept document", ErrCorrupt)
	}
	if v := b[len(magic)]; v != version {
		return Info{}, 0, fmt.Errorf("%w: format version %d", ErrCorrupt, v)
	}
	hl := binary.BigEndian.Uint32(b[len(magic)+1 : prefixSize])
	if hl == 0 || hl > maxHeader || int(hl) > len(b)-prefixSize {
		return Info{}, 0, fmt.Errorf("%w: header length %d", ErrCorrupt, hl)
	}
	end := prefixSize + int(hl)
	var in Info
	dec := json.NewDecoder(bytes.NewReader(b[prefixSize:end]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return Info{}, 0, fmt.Errorf("%w: header: %v", ErrCorrupt, err)
	}
	if in.TxID == "" || in.Seq <= 0 || in.Size < 0 || in.Pages < 0 {
		return Info{}, 0, fmt.Errorf("%w: header incomplete", ErrCorrupt)
	}
	return in, end, nil
}

// readInfo reads only a file's header.
func readInfo(p string) (Info, error) {
	f, err := os.Open(p)
	if err != nil {
		return Info{}, err
	}
	defer f.Close()
	b := make([]byte, prefixSize+maxHeader)
	n, err := io.ReadFull(f, b)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return Info{}, fmt.Errorf("docstore: %w", err)
	}
	in, _, err := decodeHeader(b[:n])
	return in, err
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
