package phone

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ModulePath is where Debian's baresip keeps its modules.
const ModulePath = "/usr/lib/baresip/modules"

// Profile is one baresip instance's configuration: what Write puts in its
// private directory (config, accounts, contacts). There is no registrar:
// the account never registers (regint=0) and calls go straight to the
// URI dialled.
type Profile struct {
	Listen     string // SIP listen address, host:port (UDP and TCP on port, TLS on port+1)
	Ctrl       string // ctrl_tcp's loopback address, host:port
	AOR        string // the account, e.g. sip:kiosk@127.0.0.1:5060
	Display    string // the caller's name shown at the desk; ASCII, optional
	AnswerMode string // manual (default) or auto
	Source     string // audio_source: "alsa,DEVICE" or "aufile,FILE.wav"
	Player     string // audio_player: "alsa,DEVICE" or "aubridge,NAME" (nowhere)
	RecordDir  string // when set, sndfile writes each call's audio there
	RTPTimeout int    // seconds without audio from the peer before the call is ended; 0 never
	ModulePath string // default ModulePath
	Contacts   []Contact
}

// Contact is one line of baresip's contacts file.
type Contact struct {
	Name string // ASCII
	URI  string
}

// Modules are the modules the profile loads, in order.
func (p Profile) Modules() []string {
	m := []string{"g711.so"}
	for _, dev := range []string{p.Source, p.Player} {
		mod, _, _ := strings.Cut(dev, ",")
		if mod != "" && !contains(m, mod+".so") {
			m = append(m, mod+".so")
		}
	}
	if !contains(m, "aubridge.so") {
		m = append(m, "aubridge.so") // the alert player: no ringing tones out of a speaker
	}
	if p.RecordDir != "" {
		m = append(m, "sndfile.so")
	}
	return m
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func safe(field, v string) error {
	if strings.ContainsAny(v, "\n\r\"<>") {
		return fmt.Errorf("phone: profile: %s %q has a character baresip's files cannot hold", field, v)
	}
	return nil
}

// Files renders the three files.
func (p Profile) Files() (config, accounts, contacts string, err error) {
	for f, v := range map[string]string{"listen": p.Listen, "ctrl": p.Ctrl, "aor": p.AOR, "display": p.Display,
		"source": p.Source, "player": p.Player, "record dir": p.RecordDir, "module path": p.ModulePath} {
		if err := safe(f, v); err != nil {
			return "", "", "", err
		}
	}
	host, _, err := net.SplitHostPort(p.Listen)
	if err != nil {
		return "", "", "", fmt.Errorf("phone: profile: listen %q: %w", p.Listen, err)
	}
	if _, _, err := net.SplitHostPort(p.Ctrl); err != nil {
		return "", "", "", fmt.Errorf("phone: profile: control address %q: %w", p.Ctrl, err)
	}
	if !strings.HasPrefix(p.AOR, "sip:") {
		return "", "", "", fmt.Errorf("phone: profile: account %q is not a sip: URI", p.AOR)
	}
	mp := p.ModulePath
	if mp == "" {
		mp = ModulePath
	}
	var b strings.Builder
	w := func(k, v string) { fmt.Fprintf(&b, "%-20s %s\n", k, v) }
	b.WriteString("# Written by the kiosk at every start; edits are lost.\n")
	w("poll_method", "epoll")
	w("call_local_timeout", "0") // the kiosk decides when nobody answers
	w("call_max_calls", "1")
	w("sip_listen", p.Listen)
	if ip := net.ParseIP(host); ip != nil && !ip.IsUnspecified() {
		w("net_interface", host) // the address the SDP offers for audio
	}
	w("audio_player", p.Player)
	w("audio_source", p.Source)
	w("audio_alert", "aubridge,alert")
	w("ringback_disabled", "yes")
	w("rtp_timeout", strconv.Itoa(max(p.RTPTimeout, 0)))
	w("ctrl_tcp_listen", p.Ctrl)
	if p.RecordDir != "" {
		w("snd_path", p.RecordDir)
	}
	w("module_path", mp)
	for _, m := range p.Modules() {
		w("module", m)
	}
	w("module_tmp", "account.so")
	w("module_app", "contact.so")
	w("module_app", "menu.so") // the commands: dial, hangup, accept
	w("module_app", "ctrl_tcp.so")
	mode := p.AnswerMode
	if mode == "" {
		mode = "manual"
	}
	acc := fmt.Sprintf("<%s>;regint=0;answermode=%s;audio_codecs=PCMA,PCMU\n", p.AOR, mode)
	if p.Display != "" {
		acc = fmt.Sprintf("\"%s\" %s", p.Display, acc)
	}
	var c strings.Builder
	for _, ct := range p.Contacts {
		if err := safe("contact", ct.Name+ct.URI); err != nil {
			return "", "", "", err
		}
		fmt.Fprintf(&c, "\"%s\" <%s>\n", ct.Name, ct.URI)
	}
	return b.String(), acc, c.String(), nil
}

// Write writes the files into dir (created 0700), each 0600.
func (p Profile) Write(dir string) error {
	config, accounts, contacts, err := p.Files()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("phone: profile: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("phone: profile: %w", err)
	}
	for name, body := range map[string]string{"config": config, "accounts": accounts, "contacts": contacts} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			return fmt.Errorf("phone: profile: %w", err)
		}
	}
	return nil
}
