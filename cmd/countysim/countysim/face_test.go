package countysim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/henan-county/kiosk/cmd/countysim/countysim"
	"github.com/henan-county/kiosk/kiosk/backend"
	"github.com/henan-county/kiosk/kiosk/identity"
	"github.com/henan-county/kiosk/kiosk/txn"
)

const faceID = "410122199003071234"

// TestFaceVerificationByScene: over mutual TLS, each simulated scene gets
// its verdict, deterministically; the count shows in the /sim/v1 view
// with the ID number masked; nothing of the frames reaches the log.
func TestFaceVerificationByScene(t *testing.T) {
	dir := t.TempDir()
	pki, err := countysim.MintDevPKI(filepath.Join(dir, "pki"), []string{kiosk})
	if err != nil {
		t.Fatal(err)
	}
	var logBuf bytes.Buffer
	o := tlsOpts(filepath.Join(dir, "sim"), pki)
	o.Logger = slog.New(slog.NewTextHandler(&logBuf, nil))
	s := start(t, o)
	t.Cleanup(func() { s.Close() })
	c := client(t, s, pki)
	ctx := context.Background()
	for i, tc := range []struct {
		scene string
		n     int
		want  backend.FaceResult
	}{
		{"blink", 3, backend.FacePassed},
		{"turn", 3, backend.FacePassed},
		{"stranger", 3, backend.FaceNotSamePerson},
		{"photo", 3, backend.FaceNotAlive},
		{"blink", 1, backend.FaceNotAlive}, // one frame cannot show a live face
		{"far", 2, backend.FacePoorQuality},
		{"backlit", 3, backend.FacePoorQuality},
		{"noface", 2, backend.FacePoorQuality},
		{"dark", 2, backend.FacePoorQuality},
	} {
		frames, err := countysim.SceneJPEGs(tc.scene, tc.n)
		if err != nil {
			t.Fatal(err)
		}
		v, err := c.VerifyFace(ctx, "attempt-"+string(rune('a'+i)), backend.FaceRequest{CardType: "resident", IDNumber: faceID, Frames: frames})
		if err != nil {
			t.Fatalf("%s: %v", tc.scene, err)
		}
		if v.Result != tc.want || v.Message == "" {
			t.Errorf("%s ×%d: %s %q, want %s", tc.scene, tc.n, v.Result, v.Message, tc.want)
		}
	}
	st := s.FaceStats()
	if st.Requests != 9 || st.ByResult["passed"] != 2 || st.ByResult["not_alive"] != 2 || st.ByResult["poor_quality"] != 4 || st.ByResult["not_same_person"] != 1 {
		t.Errorf("stats %+v", st)
	}
	if len(st.Verifications) != 9 || st.Verifications[0].IDNumber != "410122********1234" || st.Verifications[0].Scene != "blink" || st.Verifications[0].Frames != 3 {
		t.Errorf("first record %+v", st.Verifications[0])
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/sim/v1/face-verifications", nil))
	var view countysim.FaceStats
	if err := json.Unmarshal(rec.Body.Bytes(), &view); err != nil {
		t.Fatal(err)
	}
	if view.Requests != 9 || len(view.Verifications) != 9 {
		t.Errorf("/sim/v1/face-verifications: %+v", view)
	}
	logs := logBuf.String()
	if strings.Contains(logs, faceID) || strings.Contains(logs, "/9j/") || !strings.Contains(logs, "countysim verified a face") {
		t.Errorf("log has the ID number or a frame, or no verdict:\n%s", logs)
	}
}

// TestFaceVerificationIdempotent: a repeat gets the first verdict, a
// different request under the same key is refused, a malformed one is
// a permanent validation error.
func TestFaceVerificationIdempotent(t *testing.T) {
	s, c := startTLS(t)
	ctx := context.Background()
	blink, _ := countysim.SceneJPEGs("blink", 3)
	first, err := c.VerifyFace(ctx, "session-1/1", backend.FaceRequest{CardType: "resident", IDNumber: faceID, Frames: blink})
	if err != nil || first.Result != backend.FacePassed {
		t.Fatalf("%+v %v", first, err)
	}
	again, err := c.VerifyFace(ctx, "session-1/1", backend.FaceRequest{CardType: "resident", IDNumber: faceID, Frames: blink})
	if err != nil || again != first {
		t.Fatalf("repeat: %+v %v, want %+v", again, err, first)
	}
	other, _ := countysim.SceneJPEGs("stranger", 3)
	_, err = c.VerifyFace(ctx, "session-1/1", backend.FaceRequest{CardType: "resident", IDNumber: faceID, Frames: other})
	var be *backend.Error
	if !errors.As(err, &be) || be.Reason != "key_reused" || !be.Permanent {
		t.Fatalf("another request under the key: %v", err)
	}
	if st := s.FaceStats(); st.Requests != 3 || st.Replayed != 1 || st.KeyReused != 1 || len(st.Verifications) != 1 {
		t.Errorf("stats %+v", st)
	}
	// The client refuses what the contract does not allow before sending.
	for _, r := range []backend.FaceRequest{
		{CardType: "resident", IDNumber: faceID},
		{CardType: "passport", IDNumber: faceID, Frames: blink},
		{CardType: "resident", IDNumber: "4101 22", Frames: blink},
		{CardType: "resident", IDNumber: faceID, Frames: [][]byte{[]byte("GIF89a")}},
		{CardType: "resident", IDNumber: faceID, Frames: append(append(blink[:3:3], blink...), blink...)},
	} {
		if _, err := c.VerifyFace(ctx, "session-2/1", r); !errors.As(err, &be) || be.Reason != "validation" || !be.Permanent {
			t.Errorf("%d frames, %q: %v", len(r.Frames), r.CardType, err)
		}
	}
	if st := s.FaceStats(); st.Requests != 3 {
		t.Errorf("invalid requests reached the backend: %+v", st)
	}
}

// TestFaceCheckedMatter: a face_check matter (城乡居民养老保险待遇资格认证)
// is taken only with a face verification this kiosk passed for the same
// ID number; a failed one, another person's, or none is refused.
func TestFaceCheckedMatter(t *testing.T) {
	_, c := startTLS(t)
	ctx := context.Background()
	verify := func(key, scene string) string {
		t.Helper()
		frames, err := countysim.SceneJPEGs(scene, 3)
		if err != nil {
			t.Fatal(err)
		}
		v, err := c.VerifyFace(ctx, key, backend.FaceRequest{CardType: "resident", IDNumber: faceID, Frames: frames})
		if err != nil {
			t.Fatal(err)
		}
		return v.VerificationID
	}
	passed, failed := verify("k1", "blink"), verify("k2", "stranger")
	submit := func(id, verification string) error {
		tx := newTx()
		tx.ServiceID, tx.ServiceKind = "sb-cx-rz", "certify"
		tx.Person = &txn.Person{CardType: identity.ResidentID, Name: "张三", IDNumber: id, FaceVerification: verification}
		_, err := c.Submit(ctx, tx)
		return err
	}
	for _, tc := range []struct {
		name, id, verification string
	}{
		{"none", faceID, ""},
		{"failed", faceID, failed},
		{"another person's", "410122195303150022", passed},
		{"made up", faceID, "FV0000000000000000"},
	} {
		var be *backend.Error
		if err := submit(tc.id, tc.verification); !errors.As(err, &be) || be.Status != 422 || be.Reason != "refused" {
			t.Errorf("%s: %v, want a 422 refusal", tc.name, err)
		}
	}
	if err := submit(faceID, passed); err != nil {
		t.Fatalf("with the passed verification: %v", err)
	}
}
