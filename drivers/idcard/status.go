package idcard

import (
	"errors"
	"fmt"
)

// Status is the reader's SW3 status byte.
type Status byte

// SW3 values.
const (
	StatusOK             Status = 0x90
	StatusNoContent      Status = 0x91
	StatusFound          Status = 0x9F
	StatusChecksum       Status = 0x10
	StatusLength         Status = 0x11
	StatusCommand        Status = 0x21
	StatusUnauthorised   Status = 0x23
	StatusUnrecognised   Status = 0x24
	StatusCardAuth       Status = 0x31
	StatusSAMAuth        Status = 0x32
	StatusVerify         Status = 0x33
	StatusCardType       Status = 0x40
	StatusReadFailed     Status = 0x41
	StatusRandom         Status = 0x47
	StatusSAMSelfTest    Status = 0x60
	StatusSAMUnauthorise Status = 0x66
	StatusNoCard         Status = 0x80
	StatusSelectFailed   Status = 0x81
)

// Sentinel errors, one per SW3 failure. A *StatusError wraps one of them,
// so callers test with errors.Is(err, idcard.ErrNoCard).
var (
	ErrNoContent        = errors.New("idcard: card has no content for this item")
	ErrChecksum         = errors.New("idcard: reader received a frame with a bad checksum")
	ErrLength           = errors.New("idcard: reader received a frame with a bad length")
	ErrCommand          = errors.New("idcard: reader rejected the command")
	ErrUnauthorised     = errors.New("idcard: unauthorised operation")
	ErrUnrecognised     = errors.New("idcard: unrecognised reader error")
	ErrCardAuth         = errors.New("idcard: card failed to authenticate the SAM")
	ErrSAMAuth          = errors.New("idcard: SAM failed to authenticate the card")
	ErrVerify           = errors.New("idcard: information verification error")
	ErrCardType         = errors.New("idcard: unknown card type")
	ErrReadFailed       = errors.New("idcard: read card failed")
	ErrRandom           = errors.New("idcard: random number failed")
	ErrSAMSelfTest      = errors.New("idcard: SAM self-test failed")
	ErrSAMNotAuthorised = errors.New("idcard: SAM not authorised")
	ErrNoCard           = errors.New("idcard: no card")
	ErrSelectFailed     = errors.New("idcard: select card failed")
	ErrUnknownStatus    = errors.New("idcard: unknown status code")
)

type statusInfo struct {
	zh, en string
	err    error
}

var statusTable = map[Status]statusInfo{
	StatusOK:             {"操作成功", "success", nil},
	StatusFound:          {"找卡成功", "card found", nil},
	StatusNoContent:      {"无此项内容", "the card has no content for this item", ErrNoContent},
	StatusChecksum:       {"接收业务终端数据的校验和错", "checksum error in the frame the reader received", ErrChecksum},
	StatusLength:         {"接收业务终端数据的长度错", "length error in the frame the reader received", ErrLength},
	StatusCommand:        {"接收业务终端的命令错误", "command error", ErrCommand},
	StatusUnauthorised:   {"越权操作", "unauthorised operation", ErrUnauthorised},
	StatusUnrecognised:   {"无法识别的错误", "unrecognised error", ErrUnrecognised},
	StatusCardAuth:       {"卡认证机具失败", "card failed to authenticate the SAM", ErrCardAuth},
	StatusSAMAuth:        {"机具认证卡失败", "SAM failed to authenticate the card", ErrSAMAuth},
	StatusVerify:         {"信息验证错误", "information verification error", ErrVerify},
	StatusCardType:       {"无法识别的卡类型", "unknown card type", ErrCardType},
	StatusReadFailed:     {"读卡操作失败", "read card failed", ErrReadFailed},
	StatusRandom:         {"取随机数失败", "random number failed", ErrRandom},
	StatusSAMSelfTest:    {"SAM自检失败", "SAM self-test failed", ErrSAMSelfTest},
	StatusSAMUnauthorise: {"SAM未经授权", "SAM not authorised", ErrSAMNotAuthorised},
	StatusNoCard:         {"找卡不成功", "find card failed (no card)", ErrNoCard},
	StatusSelectFailed:   {"选卡不成功", "select card failed", ErrSelectFailed},
}

// Meaning returns the status's meaning in Chinese and in English.
func (s Status) Meaning() (zh, en string) {
	if in, ok := statusTable[s]; ok {
		return in.zh, in.en
	}
	return "未知状态码", "unknown status code"
}

// OK reports whether s is a success (90 or 9F).
func (s Status) OK() bool { return s == StatusOK || s == StatusFound }

// Sentinel returns the sentinel error for s, nil for success and
// ErrUnknownStatus for codes outside the table.
func (s Status) Sentinel() error {
	if in, ok := statusTable[s]; ok {
		return in.err
	}
	return ErrUnknownStatus
}

// String renders "SW3=80 找卡不成功 / find card failed (no card)".
func (s Status) String() string {
	zh, en := s.Meaning()
	return fmt.Sprintf("SW3=%02X %s / %s", byte(s), zh, en)
}

func (s Status) errFor(op string) error {
	if s.OK() {
		return nil
	}
	return &StatusError{Op: op, Status: s}
}

// StatusError is a reply whose SW3 is not a success.
type StatusError struct {
	Op     string // the command, e.g. "find card"
	Status Status
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("idcard: %s: %v", e.Op, e.Status)
}

// Unwrap returns the status's sentinel.
func (e *StatusError) Unwrap() error { return e.Status.Sentinel() }

// StatusOf returns the SW3 carried by err, if err wraps a *StatusError.
func StatusOf(err error) (Status, bool) {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Status, true
	}
	return 0, false
}
