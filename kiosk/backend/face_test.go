package backend

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestDecodeFaceVerification(t *testing.T) {
	ok := `{"verification_id":"FV0123456789ABCDEF","result":"passed","message":"人脸核验通过","verified_at":"2026-12-02T10:00:00Z"}`
	v, err := DecodeFaceVerification("face", 201, "application/json; charset=utf-8", []byte(ok), 0)
	if err != nil || v.Result != FacePassed || v.Message != "人脸核验通过" || v.VerificationID != "FV0123456789ABCDEF" {
		t.Fatalf("%+v %v", v, err)
	}
	for _, tc := range []struct {
		name, ctype, body string
		status            int
		reason            string
	}{
		{"html", "text/html", ok, 200, "bad_content_type"},
		{"not json", "application/json", "{", 201, "bad_body"},
		{"trailing", "application/json", ok + "{}", 201, "bad_body"},
		{"unknown result", "application/json", strings.Replace(ok, `"passed"`, `"maybe"`, 1), 201, "bad_body"},
		{"lower-case id", "application/json", strings.Replace(ok, "FV0123456789ABCDEF", "fv0123456789abcdef", 1), 201, "bad_body"},
		{"short id", "application/json", strings.Replace(ok, "FV0123456789ABCDEF", "FV1", 1), 201, "bad_body"},
		{"empty message", "application/json", strings.Replace(ok, "人脸核验通过", " ", 1), 201, "bad_body"},
		{"control in message", "application/json", strings.Replace(ok, "人脸核验通过", `a\u0007b`, 1), 201, "bad_body"},
		{"long message", "application/json", strings.Replace(ok, "人脸核验通过", strings.Repeat("长", 90), 1), 201, "bad_body"},
		{"no time", "application/json", strings.Replace(ok, `,"verified_at":"2026-12-02T10:00:00Z"`, "", 1), 201, "bad_body"},
		{"problem", "application/problem+json", `{"status":422,"reason":"key_reused","title":"x"}`, 422, "key_reused"},
		{"busy", "application/problem+json", `{"status":503,"reason":"busy","title":"x"}`, 503, "busy"},
	} {
		_, err := DecodeFaceVerification("face", tc.status, tc.ctype, []byte(tc.body), 0)
		var e *Error
		if !errors.As(err, &e) || e.Reason != tc.reason {
			t.Errorf("%s: %v, want reason %s", tc.name, err, tc.reason)
		}
	}
}

// TestFaceBody: the hand-written request body is the contract's JSON and
// reads back through the backend's strict decoder.
func TestFaceBody(t *testing.T) {
	r := FaceRequest{CardType: "foreign_pr_2023", IDNumber: "Y12345678901234567", Frames: [][]byte{{0xff, 0xd8, 1, 2, 0xff, 0xd9}, {0xff, 0xd8, 3, 0xff, 0xd9}}}
	b := faceBody(r)
	var w FaceVerificationRequest
	if err := json.Unmarshal(b, &w); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	back, err := DecodeFaceRequest(b)
	if err != nil {
		t.Fatal(err)
	}
	if back.CardType != r.CardType || back.IDNumber != r.IDNumber || len(back.Frames) != 2 || !bytes.Equal(back.Frames[1], r.Frames[1]) {
		t.Fatalf("%+v", back)
	}
	for _, bad := range []string{
		`{"card_type":"resident","id_number":"1","frames":[{"jpeg":"/9gBAg=="}],"photo":"x"}`,
		`{"card_type":"resident","id_number":"1","frames":[]}`,
		`{"card_type":"resident","id_number":"1","frames":[{"jpeg":"R0lG"}]}`,
		`{"card_type":"resident","id_number":"1","frames":[{"jpeg":"/9gBAg=="}]} {}`,
	} {
		if _, err := DecodeFaceRequest([]byte(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
	frames := r.Frames
	r.Wipe()
	if r.Frames != nil || r.IDNumber != "" || !bytes.Equal(frames[0], make([]byte, 6)) {
		t.Error("Wipe left data")
	}
	if k := FaceKey("K1", "s/1"); k != FaceKey("K1", "s/1") || k == FaceKey("K1", "s/2") || !strings.HasPrefix(k, "face-") {
		t.Errorf("key %q", k)
	}
}

func FuzzDecodeFaceVerification(f *testing.F) {
	f.Add(201, "application/json", []byte(`{"verification_id":"FV0123456789ABCDEF","result":"not_alive","message":"请眨眼","verified_at":"2026-12-02T10:00:00Z"}`))
	f.Add(422, "application/problem+json", []byte(`{"status":422,"reason":"key_reused"}`))
	f.Add(200, "application/json", []byte(`{"result":"passed"}`))
	f.Fuzz(func(t *testing.T, status int, ctype string, body []byte) {
		v, err := DecodeFaceVerification("face", status, ctype, body, 0)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if !v.Result.Known() || !ValidOrderNo(v.VerificationID) || !plainText(v.Message, maxFaceMessage) || v.VerifiedAt.IsZero() {
			t.Fatalf("accepted %+v", v)
		}
	})
}

func FuzzDecodeFaceRequest(f *testing.F) {
	f.Add([]byte(`{"card_type":"resident","id_number":"410122199003071234","frames":[{"jpeg":"/9gBAg=="}]}`))
	f.Add([]byte(`{"frames":null}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := DecodeFaceRequest(body)
		if err != nil {
			return
		}
		if validFaceRequest(r) != "" {
			t.Fatalf("accepted an invalid request")
		}
		b := faceBody(r)
		if _, err := DecodeFaceRequest(b); err != nil {
			t.Fatalf("round trip: %v", err)
		}
	})
}
