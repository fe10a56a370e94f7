package jobstore_test

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/kiosk/jobstore"
	"github.com/henan-county/kiosk/kiosk/receipt"
)

func key(b byte) []byte { return bytes.Repeat([]byte{b}, jobstore.KeySize) }

// secrets are what a receipt carries that must never be on disk in the
// clear.
var secrets = []string{"王**", "410122********1231", "KS20261202-0042", "养老保险资格认证", "138****5678"}

func doc() receipt.Doc {
	var d receipt.Doc
	d.Line("养老保险资格认证受理凭条", 2, true, receipt.Center)
	d.Line("姓名 王**", 1, false, receipt.Left)
	d.Line("证件号码 410122********1231", 1, false, receipt.Left)
	d.Line("电话 138****5678", 1, false, receipt.Left)
	img := image.NewGray(image.Rect(0, 0, 16, 8))
	img.SetGray(3, 4, color.Gray{Y: 0})
	img.SetGray(4, 4, color.Gray{Y: 255})
	d.Add(receipt.Elem{Kind: receipt.Image, Image: img},
		receipt.Elem{Kind: receipt.QR, Data: "https://zwfw.example.gov.cn/t/KS20261202-0042"},
		receipt.Elem{Kind: receipt.Feed, Lines: 3}, receipt.Elem{Kind: receipt.Cut})
	return d
}

func job(id int64, updated time.Time) jobstore.Job {
	return jobstore.Job{Record: jobstore.Record{ID: id, State: "incomplete", Created: updated.Add(-time.Minute),
		Updated: updated, Bytes: 812, Sent: 300, Attempts: 1, Err: "escpos: print: paper out"}, Doc: doc()}
}

func TestRoundTripSealedOnDisk(t *testing.T) {
	dir := t.TempDir()
	s, err := jobstore.Open(dir, key(7))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	for id := int64(1); id <= 3; id++ {
		if err := s.Put(job(id, now)); err != nil {
			t.Fatal(err)
		}
	}
	// A second store on the same directory, as after a restart.
	s2, err := jobstore.Open(dir, key(7))
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := s2.List()
	if err != nil || len(jobs) != 3 {
		t.Fatalf("List = %d jobs, %v", len(jobs), err)
	}
	want := job(2, now)
	got := jobs[1]
	if !reflect.DeepEqual(got.Record, want.Record) {
		t.Errorf("record %+v, want %+v", got.Record, want.Record)
	}
	if len(got.Doc.Elems) != len(want.Doc.Elems) {
		t.Fatalf("%d elements, want %d", len(got.Doc.Elems), len(want.Doc.Elems))
	}
	for i, e := range got.Doc.Elems {
		w := want.Doc.Elems[i]
		if e.Kind != w.Kind || e.Text != w.Text || e.Data != w.Data || e.Size != w.Size || e.Bold != w.Bold || e.Align != w.Align || e.Lines != w.Lines {
			t.Errorf("element %d: %+v, want %+v", i, e, w)
		}
		if (e.Image == nil) != (w.Image == nil) {
			t.Errorf("element %d: image %v, want %v", i, e.Image != nil, w.Image != nil)
		}
		if w.Image != nil {
			for _, pt := range []image.Point{{3, 4}, {4, 4}} {
				gr, _, _, _ := e.Image.At(pt.X, pt.Y).RGBA()
				wr, _, _, _ := w.Image.At(pt.X, pt.Y).RGBA()
				if gr != wr {
					t.Errorf("image pixel %v: %d, want %d", pt, gr, wr)
				}
			}
		}
	}
	es, _ := os.ReadDir(dir)
	for _, e := range es {
		p := filepath.Join(dir, e.Name())
		fi, _ := os.Stat(p)
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", e.Name(), fi.Mode().Perm())
		}
		b, _ := os.ReadFile(p)
		for _, sec := range secrets {
			if bytes.Contains(b, []byte(sec)) {
				t.Errorf("%s holds %q in the clear", e.Name(), sec)
			}
		}
	}
	if err := s2.Delete(2); err != nil {
		t.Fatal(err)
	}
	if _, err := s2.Get(2); !errors.Is(err, jobstore.ErrNotFound) {
		t.Errorf("Get of a deleted job: %v", err)
	}
}

// A file altered in any part, renamed to another job's number, or sealed
// under another key is refused with ErrCorrupt and a message naming the
// file; the jobs that open are still listed.
func TestTamperedRefused(t *testing.T) {
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		damage func(t *testing.T, dir string)
	}{
		{"bit flipped in the seal", func(t *testing.T, dir string) { flip(t, filepath.Join(dir, "00000002.kjob"), -5) }},
		{"bit flipped in the nonce", func(t *testing.T, dir string) { flip(t, filepath.Join(dir, "00000002.kjob"), 12) }},
		{"version changed", func(t *testing.T, dir string) { flip(t, filepath.Join(dir, "00000002.kjob"), 8) }},
		{"truncated", func(t *testing.T, dir string) { os.Truncate(filepath.Join(dir, "00000002.kjob"), 30) }},
		{"renamed over another number", func(t *testing.T, dir string) {
			os.Rename(filepath.Join(dir, "00000001.kjob"), filepath.Join(dir, "00000002.kjob"))
			other, _ := jobstore.Open(dir, key(7))
			other.Put(job(1, now))
		}},
		{"another key", func(t *testing.T, dir string) {
			other, _ := jobstore.Open(dir, key(9))
			other.Put(job(2, now))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			s, _ := jobstore.Open(dir, key(7))
			for id := int64(1); id <= 3; id++ {
				if err := s.Put(job(id, now)); err != nil {
					t.Fatal(err)
				}
			}
			tc.damage(t, dir)
			_, err := s.Get(2)
			if !errors.Is(err, jobstore.ErrCorrupt) {
				t.Fatalf("Get of a damaged job: %v, want ErrCorrupt", err)
			}
			if !strings.Contains(err.Error(), "00000002.kjob") {
				t.Errorf("error %q does not name the file", err)
			}
			jobs, err := s.List()
			if !errors.Is(err, jobstore.ErrCorrupt) || len(jobs) != 2 || jobs[0].ID != 1 || jobs[1].ID != 3 {
				t.Errorf("List = %d jobs, %v; want jobs 1 and 3 and ErrCorrupt", len(jobs), err)
			}
		})
	}
}

func flip(t *testing.T, p string, at int) {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if at < 0 {
		at += len(b)
	}
	b[at] ^= 0x01
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestSweep(t *testing.T) {
	dir := t.TempDir()
	s, _ := jobstore.Open(dir, key(7))
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	s.Put(job(1, now.Add(-25*time.Hour)))
	s.Put(job(2, now.Add(-23*time.Hour)))
	s.Put(job(3, now))
	os.WriteFile(filepath.Join(dir, ".tmp-123"), []byte("half"), 0o600)
	gone, err := s.Sweep(now, 24*time.Hour)
	if err != nil || len(gone) != 1 || gone[0] != 1 {
		t.Fatalf("Sweep = %v, %v; want job 1", gone, err)
	}
	jobs, err := s.List()
	if err != nil || len(jobs) != 2 {
		t.Fatalf("after sweep %d jobs, %v", len(jobs), err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".tmp-123")); !os.IsNotExist(err) {
		t.Error("leftover of an interrupted write not swept")
	}
}

func FuzzOpenFile(f *testing.F) {
	dir := f.TempDir()
	s, _ := jobstore.Open(dir, key(7))
	s.Put(job(1, time.Unix(0, 0)))
	good, _ := os.ReadFile(filepath.Join(dir, "00000001.kjob"))
	f.Add(good)
	f.Add([]byte("KIOSKJOB\x01"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(dir, "00000005.kjob")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Get(5); err == nil {
			t.Fatal("a file not sealed for job 5 opened")
		}
	})
}
