//go:build linux

package camera

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"unsafe"
)

// TestV4L2Layout: the Go structures have the kernel's sizes (as
// linux/videodev2.h compiles on 64- and 32-bit), so the ioctl numbers,
// which carry the size, are the kernel's: checked against the numbers
// the kernel headers give on x86-64 and arm64.
func TestV4L2Layout(t *testing.T) {
	is64 := unsafe.Sizeof(uintptr(0)) == 8
	for _, tc := range []struct {
		name         string
		got          uintptr
		want64, want uintptr
	}{
		{"v4l2_capability", unsafe.Sizeof(v4l2Capability{}), 104, 104},
		{"v4l2_fmtdesc", unsafe.Sizeof(v4l2Fmtdesc{}), 64, 64},
		{"v4l2_format", unsafe.Sizeof(v4l2Format{}), 208, 204},
		{"v4l2_streamparm", unsafe.Sizeof(v4l2Streamparm{}), 204, 204},
		{"v4l2_requestbuffers", unsafe.Sizeof(v4l2Requestbuffers{}), 20, 20},
		{"v4l2_buffer", unsafe.Sizeof(v4l2Buffer{}), 88, 68},
		{"v4l2_frmsizeenum", unsafe.Sizeof(v4l2Frmsizeenum{}), 44, 44},
		{"v4l2_pix_format", unsafe.Sizeof(v4l2PixFormat{}), 48, 48},
	} {
		want := tc.want
		if is64 {
			want = tc.want64
		}
		if tc.got != want {
			t.Errorf("%s: %d bytes, the kernel's is %d", tc.name, tc.got, want)
		}
	}
	if is64 {
		for _, tc := range []struct {
			name      string
			got, want uintptr
		}{
			{"VIDIOC_QUERYCAP", vidiocQuerycap, 0x80685600},
			{"VIDIOC_ENUM_FMT", vidiocEnumFmt, 0xc0405602},
			{"VIDIOC_S_FMT", vidiocSFmt, 0xc0d05605},
			{"VIDIOC_REQBUFS", vidiocReqbufs, 0xc0145608},
			{"VIDIOC_QUERYBUF", vidiocQuerybuf, 0xc0585609},
			{"VIDIOC_QBUF", vidiocQbuf, 0xc058560f},
			{"VIDIOC_DQBUF", vidiocDqbuf, 0xc0585611},
			{"VIDIOC_STREAMON", vidiocStreamon, 0x40045612},
			{"VIDIOC_STREAMOFF", vidiocStreamoff, 0x40045613},
			{"VIDIOC_S_PARM", vidiocSParm, 0xc0cc5616},
			{"VIDIOC_ENUM_FRAMESIZES", vidiocEnumFramesizes, 0xc02c564a},
		} {
			if tc.got != tc.want {
				t.Errorf("%s = %#x, the kernel's is %#x", tc.name, tc.got, tc.want)
			}
		}
	}
	var b v4l2Buffer
	if off := unsafe.Offsetof(b.M); is64 && off != 64 {
		t.Errorf("v4l2_buffer.m at %d, the kernel's is at 64", off)
	}
	var f v4l2Format
	if off := unsafe.Offsetof(f.Fmt); is64 && off != 8 {
		t.Errorf("v4l2_format.fmt at %d, the kernel's is at 8", off)
	}
}

// TestOpenNotACamera: what the V4L2 path can check without a camera: a
// missing device is ErrGone, a file that is no video device ErrNotCamera.
func TestOpenNotACamera(t *testing.T) {
	if _, err := Open(filepath.Join(t.TempDir(), "video9"), Mode{Width: 640, Height: 480}); !errors.Is(err, ErrGone) {
		t.Errorf("missing device: %v", err)
	}
	if _, err := Query("/dev/null"); !errors.Is(err, ErrNotCamera) {
		t.Errorf("/dev/null: %v", err)
	}
	f := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(f, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(f, Mode{Width: 640, Height: 480}); !errors.Is(err, ErrNotCamera) {
		t.Errorf("a plain file: %v", err)
	}
}

func TestChoose(t *testing.T) {
	both := Info{Formats: []FormatInfo{{Format: YUYV}, {Format: MJPEG}}}
	only := Info{Formats: []FormatInfo{{Format: YUYV}}}
	h264 := Info{Formats: []FormatInfo{{Format: fourcc('H', '2', '6', '4')}}}
	for _, tc := range []struct {
		info Info
		want PixFmt
		got  PixFmt
		err  error
	}{
		{both, 0, MJPEG, nil},
		{both, YUYV, YUYV, nil},
		{only, 0, YUYV, nil},
		{only, MJPEG, 0, ErrNoFormat},
		{h264, 0, 0, ErrNoFormat},
		{Info{}, 0, 0, ErrNoFormat},
	} {
		got, err := choose(tc.info, tc.want)
		if got != tc.got || !errors.Is(err, tc.err) {
			t.Errorf("%v want %v: %v %v", offered(tc.info), tc.want, got, err)
		}
	}
}
