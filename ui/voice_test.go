package ui

import (
	"testing"

	"github.com/henan-county/kiosk/kiosk/host"
	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/ui/scenes"
	"github.com/henan-county/kiosk/ui/sound"
)

func TestVoiceControlsByTaps(t *testing.T) {
	player := sound.New(nil)
	a, _ := newRigApp(t, func(o *host.Opts, _ *Opts) { o.Ports.Voice = sound.NewSpeaker(nil, player, nil) })
	tapID(t, a, "vol-up")
	if player.Volume() != 1 || a.view.VolumeLevel != 5 {
		t.Fatalf("after 音量＋ on attract: player %v, view %d", player.Volume(), a.view.VolumeLevel)
	}
	tapID(t, a, "start")
	for range 3 {
		tapID(t, a, "vol-down")
	}
	tapID(t, a, "voice")
	if player.Volume() < 0.39 || player.Volume() > 0.41 || player.Enabled() || a.view.Voice {
		t.Fatalf("on home: player %v %v, view voice %v", player.Volume(), player.Enabled(), a.view.Voice)
	}
	if w, _ := a.Screen().Find("vol-level"); w.Lines[0] != "已静音" {
		t.Fatalf("level shows %q", w.Lines)
	}
	tapID(t, a, "help")
	tapID(t, a, "help-voice")
	if !player.Enabled() {
		t.Fatal("voice not back on from the help overlay")
	}
	tapID(t, a, "help-vol-down")
	tapID(t, a, "help-close")
	tapID(t, a, "cancel")
	if a.view.Screen != session.ScreenAttract || player.Volume() != 0.8 || !player.Enabled() || a.view.VolumeLevel != session.DefaultVolumeLevel {
		t.Fatalf("after the session: %s, player %v %v", a.view.Screen, player.Volume(), player.Enabled())
	}
}

func TestPinyinByTaps(t *testing.T) {
	a, fx := newTestApp(t, 0)
	tapID(t, a, "start")
	tapID(t, a, "cat:civil")
	tapID(t, a, "svc:subsidy")
	tapID(t, a, "begin")
	a.Post(session.CardPresent{Card: scenes.Card()})
	a.Sync()
	tapID(t, a, "confirm")
	tapID(t, a, "field:need")
	for _, k := range "zhang" {
		tapID(t, a, "key:"+string(k))
	}
	if a.view.Pinyin != "zhang" {
		t.Fatalf("pinyin %q", a.view.Pinyin)
	}
	tapID(t, a, "cand:张")
	for _, k := range "wangli" {
		tapID(t, a, "key:"+string(k))
	}
	tapID(t, a, "cand:王")
	tapID(t, a, "cand:next")
	if a.view.CandFrom == 0 {
		t.Fatal("next page did not turn")
	}
	tapID(t, a, "cand:prev")
	tapID(t, a, "cand:李")
	tapID(t, a, "key:x")
	tapID(t, a, "key:del") // the letter
	tapID(t, a, "key:del") // 李
	if got := a.view.Form[0].Value; got != "张王" || a.view.Pinyin != "" {
		t.Fatalf("field %q pinyin %q", got, a.view.Pinyin)
	}
	tapID(t, a, "next")
	tapID(t, a, "submit")
	waitFor(t, a, "the submission", func() bool { return len(fx.ports.Snapshot().Subs) == 1 })
	if got := fx.ports.Snapshot().Subs[0].Fields["need"]; got != "张王" {
		t.Fatalf("submitted %q", got)
	}
}
