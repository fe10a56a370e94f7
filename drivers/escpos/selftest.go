package escpos

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"strconv"

	"github.com/henan-county/kiosk/kiosk/receipt"
)

// SelfTest is a technician's verdict on the printer.
type SelfTest struct {
	OK      bool   `json:"ok"`      // the printer can print receipts
	Verdict string `json:"verdict"` // Chinese, with English beside it
	Remedy  string `json:"remedy,omitempty"`
	Status  Status `json:"status"`
	Err     string `json:"error,omitempty"`
}

// SelfTest asks the printer for its status and says what is wrong and what
// to do about it.
func (p *Printer) SelfTest(ctx context.Context) SelfTest {
	st, err := p.Status(ctx)
	return Verdict(st, err)
}

// Verdict words a status (or the error of asking for it) for a technician.
func Verdict(st Status, err error) SelfTest {
	t := SelfTest{Status: st}
	if err != nil {
		t.Err = err.Error()
		t.Verdict = "打印机无响应 / printer not answering"
		t.Remedy = "检查打印机电源和数据线，然后重启打印机 / check the printer's power and cable, then power-cycle it"
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			t.Verdict = "检测被中断 / check interrupted"
			t.Remedy = "请重试 / try again"
		}
		return t
	}
	switch {
	case st.CutterError:
		t.Verdict = "切刀故障 / cutter error"
		t.Remedy = "打开纸仓盖，清除卡纸，合上后重启打印机 / open the cover, clear the jam, close it and power-cycle the printer"
	case st.MechanicalError || st.Unrecoverable:
		t.Verdict = "打印机硬件故障 / printer hardware error"
		t.Remedy = "重启打印机；仍不恢复请报修 / power-cycle the printer; if it persists, call for repair"
	case st.Paper == PaperOut:
		t.Verdict = "缺纸 / paper out"
		t.Remedy = "装入新纸卷（热敏面朝外）并合上纸仓盖 / load a new roll (coated side out) and close the cover"
	case st.CoverOpen:
		t.Verdict = "纸仓盖未合上 / cover open"
		t.Remedy = "合上纸仓盖 / close the paper cover"
	case st.Offline:
		t.Verdict = "打印机离线 / printer offline"
		t.Remedy = "检查纸卷和纸仓盖，必要时重启打印机 / check the roll and cover, power-cycle the printer if needed"
	case st.Paper == PaperLow:
		t.OK = true
		t.Verdict = "正常，纸将用完 / ready, paper low"
		t.Remedy = "尽快更换纸卷 / replace the roll soon"
	default:
		t.OK = true
		t.Verdict = "正常 / ready"
	}
	return t
}

// TestPage prints the technician's test page: every character size,
// Chinese and Latin text, a QR code and a ruler across the printable width.
func (p *Printer) TestPage(ctx context.Context) error {
	_, err := p.Print(ctx, TestPageDoc(p.opts.Profile))
	return err
}

// TestPageDoc is the test page for profile pr.
func TestPageDoc(pr Profile) receipt.Doc {
	var d receipt.Doc
	d.Line("打印机测试页 PRINTER TEST", 2, true, receipt.Center)
	d.Add(receipt.Elem{Kind: receipt.Rule})
	d.Line(fmt.Sprintf("型号 Profile: %s  %d 点 dots  %d 列 columns", pr.Name, pr.dots(), pr.Columns()), 1, false, receipt.Left)
	d.Line("中文模式 Chinese mode: "+pr.ChineseMode.String(), 1, false, receipt.Left)
	for s := 1; s <= 4; s++ {
		d.Line("字号"+strconv.Itoa(s)+" Size "+strconv.Itoa(s), s, false, receipt.Left)
	}
	d.Line("粗体 Bold 0123456789", 1, true, receipt.Left)
	d.Line("居中 Centre", 1, false, receipt.Center)
	d.Line("居右 Right", 1, false, receipt.Right)
	d.Line("河南省政务服务 24 小时自助大厅 Henan 24-hour self-service hall：身份证、社保、医保。", 1, false, receipt.Left)
	d.Line("ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz !@#%&*()", 1, false, receipt.Left)
	d.Add(receipt.Elem{Kind: receipt.QR, Align: receipt.Center, Data: "https://zwfw.example.gov.cn/test?kiosk=printer"})
	d.Line("扫码测试 Scan test", 1, false, receipt.Center)
	cols := ""
	for i := 1; i <= pr.Columns(); i++ {
		cols += strconv.Itoa(i % 10)
	}
	d.Line(cols, 1, false, receipt.Left)
	d.Add(receipt.Elem{Kind: receipt.Image, Image: Ruler(pr.dots())})
	d.Line(fmt.Sprintf("0 mm ... %d mm (8 点/mm dots per mm)", pr.dots()/8), 1, false, receipt.Left)
	d.Add(receipt.Elem{Kind: receipt.Cut})
	return d
}

// Ruler draws a ruler across dots: a tick every millimetre (8 dots), a
// longer one every 5 mm and a full-height one every 10 mm, framed so the
// first and last printable dots show.
func Ruler(dots int) *image.Gray {
	const h = 32
	img := image.NewGray(image.Rect(0, 0, dots, h))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	black := color.Gray{0}
	for x := 0; x < dots; x++ {
		img.SetGray(x, 0, black)
		img.SetGray(x, 1, black)
	}
	for y := 0; y < h; y++ {
		img.SetGray(0, y, black)
		img.SetGray(dots-1, y, black)
	}
	for x := 0; x < dots; x += 8 {
		l := 8
		switch {
		case x%80 == 0:
			l = h
		case x%40 == 0:
			l = 16
		}
		for y := 0; y < l; y++ {
			img.SetGray(x, y, black)
			if x+1 < dots && l == h {
				img.SetGray(x+1, y, black)
			}
		}
	}
	return img
}
