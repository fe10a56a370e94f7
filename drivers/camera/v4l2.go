//go:build linux

package camera

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The kernel's V4L2 structures (linux/videodev2.h), laid out as the C
// compiler does on both 64- and 32-bit ARM and x86: uintptr stands for
// unsigned long and pointers, unix.Timeval for struct timeval, and the
// ioctl numbers are computed from the Go sizes (TestV4L2Layout checks
// them against the kernel's on this machine's word size).

type v4l2Capability struct {
	Driver       [16]byte
	Card         [32]byte
	BusInfo      [32]byte
	Version      uint32
	Capabilities uint32
	DeviceCaps   uint32
	Reserved     [3]uint32
}

type v4l2Fmtdesc struct {
	Index       uint32
	Type        uint32
	Flags       uint32
	Description [32]byte
	PixelFormat uint32
	MbusCode    uint32
	Reserved    [3]uint32
}

type v4l2PixFormat struct {
	Width, Height, PixelFormat, Field, BytesPerLine, SizeImage uint32
	Colorspace, Priv, Flags, YcbcrEnc, Quantization, XferFunc  uint32
}

type v4l2Format struct {
	Type uint32
	Fmt  struct {
		_   [0]uintptr // the union holds pointers (struct v4l2_window)
		Raw [200]byte
	}
}

func (f *v4l2Format) pix() *v4l2PixFormat { return (*v4l2PixFormat)(unsafe.Pointer(&f.Fmt.Raw[0])) }

type v4l2Fract struct{ Numerator, Denominator uint32 }

type v4l2Streamparm struct {
	Type    uint32
	Capture struct {
		Capability, CaptureMode uint32
		TimePerFrame            v4l2Fract
		ExtendedMode            uint32
		ReadBuffers             uint32
		Reserved                [4]uint32
		_                       [200 - 40]byte
	}
}

type v4l2Requestbuffers struct {
	Count, Type, Memory, Capabilities uint32
	Flags                             uint8
	Reserved                          [3]uint8
}

type v4l2Timecode struct {
	Type, Flags                     uint32
	Frames, Seconds, Minutes, Hours uint8
	Userbits                        [4]uint8
}

type v4l2Buffer struct {
	Index, Type, BytesUsed, Flags, Field uint32
	Timestamp                            unix.Timeval
	Timecode                             v4l2Timecode
	Sequence, Memory                     uint32
	M                                    uintptr // union: offset (low 32 bits), userptr, planes, fd
	Length, Reserved2, RequestFD         uint32
}

type v4l2Frmsizeenum struct {
	Index, PixelFormat, Type uint32
	Size                     [6]uint32 // discrete: width, height; stepwise: min/max/step width, min/max/step height
	Reserved                 [2]uint32
}

const (
	bufTypeVideoCapture = 1
	memoryMMAP          = 1
	capVideoCapture     = 0x00000001
	capStreaming        = 0x04000000
	capDeviceCaps       = 0x80000000
	frmsizeDiscrete     = 1
	bufFlagError        = 0x40
	nBuffers            = 4
)

func ioc(dir, nr, size uintptr) uintptr { return dir<<30 | size<<16 | 'V'<<8 | nr }

const (
	iocWrite = 1
	iocRead  = 2
)

var (
	vidiocQuerycap       = ioc(iocRead, 0, unsafe.Sizeof(v4l2Capability{}))
	vidiocEnumFmt        = ioc(iocRead|iocWrite, 2, unsafe.Sizeof(v4l2Fmtdesc{}))
	vidiocSFmt           = ioc(iocRead|iocWrite, 5, unsafe.Sizeof(v4l2Format{}))
	vidiocReqbufs        = ioc(iocRead|iocWrite, 8, unsafe.Sizeof(v4l2Requestbuffers{}))
	vidiocQuerybuf       = ioc(iocRead|iocWrite, 9, unsafe.Sizeof(v4l2Buffer{}))
	vidiocQbuf           = ioc(iocRead|iocWrite, 15, unsafe.Sizeof(v4l2Buffer{}))
	vidiocDqbuf          = ioc(iocRead|iocWrite, 17, unsafe.Sizeof(v4l2Buffer{}))
	vidiocStreamon       = ioc(iocWrite, 18, unsafe.Sizeof(int32(0)))
	vidiocStreamoff      = ioc(iocWrite, 19, unsafe.Sizeof(int32(0)))
	vidiocSParm          = ioc(iocRead|iocWrite, 22, unsafe.Sizeof(v4l2Streamparm{}))
	vidiocEnumFramesizes = ioc(iocRead|iocWrite, 74, unsafe.Sizeof(v4l2Frmsizeenum{}))
)

func ioctl(fd int, req uintptr, arg unsafe.Pointer) error {
	for {
		_, _, e := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), req, uintptr(arg))
		switch e {
		case 0:
			return nil
		case unix.EINTR:
			continue
		}
		return e
	}
}

// Errors opening a camera.
var (
	// ErrGone: the device is not there (unplugged, or no such path).
	ErrGone = errors.New("camera: not there")
	// ErrNotCamera: the device is no video capture device that streams.
	ErrNotCamera = errors.New("camera: not a streaming video capture device")
	// ErrNoFormat: the camera offers neither MJPEG nor YUYV (or not the
	// one asked for).
	ErrNoFormat = errors.New("camera: no format the kiosk decodes")
)

// gone marks the errors of a device that has disappeared.
func gone(err error) error {
	for _, e := range []error{unix.ENOENT, unix.ENODEV, unix.ENXIO, unix.EIO} {
		if errors.Is(err, e) {
			return fmt.Errorf("%w: %v", ErrGone, err)
		}
	}
	return err
}

// Info is what a V4L2 device says about itself.
type Info struct {
	Driver, Card, BusInfo string
	Formats               []FormatInfo
}

// FormatInfo is one pixel format a device offers, with its discrete
// frame sizes (empty when it gives ranges).
type FormatInfo struct {
	Format      PixFmt
	Description string
	Sizes       [][2]int
}

func cstr(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

// Query opens path, reads what the device is and which formats it
// offers, and closes it again; nothing is streamed.
func Query(path string) (Info, error) {
	fd, err := unix.Open(path, unix.O_RDWR|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return Info{}, gone(fmt.Errorf("camera: open %s: %w", path, err))
	}
	defer unix.Close(fd)
	return query(fd, path)
}

func query(fd int, path string) (Info, error) {
	var c v4l2Capability
	if err := ioctl(fd, vidiocQuerycap, unsafe.Pointer(&c)); err != nil {
		return Info{}, gone(fmt.Errorf("%w: %s: VIDIOC_QUERYCAP: %v", ErrNotCamera, path, err))
	}
	caps := c.Capabilities
	if caps&capDeviceCaps != 0 {
		caps = c.DeviceCaps
	}
	if caps&capVideoCapture == 0 || caps&capStreaming == 0 {
		return Info{}, fmt.Errorf("%w: %s (%s, capabilities %#x)", ErrNotCamera, path, cstr(c.Card[:]), caps)
	}
	info := Info{Driver: cstr(c.Driver[:]), Card: cstr(c.Card[:]), BusInfo: cstr(c.BusInfo[:])}
	for i := uint32(0); i < 64; i++ {
		d := v4l2Fmtdesc{Index: i, Type: bufTypeVideoCapture}
		if err := ioctl(fd, vidiocEnumFmt, unsafe.Pointer(&d)); err != nil {
			break // EINVAL ends the list
		}
		f := FormatInfo{Format: PixFmt(d.PixelFormat), Description: cstr(d.Description[:])}
		for j := uint32(0); j < 64; j++ {
			s := v4l2Frmsizeenum{Index: j, PixelFormat: d.PixelFormat}
			if ioctl(fd, vidiocEnumFramesizes, unsafe.Pointer(&s)) != nil || s.Type != frmsizeDiscrete {
				break
			}
			f.Sizes = append(f.Sizes, [2]int{int(s.Size[0]), int(s.Size[1])})
		}
		info.Formats = append(info.Formats, f)
	}
	return info, nil
}

// choose picks the format to ask for: want when the device offers it,
// else MJPEG, else YUYV.
func choose(info Info, want PixFmt) (PixFmt, error) {
	has := map[PixFmt]bool{}
	for _, f := range info.Formats {
		has[f.Format] = true
	}
	if want != 0 {
		if has[want] {
			return want, nil
		}
		return 0, fmt.Errorf("%w: %s not offered (%s)", ErrNoFormat, want, offered(info))
	}
	for _, f := range []PixFmt{MJPEG, YUYV} {
		if has[f] {
			return f, nil
		}
	}
	return 0, fmt.Errorf("%w (%s)", ErrNoFormat, offered(info))
}

func offered(info Info) string {
	s := "offers"
	for _, f := range info.Formats {
		s += " " + f.Format.String()
	}
	if len(info.Formats) == 0 {
		s += " nothing"
	}
	return s
}

// Device is an open V4L2 camera, streaming into memory-mapped buffers.
type Device struct {
	path string
	fd   int
	info Info
	mode Mode
	bufs [][]byte
	seq  uint64
	on   bool
}

var _ Source = (*Device)(nil)

// Open opens the camera at path, negotiates want (a zero Format: MJPEG,
// else YUYV; the size and rate as close as the camera gets) and starts
// streaming. Mode says what was agreed.
func Open(path string, want Mode) (*Device, error) {
	fd, err := unix.Open(path, unix.O_RDWR|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, gone(fmt.Errorf("camera: open %s: %w", path, err))
	}
	d := &Device{path: path, fd: fd}
	if err := d.start(want); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

func (d *Device) start(want Mode) error {
	info, err := query(d.fd, d.path)
	if err != nil {
		return err
	}
	d.info = info
	pf, err := choose(info, want.Format)
	if err != nil {
		return err
	}
	var f v4l2Format
	f.Type = bufTypeVideoCapture
	p := f.pix()
	p.Width, p.Height, p.PixelFormat, p.Field = uint32(want.Width), uint32(want.Height), uint32(pf), 0
	if err := ioctl(d.fd, vidiocSFmt, unsafe.Pointer(&f)); err != nil {
		return gone(fmt.Errorf("camera: %s: VIDIOC_S_FMT %s %d×%d: %w", d.path, pf, want.Width, want.Height, err))
	}
	if PixFmt(p.PixelFormat) != pf {
		return fmt.Errorf("%w: asked for %s, the camera set %s", ErrNoFormat, pf, PixFmt(p.PixelFormat))
	}
	d.mode = Mode{Format: pf, Width: int(p.Width), Height: int(p.Height), FPS: want.FPS}
	if d.mode.Width <= 0 || d.mode.Height <= 0 || d.mode.Width > MaxWidth || d.mode.Height > MaxHeight {
		return fmt.Errorf("%w: the camera set %d×%d", ErrFrameSize, d.mode.Width, d.mode.Height)
	}
	if want.FPS > 0 {
		sp := v4l2Streamparm{Type: bufTypeVideoCapture}
		sp.Capture.TimePerFrame = v4l2Fract{1, uint32(want.FPS)}
		// A camera without frame-rate control refuses; it runs at its own.
		if ioctl(d.fd, vidiocSParm, unsafe.Pointer(&sp)) == nil && sp.Capture.TimePerFrame.Numerator > 0 {
			d.mode.FPS = int(sp.Capture.TimePerFrame.Denominator / sp.Capture.TimePerFrame.Numerator)
		}
	}
	rb := v4l2Requestbuffers{Count: nBuffers, Type: bufTypeVideoCapture, Memory: memoryMMAP}
	if err := ioctl(d.fd, vidiocReqbufs, unsafe.Pointer(&rb)); err != nil {
		return gone(fmt.Errorf("camera: %s: VIDIOC_REQBUFS: %w", d.path, err))
	}
	if rb.Count < 2 {
		return fmt.Errorf("camera: %s: only %d buffers", d.path, rb.Count)
	}
	for i := uint32(0); i < rb.Count; i++ {
		b := v4l2Buffer{Index: i, Type: bufTypeVideoCapture, Memory: memoryMMAP}
		if err := ioctl(d.fd, vidiocQuerybuf, unsafe.Pointer(&b)); err != nil {
			return gone(fmt.Errorf("camera: %s: VIDIOC_QUERYBUF: %w", d.path, err))
		}
		m, err := unix.Mmap(d.fd, int64(uint32(b.M)), int(b.Length), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
		if err != nil {
			return fmt.Errorf("camera: %s: mmap: %w", d.path, err)
		}
		d.bufs = append(d.bufs, m)
		if err := ioctl(d.fd, vidiocQbuf, unsafe.Pointer(&b)); err != nil {
			return gone(fmt.Errorf("camera: %s: VIDIOC_QBUF: %w", d.path, err))
		}
	}
	typ := int32(bufTypeVideoCapture)
	if err := ioctl(d.fd, vidiocStreamon, unsafe.Pointer(&typ)); err != nil {
		return gone(fmt.Errorf("camera: %s: VIDIOC_STREAMON: %w", d.path, err))
	}
	d.on = true
	return nil
}

// Mode is what the camera agreed to.
func (d *Device) Mode() Mode { return d.mode }

// Info is what the camera said about itself.
func (d *Device) Info() Info { return d.info }

// FrameTimeout is how long Next waits for a frame before it gives up with
// ErrNoFrames.
const FrameTimeout = 2 * time.Second

// ErrNoFrames: the stream is on but no frame came.
var ErrNoFrames = errors.New("camera: no frames")

// Next waits for the next frame and copies it into buf (grown when too
// small), returning the frame over buf's memory.
func (d *Device) Next(ctx context.Context, buf []byte) (Frame, error) {
	deadline := time.Now().Add(FrameTimeout)
	for {
		if err := ctx.Err(); err != nil {
			return Frame{}, err
		}
		if time.Now().After(deadline) {
			return Frame{}, fmt.Errorf("%w within %v from %s", ErrNoFrames, FrameTimeout, d.path)
		}
		fds := []unix.PollFd{{Fd: int32(d.fd), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, 100)
		if err != nil && !errors.Is(err, unix.EINTR) {
			return Frame{}, gone(fmt.Errorf("camera: %s: poll: %w", d.path, err))
		}
		if n == 0 {
			continue
		}
		if fds[0].Revents&(unix.POLLERR|unix.POLLHUP|unix.POLLNVAL) != 0 && fds[0].Revents&unix.POLLIN == 0 {
			return Frame{}, fmt.Errorf("%w: %s: poll %#x", ErrGone, d.path, fds[0].Revents)
		}
		b := v4l2Buffer{Type: bufTypeVideoCapture, Memory: memoryMMAP}
		if err := ioctl(d.fd, vidiocDqbuf, unsafe.Pointer(&b)); err != nil {
			if errors.Is(err, unix.EAGAIN) {
				continue
			}
			return Frame{}, gone(fmt.Errorf("camera: %s: VIDIOC_DQBUF: %w", d.path, err))
		}
		if int(b.Index) >= len(d.bufs) {
			return Frame{}, fmt.Errorf("camera: %s: buffer %d of %d", d.path, b.Index, len(d.bufs))
		}
		src := d.bufs[b.Index]
		used := min(int(b.BytesUsed), len(src))
		ok := b.Flags&bufFlagError == 0 && used > 0
		if ok {
			buf = append(buf[:0], src[:used]...)
		}
		if err := ioctl(d.fd, vidiocQbuf, unsafe.Pointer(&b)); err != nil {
			return Frame{}, gone(fmt.Errorf("camera: %s: VIDIOC_QBUF: %w", d.path, err))
		}
		if !ok {
			continue // a frame the camera itself marked broken
		}
		d.seq++
		return Frame{Format: d.mode.Format, Width: d.mode.Width, Height: d.mode.Height, Data: buf, Seq: d.seq, Time: time.Now()}, nil
	}
}

// Close stops the stream, zeroes and unmaps the buffers (they held
// faces) and closes the device.
func (d *Device) Close() error {
	if d.fd < 0 {
		return nil
	}
	if d.on {
		typ := int32(bufTypeVideoCapture)
		_ = ioctl(d.fd, vidiocStreamoff, unsafe.Pointer(&typ))
		d.on = false
	}
	for _, m := range d.bufs {
		clear(m)
		_ = unix.Munmap(m)
	}
	d.bufs = nil
	err := unix.Close(d.fd)
	d.fd = -1
	if err != nil {
		return fmt.Errorf("camera: close %s: %w", d.path, err)
	}
	return nil
}

// String names the device.
func (d *Device) String() string { return "camera(" + d.path + ")" }

// The kernel's sizes, checked when the package compiles for any
// architecture (a mismatch does not compile): 64-bit words widen
// v4l2_buffer (timeval, the m union) and align v4l2_format's union.
const wide = unsafe.Sizeof(uintptr(0)) / 8 // 1 on 64-bit, 0 on 32-bit

var (
	_ [0]struct{} = [unsafe.Sizeof(v4l2Buffer{}) - (68 + 20*wide)]struct{}{}
	_ [0]struct{} = [unsafe.Sizeof(v4l2Format{}) - (204 + 4*wide)]struct{}{}
	_ [0]struct{} = [unsafe.Sizeof(v4l2Streamparm{}) - 204]struct{}{}
	_ [0]struct{} = [unsafe.Sizeof(v4l2Capability{}) - 104]struct{}{}
	_ [0]struct{} = [unsafe.Sizeof(v4l2Fmtdesc{}) - 64]struct{}{}
	_ [0]struct{} = [unsafe.Sizeof(v4l2Requestbuffers{}) - 20]struct{}{}
	_ [0]struct{} = [unsafe.Sizeof(v4l2Frmsizeenum{}) - 44]struct{}{}
)
