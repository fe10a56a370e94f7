// Package camera drives the kiosk's UVC camera for face verification,
// through Linux V4L2 with golang.org/x/sys/unix ioctls (no cgo, no
// library state): Query lists what a device offers, Open negotiates MJPEG
// (else YUYV) at the configured size and rate and streams from
// memory-mapped buffers, Device.Next copies each frame out.
//
// Camera owns the device for the daemon: Run reports into the kiosk's
// device model (name and kind "camera") and, while nobody needs pictures,
// only checks now and then that the camera is there; between Start and
// Stop it streams, keeping the latest frame for a preview (Latest) and
// handing copies of the next ones to Capture. A camera unplugged
// mid-stream is reported offline and opened again when it is back.
//
// Frames are a resident's face: they live only in memory, are never
// logged, and are wiped (Frame.Wipe, Frames.Wipe) when the step that
// needed them ends; Stop wipes the stream's own frame and Device.Close
// zeroes the kernel buffers before unmapping them.
//
// Decoding: DecodeMJPEG (image/jpeg, with the standard Huffman tables put
// in for cameras that leave them out) and YUYVToRGBA (BT.601, limited
// range), both fuzzed and benchmarked at 640×480.
//
// camerasim is the simulated camera; cameradiag is `kioskctl diag
// camera`. What could not be tested without a camera is in
// docs/camera.md.
package camera
