package daemon

import (
	"context"

	"github.com/henan-county/kiosk/kiosk/handwriting"
	"github.com/henan-county/kiosk/kiosk/session"
)

// openHandwriting prepares the writing pad's recogniser (zinnia with
// Debian's Simplified Chinese model; its process starts at the first
// character written). Without it the kiosk offers pinyin only, and the
// log says why.
func (d *Daemon) openHandwriting(o *handwriting.Opts) {
	var opts handwriting.Opts
	if o != nil {
		opts = *o
	}
	opts.Size = session.PadSize
	r, err := handwriting.New(&opts)
	if err != nil {
		d.log.Warn("handwriting pad not offered: residents type Chinese by pinyin only", "err", err)
		return
	}
	d.hw = r
	d.log.Info("handwriting pad offered", "recogniser", r.String())
}

// handwritingPort is the recogniser seen through the host's port. The
// strokes are the resident's writing: the copy made here is cleared once
// used, and nothing of it is logged.
type handwritingPort struct{ r *handwriting.Recognizer }

func (p handwritingPort) Recognize(ctx context.Context, strokes [][]session.Point) ([]string, error) {
	in := make([]handwriting.Stroke, len(strokes))
	for i, s := range strokes {
		in[i] = make(handwriting.Stroke, len(s))
		for j, pt := range s {
			in[i][j] = handwriting.Point{X: pt.X, Y: pt.Y}
		}
	}
	defer func() {
		for _, s := range in {
			clear(s)
		}
	}()
	cands, err := p.r.Recognize(ctx, in)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(cands))
	for i, c := range cands {
		out[i] = c.Text
	}
	return out, nil
}
