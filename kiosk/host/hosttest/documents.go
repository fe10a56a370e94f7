package hosttest

import (
	"context"
	"image"
	"image/color"
	"sync"

	"github.com/henan-county/kiosk/kiosk/host"
)

// Documents is a document port for tests (host.Documents): it issues a
// document of Pages pages for every transaction, prints it page by page
// (Print blocks on the channel Step returns until the test lets each page
// out, when Gate is set), and records fetches, jobs and releases. It is
// not among All's ports; a test that wants A4 documents sets it.
type Documents struct {
	Pages int // pages of every document (default 2)
	// Gate, when true, makes every page wait for Step.
	Gate bool

	mu        sync.Mutex
	fetchErr  error
	printErr  error
	failAfter int // pages printed before printErr (0: at once)
	steps     chan struct{}
	fetched   []string
	jobs      []host.A4Job
	released  []string
	previews  []*image.Gray
}

// FailFetch makes fetches fail with err (nil: they succeed).
func (d *Documents) FailFetch(err error) {
	d.mu.Lock()
	d.fetchErr = err
	d.mu.Unlock()
}

// FailPrint makes jobs fail with err after pages pages (nil: they print).
func (d *Documents) FailPrint(err error, pages int) {
	d.mu.Lock()
	d.printErr, d.failAfter = err, pages
	d.mu.Unlock()
}

// Step lets one page out of a gated job.
func (d *Documents) Step() { d.stepCh() <- struct{}{} }

func (d *Documents) stepCh() chan struct{} {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.steps == nil {
		d.steps = make(chan struct{})
	}
	return d.steps
}

func (d *Documents) pages() int {
	if d.Pages <= 0 {
		return 2
	}
	return d.Pages
}

// Fetch issues a document with a small white preview.
func (d *Documents) Fetch(ctx context.Context, txID string) (host.Document, error) {
	d.mu.Lock()
	d.fetched = append(d.fetched, txID)
	err := d.fetchErr
	d.mu.Unlock()
	if err != nil {
		return host.Document{}, err
	}
	p := image.NewGray(image.Rect(0, 0, 42, 60))
	for y := range 60 {
		for x := range 42 {
			p.SetGray(x, y, color.Gray{Y: 250})
		}
	}
	d.mu.Lock()
	d.previews = append(d.previews, p)
	d.mu.Unlock()
	return host.Document{Title: "社会保险个人参保缴费证明", Department: "中牟县人力资源和社会保障局",
		VerificationCode: "ZM7Q-4K2P-9XA3", Pages: d.pages(), Preview: p}, nil
}

// Print prints the document page by page.
func (d *Documents) Print(ctx context.Context, job host.A4Job, progress func(page, pages int)) error {
	d.mu.Lock()
	d.jobs = append(d.jobs, job)
	err, after := d.printErr, d.failAfter
	d.mu.Unlock()
	n := d.pages()
	for page := 1; page <= n; page++ {
		if err != nil && page > after {
			return err
		}
		if d.Gate {
			select {
			case <-d.stepCh():
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		progress(page, n)
	}
	return nil
}

// Release records that the session which fetched txID ended.
func (d *Documents) Release(txID string) {
	d.mu.Lock()
	d.released = append(d.released, txID)
	d.mu.Unlock()
}

// Record is what the port saw.
type Record struct {
	Fetched, Released []string
	Jobs              []host.A4Job
	Previews          []*image.Gray
}

// Seen returns a copy of what the port saw.
func (d *Documents) Seen() Record {
	d.mu.Lock()
	defer d.mu.Unlock()
	return Record{Fetched: append([]string(nil), d.fetched...), Released: append([]string(nil), d.released...),
		Jobs: append([]host.A4Job(nil), d.jobs...), Previews: append([]*image.Gray(nil), d.previews...)}
}

// SlotLight records the output-slot light.
type SlotLight struct {
	mu sync.Mutex
	on []bool
}

// SetSlotLight records the light's state.
func (s *SlotLight) SetSlotLight(on bool) error {
	s.mu.Lock()
	s.on = append(s.on, on)
	s.mu.Unlock()
	return nil
}

// States returns every state the light was set to, in order.
func (s *SlotLight) States() []bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]bool(nil), s.on...)
}
