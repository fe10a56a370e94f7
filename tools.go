//go:build tools

// Package kiosk pins the modules the build uses so that go.sum stays
// complete while packages are being added.
package kiosk

import (
	_ "github.com/BurntSushi/toml"
	_ "github.com/creack/pty"
	_ "github.com/hajimehoshi/ebiten/v2"
	_ "github.com/hajimehoshi/ebiten/v2/audio"
	_ "github.com/hajimehoshi/ebiten/v2/audio/wav"
	_ "github.com/hajimehoshi/ebiten/v2/text/v2"
	_ "github.com/hajimehoshi/ebiten/v2/vector"
	_ "github.com/mozillazg/go-pinyin"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "github.com/prometheus/client_golang/prometheus/promhttp"
	_ "github.com/prometheus/client_golang/prometheus/testutil"
	_ "github.com/skip2/go-qrcode"
	_ "github.com/tarm/serial"
	_ "go.etcd.io/bbolt"
	_ "golang.org/x/crypto/bcrypt"
	_ "golang.org/x/crypto/blake2b"
	_ "golang.org/x/crypto/chacha20poly1305"
	_ "golang.org/x/image/font/opentype"
	_ "golang.org/x/text/encoding/simplifiedchinese"
	_ "periph.io/x/conn/v3/gpio"
	_ "periph.io/x/conn/v3/gpio/gpioreg"
	_ "periph.io/x/conn/v3/gpio/gpiotest"
	_ "periph.io/x/host/v3"
)
