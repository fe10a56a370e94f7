package document

import (
	"context"
	"fmt"
	"image"
	"strconv"
	"syscall"
	"time"
)

// PreviewOpts configures Preview; nil or zero fields take the values in
// DefaultPreviewOpts.
type PreviewOpts struct {
	Command string        // default "pdftoppm"
	Timeout time.Duration // for one page; the context may end it sooner
	// Memory is pdftoppm's address space (RLIMIT_AS) in bytes. It counts
	// the whole process, its shared libraries' mappings included
	// (pdftoppm cannot load them in 16 MiB; a one-page proof renders in
	// 24 MiB), so it is a ceiling against a hostile document, not a
	// working-set figure; docs/documents.md has the measured peaks.
	Memory int64
	DPI    int // pdftoppm -r; -scale-to-x sets the size, so this is nominal
	// MaxWidth caps widthPx; the page's height follows its aspect ratio
	// and is capped at MaxAspect times the width.
	MaxWidth  int
	MaxAspect int
}

// DefaultPreviewOpts: a first page of A4 at the preview's width (about
// 1000 px on the kiosk's 1080×1920 portrait screen) renders in well under
// a second; 5 s means something is wrong with the document. A4 is 1.41
// times as tall as it is wide; the width and aspect caps bound what the
// kiosk reads and decodes (at most 3·2048·8192 bytes of PPM, 64 MiB
// decoded; an A4 page 1000 px wide is 5.7 MiB decoded).
var DefaultPreviewOpts = PreviewOpts{
	Command:   "pdftoppm",
	Timeout:   5 * time.Second,
	Memory:    512 << 20,
	DPI:       150,
	MaxWidth:  2048,
	MaxAspect: 4,
}

func (o *PreviewOpts) withDefaults() PreviewOpts {
	d := DefaultPreviewOpts
	if o == nil {
		return d
	}
	if o.Command != "" {
		d.Command = o.Command
	}
	if o.Timeout > 0 {
		d.Timeout = o.Timeout
	}
	if o.Memory > 0 {
		d.Memory = o.Memory
	}
	if o.DPI > 0 {
		d.DPI = o.DPI
	}
	if o.MaxWidth > 0 {
		d.MaxWidth = o.MaxWidth
	}
	if o.MaxAspect > 0 {
		d.MaxAspect = o.MaxAspect
	}
	return d
}

// Preview renders page (from 1) of pdf, widthPx pixels wide, with
// poppler's pdftoppm:
//
//	pdftoppm -r DPI -f N -l N -scale-to-x W -scale-to-y -1 -
//
// The document goes to its standard input and the picture (binary PPM)
// comes back on its standard output, so nothing is written to disk. pdftoppm runs with a
// time limit (opts.Timeout and ctx, whichever ends first) and a memory
// limit (opts.Memory as RLIMIT_AS, set through prlimit(1) from util-linux,
// or through the shell's ulimit where prlimit is missing: os/exec has no
// rlimit field, and setting one after Start would race the child). A
// malformed or hostile document gives an error, not a hang.
//
// pdf should have passed Check; Preview checks nothing about it.
func Preview(ctx context.Context, pdf []byte, page int, widthPx int, opts *PreviewOpts) (image.Image, error) {
	img, _, err := preview(ctx, pdf, page, widthPx, opts)
	return img, err
}

// preview is Preview that also returns the child's resource usage (the
// benchmarks report its peak RSS).
func preview(ctx context.Context, pdf []byte, page int, widthPx int, opts *PreviewOpts) (image.Image, *syscall.Rusage, error) {
	o := opts.withDefaults()
	if page < 1 {
		return nil, nil, fmt.Errorf("document: preview: page %d", page)
	}
	if widthPx < 1 || widthPx > o.MaxWidth {
		return nil, nil, fmt.Errorf("document: preview: width %d px, allowed 1..%d", widthPx, o.MaxWidth)
	}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	if err := ctx.Err(); err != nil {
		return nil, nil, fmt.Errorf("document: preview: %w", err)
	}
	n := strconv.Itoa(page)
	args := []string{"-r", strconv.Itoa(o.DPI), "-f", n, "-l", n,
		"-scale-to-x", strconv.Itoa(widthPx), "-scale-to-y", "-1", "-"}
	// The RGB pixels of the tallest allowed page, and its header.
	maxOut := 3*widthPx*widthPx*o.MaxAspect + 64
	// An A4 page: 297/210 as tall as it is wide.
	out, ru, err := run(ctx, o.Command, args, pdf, o.Memory, maxOut, 3*widthPx*(widthPx*297/210+1)+64)
	if err != nil {
		return nil, ru, fmt.Errorf("document: preview page %d: %w", page, err)
	}
	img, err := decodePPM(out, widthPx, o.MaxAspect*widthPx)
	clear(out)
	if err != nil {
		return nil, ru, fmt.Errorf("document: preview page %d: %s: %w", page, o.Command, err)
	}
	return img, ru, nil
}
