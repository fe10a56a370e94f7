package phone

import "testing"

func TestCloseReason(t *testing.T) {
	for _, tc := range []struct {
		param  string
		local  bool
		reason Reason
		remote bool
	}{
		{"Connection reset by user", true, ReasonHangup, false},
		{"Connection reset by peer", false, ReasonHangup, true},
		{"486 Rejected", false, ReasonBusy, true},
		{"486 Max Calls", false, ReasonBusy, true},
		{"603 Decline", false, ReasonBusy, true},
		{"600 Busy Everywhere", false, ReasonBusy, true},
		{"480 Temporarily Unavailable", false, ReasonNoAnswer, true},
		{"408 Request Timeout", false, ReasonNoAnswer, true},
		{"404 Not Found", false, ReasonFailed, true},
		{"503 Service Unavailable", false, ReasonFailed, true},
		{"Connection reset by user", false, ReasonFailed, false},
		{"Unknown error -2", false, ReasonFailed, false},
		{"end of file", false, ReasonFailed, false},
		{"4860 odd", false, ReasonFailed, false},
		{"", false, ReasonFailed, false},
		{"486 Rejected", true, ReasonHangup, false},
	} {
		r, remote := closeReason(tc.param, tc.local)
		if r != tc.reason || remote != tc.remote {
			t.Errorf("closeReason(%q, %v) = %s, %v; want %s, %v", tc.param, tc.local, r, remote, tc.reason, tc.remote)
		}
	}
}
