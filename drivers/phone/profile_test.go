package phone

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestProfileWrite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "baresip")
	p := Profile{Listen: "10.1.2.3:5060", Ctrl: "127.0.0.1:4444", AOR: "sip:kiosk@10.1.2.3:5060", Display: "K-0371-001",
		Source: "alsa,plughw:CARD=Mic", Player: "alsa,default", RTPTimeout: 10,
		Contacts: []Contact{{Name: "desk1", URI: "sip:duty@10.0.0.9"}}}
	if err := p.Write(dir); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("dir mode %v (%v), want 0700", fi.Mode().Perm(), err)
	}
	read := func(name string) string {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("%s: mode %v (%v), want 0600", name, fi.Mode().Perm(), err)
		}
		b, _ := os.ReadFile(filepath.Join(dir, name))
		return string(b)
	}
	config := read("config")
	for _, want := range []string{"sip_listen           10.1.2.3:5060\n", "net_interface        10.1.2.3\n",
		"ctrl_tcp_listen      127.0.0.1:4444\n", "audio_source         alsa,plughw:CARD=Mic\n", "module               alsa.so\n",
		"module_app           ctrl_tcp.so\n", "rtp_timeout          10\n", "call_max_calls       1\n"} {
		if !strings.Contains(config, want) {
			t.Errorf("config lacks %q:\n%s", want, config)
		}
	}
	for _, not := range []string{"stdio.so", "sndfile", "snd_path"} {
		if strings.Contains(config, not) {
			t.Errorf("config has %q", not)
		}
	}
	if got, want := read("accounts"), "\"K-0371-001\" <sip:kiosk@10.1.2.3:5060>;regint=0;answermode=manual;audio_codecs=PCMA,PCMU\n"; got != want {
		t.Errorf("accounts %q, want %q", got, want)
	}
	if got := read("contacts"); got != "\"desk1\" <sip:duty@10.0.0.9>\n" {
		t.Errorf("contacts %q", got)
	}

	// An unspecified listen address leaves the interface to baresip.
	p.Listen = "0.0.0.0:5060"
	c, _, _, err := p.Files()
	if err != nil || strings.Contains(c, "net_interface") {
		t.Errorf("0.0.0.0: net_interface set (%v)", err)
	}
	for _, bad := range []Profile{
		{Listen: "nowhere", Ctrl: "127.0.0.1:1", AOR: "sip:a@b"},
		{Listen: "127.0.0.1:5060", Ctrl: "127.0.0.1:1", AOR: "tel:1"},
		{Listen: "127.0.0.1:5060", Ctrl: "127.0.0.1:1", AOR: "sip:a@b", Display: "x\"\nmodule evil.so"},
	} {
		if _, _, _, err := bad.Files(); err == nil {
			t.Errorf("Files(%+v) accepted", bad)
		}
	}
}

func TestCheckALSA(t *testing.T) {
	for _, tc := range []struct {
		dir, dev string
		ok       bool
	}{
		{"testdata/asound", "default", true},
		{"testdata/asound", "hw:0", true},
		{"testdata/asound", "plughw:CARD=PCH,DEV=0", true},
		{"testdata/asound", "hw:1", false},
		{"testdata/asound", "plughw:CARD=USB,DEV=0", false},
		{"/nonexistent", "default", false},
	} {
		if err := checkALSA(tc.dir, tc.dev); (err == nil) != tc.ok {
			t.Errorf("checkALSA(%s, %s) = %v, want ok %v", tc.dir, tc.dev, err, tc.ok)
		}
	}
}

func TestRedact(t *testing.T) {
	p := New(Config{DeskURIs: []string{"sip:duty@10.0.0.9"}}, nil)
	for in, want := range map[string]string{
		"sip:duty@10.0.0.9":        "sip:duty@10.0.0.9",
		"sip:13812345678@10.0.0.9": "sip:138****5678@10.0.0.9",
	} {
		if got := p.redact(in); got != want {
			t.Errorf("redact(%s) = %s, want %s", in, got, want)
		}
	}
}
