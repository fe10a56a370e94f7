package docstore

import (
	"bytes"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/chacha20poly1305"
)

// stepClock is a hand-stepped clock.
type stepClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *stepClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *stepClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newKey(t testing.TB) []byte {
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		t.Fatal(err)
	}
	return k
}

func open(t *testing.T) (*Store, []byte, *stepClock) {
	t.Helper()
	clk := &stepClock{t: time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)}
	key := newKey(t)
	s, err := Open(filepath.Join(t.TempDir(), "docs"), key, clk.now)
	if err != nil {
		t.Fatal(err)
	}
	return s, key, clk
}

// A stand-in document with a marker the tests look for on disk.
var secret = []byte("%PDF-1.7\n姓名 欧阳秀兰 410122199001011234\n%%EOF\n")

func TestPutGetDelete(t *testing.T) {
	s, _, _ := open(t)
	in, err := s.Put(Info{TxID: "tx-1", Title: "户籍证明", Pages: 1}, secret)
	if err != nil {
		t.Fatal(err)
	}
	if in.Seq != 1 || in.Size != int64(len(secret)) || in.Created.IsZero() {
		t.Fatalf("put: %+v", in)
	}
	got, pdf, err := s.Get("tx-1")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(pdf, secret) || got.Title != "户籍证明" || got.Pages != 1 {
		t.Fatalf("get: %+v %q", got, pdf)
	}
	// On disk: mode 0600, and nothing of the document in the clear.
	fi, err := os.Stat(s.path(in.Seq))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", fi.Mode().Perm())
	}
	raw, _ := os.ReadFile(s.path(in.Seq))
	for _, w := range []string{"欧阳秀兰", "410122199001011234", "%PDF"} {
		if bytes.Contains(raw, []byte(w)) {
			t.Errorf("%q in the clear on disk", w)
		}
	}
	if err := s.Delete("tx-1"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Get("tx-1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
	if err := s.Delete("tx-1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
}

// Numbers are never reused, across deletes and reopening, and a document
// put again for the same transaction keeps its number.
func TestNumbers(t *testing.T) {
	s, key, clk := open(t)
	a, _ := s.Put(Info{TxID: "a"}, secret)
	b, _ := s.Put(Info{TxID: "b"}, secret)
	a2, _ := s.Put(Info{TxID: "a", Pages: 3}, secret)
	if a.Seq != 1 || b.Seq != 2 || a2.Seq != 1 || a2.Pages != 3 {
		t.Fatalf("numbers %d %d %d", a.Seq, b.Seq, a2.Seq)
	}
	if err := s.Delete("b"); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(s.Dir(), key, clk.now)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := s2.Put(Info{TxID: "c"}, secret)
	if c.Seq != 3 {
		t.Fatalf("after reopening: %d", c.Seq)
	}
	// The counter lost: the files still keep numbers apart.
	os.Remove(filepath.Join(s.Dir(), seqFile))
	s3, err := Open(s.Dir(), key, clk.now)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := s3.Put(Info{TxID: "d"}, secret)
	if d.Seq != 4 {
		t.Fatalf("without the counter: %d", d.Seq)
	}
	if in, err := s3.BySeq(3); err != nil || in.TxID != "c" {
		t.Fatalf("BySeq(3): %+v %v", in, err)
	}
	if _, err := s3.BySeq(2); !errors.Is(err, ErrNotFound) {
		t.Fatalf("BySeq(2): %v", err)
	}
	list, _ := s3.List()
	if len(list) != 3 || list[0].TxID != "a" || list[2].TxID != "d" {
		t.Fatalf("list: %+v", list)
	}
}

func TestUpdateKeepsDocument(t *testing.T) {
	s, _, clk := open(t)
	in, _ := s.Put(Info{TxID: "tx", Title: "社保缴费证明", Pages: 2}, secret)
	clk.add(time.Minute)
	up, err := s.Update("tx", "paper_out", 1)
	if err != nil {
		t.Fatal(err)
	}
	if up.Fault != "paper_out" || up.Attempts != 1 || up.Seq != in.Seq || !up.Updated.After(in.Created) || !up.Created.Equal(in.Created) {
		t.Fatalf("update: %+v", up)
	}
	got, pdf, err := s.Get("tx")
	if err != nil || !bytes.Equal(pdf, secret) || got.Fault != "paper_out" {
		t.Fatalf("get after update: %+v %v", got, err)
	}
	if _, err := s.Update("nope", "", 0); !errors.Is(err, ErrNotFound) {
		t.Fatalf("update of none: %v", err)
	}
}

// A file altered, moved to another number, or sealed under another key
// is refused, never returned.
func TestTamperingRefused(t *testing.T) {
	for _, tc := range []struct {
		name  string
		alter func(t *testing.T, s *Store, p string)
	}{
		{"flipped byte in the document", func(t *testing.T, s *Store, p string) {
			b, _ := os.ReadFile(p)
			b[len(b)-20] ^= 1
			os.WriteFile(p, b, 0o600)
		}},
		{"header changed", func(t *testing.T, s *Store, p string) {
			b, _ := os.ReadFile(p)
			b = bytes.Replace(b, []byte(`"pages":1`), []byte(`"pages":9`), 1)
			os.WriteFile(p, b, 0o600)
		}},
		{"truncated", func(t *testing.T, s *Store, p string) {
			b, _ := os.ReadFile(p)
			os.WriteFile(p, b[:len(b)-5], 0o600)
		}},
		{"another key", func(t *testing.T, s *Store, p string) {
			other, err := Open(t.TempDir(), newKey(t), nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := other.Put(Info{TxID: "tx"}, secret); err != nil {
				t.Fatal(err)
			}
			b, _ := os.ReadFile(other.path(1))
			os.WriteFile(p, b, 0o600)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _, _ := open(t)
			in, _ := s.Put(Info{TxID: "tx", Pages: 1}, secret)
			tc.alter(t, s, s.path(in.Seq))
			_, pdf, err := s.Get("tx")
			if !errors.Is(err, ErrCorrupt) || pdf != nil {
				t.Fatalf("got %q, %v; want ErrCorrupt", pdf, err)
			}
		})
	}
	t.Run("moved to another number", func(t *testing.T) {
		s, _, _ := open(t)
		a, _ := s.Put(Info{TxID: "a"}, secret)
		b, _ := s.Put(Info{TxID: "b"}, []byte("%PDF-1.7 b"))
		raw, _ := os.ReadFile(s.path(a.Seq))
		os.WriteFile(s.path(b.Seq), raw, 0o600)
		os.Remove(s.path(a.Seq))
		if _, pdf, err := s.Get("a"); err == nil || pdf != nil {
			t.Fatalf("get a from the wrong file: %q", pdf)
		}
		if _, err := s.BySeq(b.Seq); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("BySeq: %v", err)
		}
	})
}

func TestSweep(t *testing.T) {
	s, _, clk := open(t)
	s.Put(Info{TxID: "old"}, secret)
	clk.add(20 * time.Hour)
	s.Put(Info{TxID: "faulted"}, secret)
	s.Update("faulted", "jam", 1)
	s.Put(Info{TxID: "held"}, secret)
	os.WriteFile(filepath.Join(s.Dir(), ".tmp-123"), []byte("half written"), 0o600)
	os.WriteFile(filepath.Join(s.Dir(), "stray.kdoc"), []byte("not a document"), 0o600)

	for _, tc := range []struct {
		name      string
		after     time.Duration
		keep      func(Info) bool
		wantGone  []string
		wantStays []string
	}{
		{"nothing due", 0, nil, nil, []string{"old", "faulted", "held"}},
		{"retention ends for the first", 5 * time.Hour, nil, []string{"old"}, []string{"faulted", "held"}},
		{"at start-up, only faults stay", 0, func(in Info) bool { return in.Fault != "" }, []string{"held"}, []string{"faulted"}},
		{"retention ends for the rest", 24 * time.Hour, nil, []string{"faulted"}, nil},
	} {
		clk.add(tc.after)
		gone, err := s.Sweep(clk.now(), 24*time.Hour, tc.keep)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var names []string
		for _, in := range gone {
			names = append(names, in.TxID)
		}
		if strings.Join(names, ",") != strings.Join(tc.wantGone, ",") {
			t.Errorf("%s: deleted %v, want %v", tc.name, names, tc.wantGone)
		}
		for _, tx := range tc.wantStays {
			if _, _, err := s.Get(tx); err != nil {
				t.Errorf("%s: %s: %v", tc.name, tx, err)
			}
		}
	}
	es, _ := os.ReadDir(s.Dir())
	for _, e := range es {
		if e.Name() != seqFile {
			t.Errorf("left after the sweeps: %s", e.Name())
		}
	}
}

func TestOpenRefusesBadKey(t *testing.T) {
	if _, err := Open(t.TempDir(), make([]byte, 16), nil); err == nil {
		t.Fatal("a 16-byte key was accepted")
	}
}

// FuzzDecode: decoding any bytes never panics, and what it accepts is
// exactly what was sealed under the key for that header.
func FuzzDecode(f *testing.F) {
	key := make([]byte, KeySize)
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		f.Fatal(err)
	}
	s := &Store{aead: aead, now: time.Now}
	good, err := s.encode(Info{TxID: "tx-1", Seq: 1, Title: "户籍证明", Pages: 1, Size: int64(len(secret))}, secret)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:prefixSize+3])
	f.Add([]byte(magic + "\x01\x00\x00\x00\x02{}"))
	f.Add([]byte(magic + "\x01\xff\xff\xff\xff"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		in, pdf, err := decode(b, aead)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) || pdf != nil {
				t.Fatalf("error %v with %d bytes", err, len(pdf))
			}
			return
		}
		if int64(len(pdf)) != in.Size || in.TxID == "" || in.Seq <= 0 {
			t.Fatalf("accepted %+v with %d bytes", in, len(pdf))
		}
		// Accepted: re-sealing the same header and document decodes the same.
		again, err := s.encode(in, pdf)
		if err != nil {
			t.Fatal(err)
		}
		in2, pdf2, err := decode(again, aead)
		if err != nil || !bytes.Equal(pdf, pdf2) || in2.TxID != in.TxID || in2.Seq != in.Seq {
			t.Fatalf("round trip: %v", err)
		}
	})
}
