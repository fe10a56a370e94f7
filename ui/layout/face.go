package layout

import "github.com/henan-county/kiosk/kiosk/session"

// face: the face check (人脸识别). The camera's picture as large as the
// screen allows, mirrored like a looking glass, with an oval to put the
// face in; over it the instruction in very large words (请正对屏幕,
// 请眨眨眼); under it what the photo is for. One large button starts a
// try (开始核验, 再试一次). While the frames are with the backend there is
// nothing to tap but 帮助. 核验通过 is said large with 继续办理; when the
// tries are used, the other ways are listed plainly, with 结束.
func (b *builder) face() {
	th, v := b.th, b.v
	top := b.header(v.Title)
	f := v.Face
	if f == nil {
		b.area(top, b.sz.H-th.Pad)
		b.endArea()
		return
	}
	switch f.State {
	case session.FaceStarting:
		b.faceWait(top, f)
	case session.FacePassed:
		b.facePassed(top, f)
	case session.FaceOptions:
		b.faceOptions(top, f)
	default:
		b.facePicture(top, f)
	}
}

// Widget ids of the face screen.
const (
	IDFacePreview = "face-preview"
	IDFaceBegin   = "face-begin"
	IDFaceNext    = "face-continue"
	IDFaceEnd     = "end"
	IDFaceBig     = "face-say"
	// IDFaceHomeVisit asks for the home visit among the other ways.
	IDFaceHomeVisit = "face-home-visit"
)

// faceWait: the camera is being switched on.
func (b *builder) faceWait(top float64, f *session.FaceView) {
	th := b.th
	bottom := b.footer(fBack, fCancel)
	b.area(top, bottom)
	b.y += th.Pad
	s := min(b.x1-b.x0, 320, (b.bottom-b.top)*0.3)
	b.add(Widget{ID: "spinner", Kind: Spinner, Rect: Rect{(b.sz.W - s) / 2, b.y, s, s}, Role: Primary, Scroll: true})
	b.y += s + th.Pad
	b.ctext(f.Big, th.Title, Plain, true)
	b.ctext(f.Privacy, th.Body, Muted, false)
	b.endArea()
}

// facePicture: the picture and the oval, the instruction over it, the
// message of the last try, and 开始核验 / 再试一次.
func (b *builder) facePicture(top float64, f *session.FaceView) {
	th, v := b.th, b.v
	var bottom float64
	switch {
	case f.CanBegin:
		label := "开始核验"
		if f.State == session.FaceRetry {
			label = "再试一次"
		}
		_, bottom = b.footerAction(footBtn{IDFaceBegin, label, Primary, session.FaceBegin{}}, fBack, fCancel)
	default:
		// The frames are with the backend: its answer first.
		bottom = b.sz.H - th.Pad
	}
	b.area(top, bottom)
	big := th.Title * 1.4
	if b.landscape() {
		// The picture at the left as tall as the band; the words at the
		// right.
		h := b.bottom - b.y
		w := min(h*4/3, (b.x1-b.x0)*0.55)
		b.add(Widget{ID: IDFacePreview, Kind: Camera, Rect: Rect{b.x0, b.y, w, h}, Role: Surface, Scroll: true})
		x0 := b.x0
		b.x0 += w + th.Pad
		b.faceWords(f, big)
		b.x0 = x0
		b.y = max(b.y, b.top+h)
		b.endArea()
		return
	}
	b.banner(v.Notice, Notice)
	if f.Message != "" {
		b.banner(f.Message, Notice)
	}
	// The instruction, very large, then the picture in what is left (the
	// camera's 4:3 cut at the sides to fill the height), with the words
	// for the photo under it.
	b.add(Widget{ID: IDFaceBig, Kind: Label, Rect: Rect{b.x0, b.y, b.x1 - b.x0, lineH(big)}, Role: Plain,
		Lines: b.fit(f.Big, b.x1-b.x0, big), Size: big, Bold: true, Center: true, Scroll: true})
	b.y += lineH(big) + th.Gap/2
	privH := b.textH(f.Privacy, b.x1-b.x0, th.Body)
	room := b.bottom - b.y - privH - th.Gap
	w := b.x1 - b.x0
	if h := min(room, w*1.2); h > 0 {
		b.add(Widget{ID: IDFacePreview, Kind: Camera, Rect: Rect{b.x0, b.y, w, h}, Role: Surface, Scroll: true})
		b.y += h + th.Gap
	}
	b.ctext(f.Privacy, th.Body, Muted, false)
	b.endArea()
}

// faceWords: the instruction, the notice and the last try's message, and
// what the photo is for, in a column beside the picture.
func (b *builder) faceWords(f *session.FaceView, big float64) {
	th, v := b.th, b.v
	lines := b.wrap(f.Big, b.x1-b.x0, big)
	h := lineH(big) * float64(len(lines))
	b.add(Widget{ID: IDFaceBig, Kind: Label, Rect: Rect{b.x0, b.y, b.x1 - b.x0, h}, Role: Plain,
		Lines: lines, Size: big, Bold: true, Center: true, Scroll: true})
	b.y += h + th.Gap
	b.banner(v.Notice, Notice)
	if f.Message != "" {
		b.banner(f.Message, Notice)
	}
	b.ctext(f.Privacy, th.Body, Muted, false)
}

// facePassed: 核验通过 in large words; the matter goes on by itself or
// at 继续办理.
func (b *builder) facePassed(top float64, f *session.FaceView) {
	th := b.th
	_, bottom := b.footerAction(footBtn{IDFaceNext, "继续办理", Primary, session.Continue{}}, fCancel)
	b.area(top, bottom)
	b.y += th.Pad
	s := th.Target * 1.5
	b.add(Widget{Kind: Icon, Icon: "ok", Rect: Rect{(b.sz.W - s) / 2, b.y, s, s}, Role: Primary, Scroll: true})
	b.y += s + th.Gap
	b.ctext(f.Big, th.Title*1.4, Plain, true)
	if f.Message != f.Big {
		b.ctext(f.Message, th.Heading, Plain, false)
	}
	b.endArea()
}

// faceOptions: what happened, and the other ways, each in its own box.
func (b *builder) faceOptions(top float64, f *session.FaceView) {
	th, v := b.th, b.v
	bottom := b.action(b.sz.H-th.Pad, IDFaceEnd, "结束", Primary, session.Finish{})
	b.area(top, bottom)
	b.banner(v.Notice, Notice)
	b.ctext(f.Big, th.Title, Plain, true)
	b.text(f.Message, th.Heading, Plain, false)
	b.y += th.Gap / 2
	for i, o := range f.Options {
		lines := b.wrap(o, b.x1-b.x0-2*th.Gap, th.Heading)
		h := lineH(th.Heading)*float64(len(lines)) + 2*th.Gap
		b.add(Widget{Kind: Box, Rect: Rect{b.x0, b.y, b.x1 - b.x0, h}, Role: Surface, Lines: lines, Size: th.Heading, Scroll: true})
		b.y += h + th.Gap
		if f.HomeVisit && i == len(f.Options)-1 {
			// The last way is the home visit: its request right under it.
			bh := th.Target
			b.add(Widget{ID: IDFaceHomeVisit, Kind: Button, Rect: Rect{b.x0, b.y, b.x1 - b.x0, bh}, Role: Secondary,
				Lines: b.fit("申请上门服务", b.x1-b.x0-th.Gap, th.Title), Size: th.Title, Bold: true, Center: true,
				Event: session.RequestHomeVisit{}, Scroll: true})
			b.y += bh + th.Gap
		}
	}
	b.endArea()
}
