package scenes

import (
	"time"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/session"
)

// FaceService is the demonstration face-checked matter: the yearly
// pension qualification check (养老金领取资格认证).
func FaceService() catalog.Service {
	return catalog.Service{ID: "sb-cx-rz", Name: "城乡居民养老保险待遇资格认证", ShortName: "居民养老待遇资格认证", Category: "social",
		Department: "中牟县社会保险中心", Kind: catalog.KindCertify, NeedsIDCard: true, FaceCheck: true,
		Hours: catalog.Hours{Always: true}, Offline: catalog.OfflineOnlineOnly, Popularity: 20, Status: catalog.StatusActive,
		Form:    []catalog.Field{{ID: "name", Label: "姓名", Type: catalog.FieldFromCard, CardField: "name"}},
		Receipt: catalog.Receipt{Title: "资格认证凭条"}}
}

// Faces returns one scene per state of the face screen, from a real
// Machine on the demonstration catalog with FaceService added: the camera
// being switched on, the picture and the oval, a try under way, a try
// that was too far, 核验通过, and the other ways after three tries. The
// picture itself is the renderer's (the simulated camera's frame in the
// golden tests), never part of the view.
func Faces(elder bool) []Scene {
	var out []Scene
	now := time.Date(2026, 11, 26, 2, 30, 0, 0, time.UTC)
	c := Catalog()
	c.Services = append(c.Services, FaceService())
	m := session.New(&session.Opts{Catalog: func() *catalog.Catalog { return c }, KioskID: "ZM-K07",
		HallName: HallName, HallID: "cgz", Now: func() time.Time { return now }, Faces: true})
	do := func(evs ...session.Event) {
		for _, ev := range evs {
			m.Handle(ev)
		}
	}
	snap := func(name string) { out = append(out, Scene{Name: name, View: m.View()}) }
	begin := func() {
		do(session.Start{})
		if elder {
			do(session.ToggleElder{})
		}
		do(session.ChooseService{ID: "sb-cx-rz"}, session.Start{}, session.CardPresent{Card: Card()}, session.ConfirmIdentity{})
	}
	begin()
	snap("face_starting")
	do(session.CameraStarted{})
	snap("face_aim")
	do(session.FaceBegin{})
	snap("face_checking")
	do(session.FaceChecked{Attempt: 1, Result: session.FaceResultPoorQuality, Message: "没有看清您的脸。"})
	snap("face_retry")
	do(session.FaceBegin{}, session.FaceChecked{Attempt: 2, Result: session.FaceResultPassed, Message: "人脸核验通过",
		VerificationID: "FV3A9C0B1D2E4F5A6B7C8D"})
	snap("face_passed")
	do(session.Cancel{}, session.CardRemoved{}, session.Finish{})

	begin()
	do(session.CameraStarted{})
	for a := 1; a <= 3; a++ {
		do(session.FaceBegin{}, session.FaceChecked{Attempt: a, Result: session.FaceResultNotSame, Message: "与身份证照片不是同一人。"})
	}
	snap("face_options")
	return out
}
