// Package idcarddiag is the technician's card reader check, run as
//
//	kioskctl diag idcard --port PATH [--baud N] [--json] [--reveal] [--wait DURATION]
//
// It talks to the reader directly (kioskd must not hold the port, so it
// is meant for a stopped daemon or a spare reader): it finds the baud
// rate, shows the SAM ID and status, then waits for a card and prints its
// fields, masked unless --reveal is given. Exit status: 0 a card was read,
// 3 no card came within --wait, 2 a device error, 64 a usage error (the
// usage follows the reason); each failure ends with a one-line reason on
// stderr. -h prints the usage to stdout.
package idcarddiag

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/henan-county/kiosk/drivers/diagflag"
	"github.com/henan-county/kiosk/drivers/idcard"
	"github.com/henan-county/kiosk/kiosk/identity"
)

// Exit statuses.
const (
	ExitOK     = diagflag.ExitOK
	ExitDevice = 2
	ExitNoCard = 3
	ExitUsage  = diagflag.ExitUsage
)

// Result is the --json output. Card fields are named plainly and left out
// when the card's layout does not carry them.
type Result struct {
	Status    string `json:"status"` // ok, no_card, device_error
	Reason    string `json:"reason,omitempty"`
	Port      string `json:"port"`
	Baud      int    `json:"baud,omitempty"`
	SAMID     string `json:"sam_id,omitempty"`
	SAMStatus string `json:"sam_status,omitempty"`
	Masked    bool   `json:"masked"`

	Type          string `json:"type,omitempty"`
	Name          string `json:"name,omitempty"`
	EnglishName   string `json:"english_name,omitempty"`
	Sex           string `json:"sex,omitempty"`
	Nation        string `json:"nation,omitempty"`
	NationCode    string `json:"nation_code,omitempty"`
	Nationality   string `json:"nationality,omitempty"`
	Birth         string `json:"birth,omitempty"`
	Address       string `json:"address,omitempty"`
	IDNumber      string `json:"id_number,omitempty"`
	IDNumberValid *bool  `json:"id_number_valid,omitempty"`
	Issuer        string `json:"issuer,omitempty"`
	ValidFrom     string `json:"valid_from,omitempty"`
	ValidTo       string `json:"valid_to,omitempty"`
	PassNumber    string `json:"pass_number,omitempty"`
	IssueCount    string `json:"issue_count,omitempty"`
	RenewalCount  string `json:"renewal_count,omitempty"`
	CardVersion   string `json:"card_version,omitempty"`
	AuthorityCode string `json:"authority_code,omitempty"`
	PhotoBytes    int    `json:"photo_bytes,omitempty"`
}

// Run runs the command; args are what follows "kioskctl diag idcard".
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kioskctl diag idcard", flag.ContinueOnError)
	fs.SetOutput(stderr)
	port := fs.String("port", "", "serial port of the reader, e.g. /dev/kiosk-idcard")
	baud := fs.Int("baud", 115200, "baud rate to try first (the others are tried after it)")
	asJSON := fs.Bool("json", false, "print JSON")
	reveal := fs.Bool("reveal", false, "show names and numbers whole (personal data: do not paste into tickets)")
	wait := fs.Duration("wait", 30*time.Second, "how long to wait for a card")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: kioskctl diag idcard --port PATH [--baud N] [--json] [--reveal] [--wait DURATION]")
		fs.PrintDefaults()
	}
	usageError := func(format string, a ...any) int { return diagflag.UsageError(fs, stderr, format, a...) }
	if code, done := diagflag.Parse(fs, args, stdout, stderr); done {
		return code
	}
	switch {
	case *port == "":
		return usageError("--port is required")
	case *wait < 0:
		return usageError("--wait %v: want a duration of 0 or more", *wait)
	}
	if _, err := idcard.BaudCode(*baud); err != nil {
		return usageError("--baud %d: not one of 115200, 57600, 38400, 19200, 9600", *baud)
	}
	res := Result{Port: *port, Masked: !*reveal}
	out := &printer{w: stdout, quiet: *asJSON}
	finish := func(code int, status, reason string) int {
		res.Status, res.Reason = status, reason
		if *asJSON {
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(false)
			enc.Encode(res)
		}
		if reason != "" {
			fmt.Fprintln(stderr, reason)
		}
		return code
	}

	p, err := idcard.Dial(ctx, *port, &idcard.DialOpts{Baud: *baud})
	if err != nil {
		return finish(ExitDevice, "device_error", oneLine(err))
	}
	defer p.Close()
	res.Baud = p.Baud()
	out.f("读卡器 / reader:      %s @ %d baud\n", *port, p.Baud())
	st := idcard.Check(ctx, p, nil)
	res.SAMID, res.SAMStatus = st.SAMID, st.SAMStatus
	if st.SAMStatus != "" {
		out.f("SAM 状态 / status:    %s\n", st.SAMStatus)
	}
	if st.SAMID != "" {
		out.f("SAM ID:               %s\n", st.SAMID)
	}
	if !st.OK {
		out.f("处理建议 / remedy:    %s\n", st.Remedy)
		return finish(ExitDevice, "device_error", "idcard: "+st.Verdict+": "+oneLine(errors.New(st.Error)))
	}
	out.f("请放置证件 / place a card on the reader (waiting %v) ...\n", *wait)
	// The kiosk's own read: a damaged reply is asked for again.
	c, err := p.ReadCard(ctx, *wait, 200*time.Millisecond, nil)
	if errors.Is(err, idcard.ErrNoCard) {
		return finish(ExitNoCard, "no_card", fmt.Sprintf("idcard: no card within %v", *wait))
	}
	if err != nil {
		return finish(ExitDevice, "device_error", oneLine(err))
	}
	defer c.Wipe()
	fill(&res, c, *reveal)
	out.card(&res)
	return finish(ExitOK, "ok", "")
}

func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(idcard.Location()).Format("2006-01-02")
}

func fill(r *Result, c *identity.Card, reveal bool) {
	v := c.IDNumberValid
	r.Type, r.Sex, r.Nation, r.NationCode, r.Nationality = string(c.Type), c.Sex, c.Nation, c.NationCode, c.Nationality
	r.Issuer, r.ValidFrom, r.ValidTo = c.Issuer, date(c.ValidFrom), date(c.ValidTo)
	if c.LongTerm {
		r.ValidTo = idcard.LongTermText
	}
	r.IDNumberValid = &v
	r.IssueCount, r.RenewalCount, r.CardVersion, r.AuthorityCode = c.IssueCount, c.RenewalCount, c.CardVersion, c.AuthorityCode
	r.PhotoBytes = len(c.Photo)
	if reveal {
		r.Name, r.EnglishName, r.Address, r.IDNumber, r.PassNumber = c.Name, c.EnglishName, c.Address, c.IDNumber, c.PassNumber
		r.Birth = date(c.Birth)
		return
	}
	m := c.Masked()
	r.Name, r.EnglishName, r.Address, r.IDNumber, r.PassNumber = m.Name, m.EnglishName, m.Address, m.IDNumber, m.PassNumber
	if !c.Birth.IsZero() {
		r.Birth = date(c.Birth)[:4] + "-**-**"
	}
}

type printer struct {
	w     io.Writer
	quiet bool
}

func (p *printer) f(format string, a ...any) {
	if !p.quiet {
		fmt.Fprintf(p.w, format, a...)
	}
}

func (p *printer) card(r *Result) {
	row := func(label, v string) {
		if v != "" {
			p.f("%s %s\n", label, v)
		}
	}
	row("证件类型 / type:", r.Type)
	row("姓名 / name:", r.Name)
	row("英文名 / english name:", r.EnglishName)
	row("性别 / sex:", r.Sex)
	row("民族 / nation:", r.Nation)
	row("国籍 / nationality:", r.Nationality)
	row("出生 / birth:", r.Birth)
	row("住址 / address:", r.Address)
	row("证件号码 / id number:", r.IDNumber)
	valid := "校验位正确 / check digit ok"
	switch {
	case r.Type == string(identity.ForeignPROld):
		valid = "不校验 / not checked (old 15-character number)"
	case r.IDNumberValid != nil && !*r.IDNumberValid:
		valid = "校验位错误 / CHECK DIGIT FAILS"
	}
	row("号码校验 / id check:", valid)
	row("签发机关 / issuer:", r.Issuer)
	row("有效期起 / valid from:", r.ValidFrom)
	row("有效期止 / valid to:", r.ValidTo)
	row("通行证号 / pass no.:", r.PassNumber)
	row("签发次数 / issues:", r.IssueCount)
	row("换证次数 / renewals:", r.RenewalCount)
	row("证件版本 / version:", r.CardVersion)
	row("机关代码 / authority:", r.AuthorityCode)
	if r.PhotoBytes > 0 {
		row("照片 / photo:", fmt.Sprintf("%d bytes WLT", r.PhotoBytes))
	}
}
