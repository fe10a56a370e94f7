package scenes

import (
	"image"
	"image/color"

	"github.com/henan-county/kiosk/kiosk/session"
)

// SamplePage is a made-up first page of an A4 proof as the kiosk renders
// it for the screen: a white portrait page with a heading, lines of
// "text" as dark bars, a table and a round seal. It stands in for a real
// document, which would show a resident's data.
func SamplePage() *image.RGBA {
	const w, h = 840, 1188 // A4 at about 100 dpi
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	fill := func(x0, y0, x1, y1 int, c color.RGBA) {
		for y := max(y0, 0); y < min(y1, h); y++ {
			for x := max(x0, 0); x < min(x1, w); x++ {
				img.SetRGBA(x, y, c)
			}
		}
	}
	white := color.RGBA{0xFF, 0xFF, 0xFF, 0xFF}
	ink := color.RGBA{0x22, 0x22, 0x22, 0xFF}
	grey := color.RGBA{0x88, 0x88, 0x88, 0xFF}
	red := color.RGBA{0xC8, 0x1E, 0x1E, 0xFF}
	fill(0, 0, w, h, white)
	fill(250, 90, 590, 130, ink) // heading
	y := 200
	for i := range 6 {
		end := 740 - (i%3)*90
		fill(100, y, end, y+16, ink)
		y += 44
	}
	// A table of payments: its frame and rows.
	y += 30
	fill(100, y, 740, y+3, ink)
	for r := range 10 {
		ry := y + 20 + r*40
		fill(120, ry, 260, ry+14, grey)
		fill(320, ry, 480, ry+14, grey)
		fill(560, ry, 700, ry+14, grey)
		fill(100, ry+28, 740, ry+29, grey)
	}
	y += 20 + 10*40
	fill(100, y, 740, y+3, ink)
	fill(100, 1000, 400, 1016, ink)
	fill(100, 1040, 330, 1056, ink)
	// The issuing department's seal: a red ring.
	cx, cy, r := 610, 1010, 80
	for py := cy - r; py <= cy+r; py++ {
		for px := cx - r; px <= cx+r; px++ {
			d := (px-cx)*(px-cx) + (py-cy)*(py-cy)
			if d <= r*r && d >= (r-8)*(r-8) {
				img.SetRGBA(px, py, red)
			}
		}
	}
	fill(cx-30, cy-6, cx+30, cy+6, red)
	return img
}

// Documents returns the document screen of a print matter in each of
// its states, as the session words them (elder true: in elder mode).
// The views are made by hand from the session's contract; they carry a
// SamplePage preview.
func Documents(elder bool) []Scene {
	const hot = "0371-62112345"
	page := SamplePage()
	base := session.View{Screen: session.ScreenDocument, Elder: elder, HallName: HallName, Hotline: hot,
		Voice: true, Volume: 0.8, VolumeLevel: 4}
	doc := session.DocumentView{Title: "社保缴费记录", Department: "县人力资源和社会保障局", Pages: 3,
		VerificationCode: "7F3K92QD", Preview: page}
	at := func(name string, s session.DocState, title, prompt string, edit func(*session.DocumentView)) Scene {
		v := base
		v.Title, v.Prompt = title, prompt
		d := doc
		d.State = s
		if edit != nil {
			edit(&d)
		}
		if s == session.DocFetching {
			d = session.DocumentView{State: s}
		}
		v.Document = &d
		if v.Prompt == "" {
			v.Prompt = d.Message // the session says and shows the same words
		}
		return Scene{Name: name, View: v}
	}
	stopped := "打印机没纸了，证明没有打印完。证明已经保存在本机，打印机恢复后可以重新打印；也可以拨打热线 " + hot + "，工作人员会为您补打。"
	return []Scene{
		at("document_fetching", session.DocFetching, "正在取证明", "您的事项已经办好，正在取回证明文件，请稍候", nil),
		at("document_ready", session.DocReady, "社保缴费记录", "请核对证明内容，无误后点「打印 3 页」", func(d *session.DocumentView) {
			d.PrintLabel = session.PrintLabel(3)
		}),
		at("document_printing", session.DocPrinting, "社保缴费记录", "正在打印第 2/3 页，请稍候", func(d *session.DocumentView) {
			d.Page, d.Progress = 1, session.ProgressText(2, 3)
		}),
		at("document_take", session.DocTake, "请取走打印件", "证明已经打印好，共 3 页，请从打印机出纸口取走", func(d *session.DocumentView) {
			d.Page, d.Message = 3, "证明已经打印好，共 3 页，请从打印机出纸口取走"
		}),
		at("document_stopped", session.DocStopped, "打印没有完成", stopped, func(d *session.DocumentView) {
			d.Page, d.Message, d.WaitPrinter = 1, stopped, true
		}),
		at("document_reprint", session.DocStopped, "打印没有完成", "打印机没纸了，证明没有打印完。打印机已经恢复，请点「重新打印」。", func(d *session.DocumentView) {
			d.Page, d.Message, d.CanReprint = 1, "打印机没纸了，证明没有打印完。打印机已经恢复，请点「重新打印」。", true
		}),
		at("document_refused", session.DocRefused, "证明没有打印", "", func(d *session.DocumentView) {
			*d = session.DocumentView{State: session.DocRefused,
				Message: "这份证明文件有问题，本机没有打印。您的事项没有办完，请拨打热线 " + hot + "，工作人员会帮您处理。"}
		}),
		at("document_unreached", session.DocNoFetch, "证明没有打印", "", func(d *session.DocumentView) {
			*d = session.DocumentView{State: session.DocNoFetch,
				Message: "暂时取不到证明文件，本机没有打印。请稍后再来打印，或拨打热线 " + hot + "。"}
		}),
	}
}
