package phone

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// The control interface is baresip's ctrl_tcp module: JSON objects, each
// framed as a netstring ("LEN:JSON,"), both ways over one TCP connection.
// A command is {"command","params","token"}; the answer to it is a
// response {"response":true,"ok","data","token"}; events come between
// responses, unasked: {"event":true,"type","class","accountaor",
// "direction","peeruri","id","param"}.

// MaxFrame bounds one netstring; baresip's own messages are well under
// 4 KiB (the longest is the help text).
const MaxFrame = 64 << 10

// ErrFrame is a malformed netstring or message.
var ErrFrame = errors.New("phone: malformed control message")

// Command is one command to baresip.
type Command struct {
	Command string `json:"command"`
	Params  string `json:"params,omitempty"`
	Token   string `json:"token,omitempty"`
}

// Response is baresip's answer to the command with the same token.
type Response struct {
	OK    bool
	Data  string
	Token string
}

// CtrlEvent is one event as baresip reports it.
type CtrlEvent struct {
	Type      string // CALL_RINGING, CALL_ESTABLISHED, CALL_CLOSED, REGISTER_OK…
	Class     string // call, register, other…
	AOR       string // the account's address of record
	Direction string // incoming, outgoing
	PeerURI   string
	CallID    string // baresip's call id; empty for events of no call
	Param     string // e.g. the reason of CALL_CLOSED
}

// Message is one decoded message: exactly one of Response and Event is
// set.
type Message struct {
	Response *Response
	Event    *CtrlEvent
}

// AppendCommand appends c framed as a netstring.
func AppendCommand(dst []byte, c Command) ([]byte, error) {
	b, err := json.Marshal(c)
	if err != nil {
		return dst, fmt.Errorf("phone: encode command: %w", err)
	}
	if len(b) > MaxFrame {
		return dst, fmt.Errorf("phone: encode command: %d bytes is too long", len(b))
	}
	dst = strconv.AppendInt(dst, int64(len(b)), 10)
	dst = append(dst, ':')
	dst = append(dst, b...)
	return append(dst, ','), nil
}

// ReadFrame reads one netstring's payload.
func ReadFrame(r *bufio.Reader) ([]byte, error) {
	n := 0
	for i := 0; ; i++ {
		c, err := r.ReadByte()
		if err != nil {
			if i > 0 && errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
		if c == ':' && i > 0 {
			break
		}
		// Leading zeros are not allowed ("0:," is the empty string).
		if c < '0' || c > '9' || (i > 0 && n == 0) || i > 6 {
			return nil, fmt.Errorf("%w: bad length", ErrFrame)
		}
		n = n*10 + int(c-'0')
	}
	if n > MaxFrame {
		return nil, fmt.Errorf("%w: %d bytes is too long", ErrFrame, n)
	}
	buf := make([]byte, n+1)
	if _, err := io.ReadFull(r, buf); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	if buf[n] != ',' {
		return nil, fmt.Errorf("%w: no comma after %d bytes", ErrFrame, n)
	}
	return buf[:n], nil
}

// wire is every field either kind of message may have.
type wire struct {
	Response  *bool   `json:"response"`
	Event     *bool   `json:"event"`
	OK        *bool   `json:"ok"`
	Data      *string `json:"data"`
	Token     *string `json:"token"`
	Type      *string `json:"type"`
	Class     *string `json:"class"`
	AOR       *string `json:"accountaor"`
	Direction *string `json:"direction"`
	PeerURI   *string `json:"peeruri"`
	ID        *string `json:"id"`
	Param     *string `json:"param"`
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// DecodeMessage decodes one netstring's payload. Fields it does not know
// (rtcp_stats…) are ignored; a message that is neither a response nor an
// event with a type is an error.
func DecodeMessage(b []byte) (Message, error) {
	var w wire
	d := json.NewDecoder(bytes.NewReader(b))
	if err := d.Decode(&w); err != nil {
		return Message{}, fmt.Errorf("%w: %v", ErrFrame, err)
	}
	if d.More() {
		return Message{}, fmt.Errorf("%w: data after the object", ErrFrame)
	}
	isResp := w.Response != nil && *w.Response
	isEvent := w.Event != nil && *w.Event
	switch {
	case isResp && !isEvent:
		if w.OK == nil {
			return Message{}, fmt.Errorf("%w: response without ok", ErrFrame)
		}
		return Message{Response: &Response{OK: *w.OK, Data: str(w.Data), Token: str(w.Token)}}, nil
	case isEvent && !isResp:
		if str(w.Type) == "" {
			return Message{}, fmt.Errorf("%w: event without type", ErrFrame)
		}
		return Message{Event: &CtrlEvent{
			Type: *w.Type, Class: str(w.Class), AOR: str(w.AOR), Direction: str(w.Direction),
			PeerURI: str(w.PeerURI), CallID: str(w.ID), Param: str(w.Param),
		}}, nil
	}
	return Message{}, fmt.Errorf("%w: neither a response nor an event", ErrFrame)
}

// ReadMessage reads and decodes the next message.
func ReadMessage(r *bufio.Reader) (Message, error) {
	b, err := ReadFrame(r)
	if err != nil {
		return Message{}, err
	}
	return DecodeMessage(b)
}
