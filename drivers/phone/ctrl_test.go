package phone

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
)

// Messages as baresip 1.0.0 sent them on loopback.
const (
	ringing = `{"event":true,"type":"CALL_RINGING","class":"call","accountaor":"sip:kiosk@127.0.0.1:5060","direction":"outgoing","peeruri":"sip:desk@127.0.0.1:5070","id":"e8be004ceea265b3","param":"sip:desk@127.0.0.1:5070"}`
	rtcp    = `{"event":true,"type":"CALL_RTCP","class":"call","accountaor":"sip:kiosk@127.0.0.1:5060","direction":"outgoing","peeruri":"sip:desk@127.0.0.1:5070","id":"e8be004ceea265b3","param":"audio","rtcp_stats":{"tx":{"sent":0,"lost":0,"jit":0},"rx":{"sent":0,"lost":0,"jit":0},"rtt":0}}`
	okResp  = `{"response":true,"ok":true,"data":"","token":"k1"}`
	badResp = `{"response":true,"ok":false,"data":"command not found (nonsense)\n","token":"k3"}`
)

func frame(s string) string { return strconv.Itoa(len(s)) + ":" + s + "," }

func TestDecodeMessage(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want Message
		err  bool
	}{
		{"ringing", ringing, Message{Event: &CtrlEvent{Type: "CALL_RINGING", Class: "call", AOR: "sip:kiosk@127.0.0.1:5060", Direction: "outgoing", PeerURI: "sip:desk@127.0.0.1:5070", CallID: "e8be004ceea265b3", Param: "sip:desk@127.0.0.1:5070"}}, false},
		{"rtcp stats ignored", rtcp, Message{Event: &CtrlEvent{Type: "CALL_RTCP", Class: "call", AOR: "sip:kiosk@127.0.0.1:5060", Direction: "outgoing", PeerURI: "sip:desk@127.0.0.1:5070", CallID: "e8be004ceea265b3", Param: "audio"}}, false},
		{"ok", okResp, Message{Response: &Response{OK: true, Token: "k1"}}, false},
		{"refused", badResp, Message{Response: &Response{OK: false, Data: "command not found (nonsense)\n", Token: "k3"}}, false},
		{"both", `{"response":true,"event":true,"ok":true,"type":"X"}`, Message{}, true},
		{"neither", `{"ok":true}`, Message{}, true},
		{"event without type", `{"event":true}`, Message{}, true},
		{"response without ok", `{"response":true,"token":"a"}`, Message{}, true},
		{"ok not a bool", `{"response":true,"ok":"yes"}`, Message{}, true},
		{"trailing", okResp + `{}`, Message{}, true},
		{"not json", `hello`, Message{}, true},
		{"empty", ``, Message{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecodeMessage([]byte(tc.in))
			if tc.err {
				if !errors.Is(err, ErrFrame) {
					t.Fatalf("err = %v, want ErrFrame", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !sameMessage(got, tc.want) {
				t.Fatalf("got %+v %+v, want %+v %+v", got.Response, got.Event, tc.want.Response, tc.want.Event)
			}
		})
	}
}

func sameMessage(a, b Message) bool {
	if (a.Response == nil) != (b.Response == nil) || (a.Event == nil) != (b.Event == nil) {
		return false
	}
	if a.Response != nil && *a.Response != *b.Response {
		return false
	}
	return a.Event == nil || *a.Event == *b.Event
}

func TestReadFrame(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want []string
		err  error // after the frames in want
	}{
		{"two", frame(okResp) + frame(ringing), []string{okResp, ringing}, io.EOF},
		{"empty payload", "0:,", []string{""}, io.EOF},
		{"cut in payload", frame(okResp)[:10], nil, io.ErrUnexpectedEOF},
		{"cut in length", "12", nil, io.ErrUnexpectedEOF},
		{"no comma", "2:{}x", nil, ErrFrame},
		{"leading zero", "02:{},", nil, ErrFrame},
		{"no length", ":{},", nil, ErrFrame},
		{"letter", "1a:{},", nil, ErrFrame},
		{"too long", "9999999:", nil, ErrFrame},
		{"over max", "65537:", nil, ErrFrame},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := bufio.NewReader(strings.NewReader(tc.in))
			for _, w := range tc.want {
				b, err := ReadFrame(r)
				if err != nil || string(b) != w {
					t.Fatalf("ReadFrame = %q, %v; want %q", b, err, w)
				}
			}
			if _, err := ReadFrame(r); !errors.Is(err, tc.err) {
				t.Fatalf("last ReadFrame err = %v, want %v", err, tc.err)
			}
		})
	}
}

func TestCommandRoundTrip(t *testing.T) {
	b, err := AppendCommand(nil, Command{Command: "dial", Params: "sip:desk@127.0.0.1:5070", Token: "7"})
	if err != nil {
		t.Fatal(err)
	}
	const want = `65:{"command":"dial","params":"sip:desk@127.0.0.1:5070","token":"7"},`
	if string(b) != want {
		t.Fatalf("got %s\nwant %s", b, want)
	}
	p, err := ReadFrame(bufio.NewReader(bytes.NewReader(b)))
	if err != nil || !bytes.Contains(b, p) {
		t.Fatalf("ReadFrame = %q, %v", p, err)
	}
}

// FuzzReadMessage: whatever baresip (or anything on the port) sends, the
// reader returns a message or an error and never panics; a message it
// accepts is exactly one of a response and an event.
func FuzzReadMessage(f *testing.F) {
	for _, s := range []string{frame(okResp), frame(ringing), frame(rtcp) + frame(badResp), "0:,", "3:abc,", "5:{}}}}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r := bufio.NewReader(bytes.NewReader(b))
		for range 64 {
			m, err := ReadMessage(r)
			if err != nil {
				if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
					return
				}
				if !errors.Is(err, ErrFrame) {
					t.Fatalf("error %v is not ErrFrame", err)
				}
				continue
			}
			if (m.Response == nil) == (m.Event == nil) {
				t.Fatalf("message %+v is not exactly one kind", m)
			}
			if m.Event != nil && m.Event.Type == "" {
				t.Fatal("event without a type")
			}
		}
	})
}
