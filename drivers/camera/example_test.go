package camera_test

import (
	"context"
	"fmt"
	"time"

	"github.com/henan-county/kiosk/drivers/camera"
	"github.com/henan-county/kiosk/drivers/camera/camerasim"
)

// A face step: stream, take three frames a little apart, hand them on,
// wipe them and stop. On a kiosk Opts.Path names the V4L2 device instead
// of the simulator's opener.
func Example() {
	sim, _ := camerasim.New(&camerasim.Opts{Scene: "blink"})
	cam, _ := camera.New(&camera.Opts{Open: sim.Open, Probe: sim.Probe, Want: camera.Mode{Width: 640, Height: 480, FPS: 15}})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- cam.Run(ctx) }()
	defer func() { cancel(); <-done }()

	cam.Start()
	frames, err := cam.Capture(ctx, 3, 150*time.Millisecond)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(frames), frames[0].Format, frames[0].Width, frames[0].Height)
	frames.Wipe() // once the backend has them
	_ = cam.Stop(ctx)
	// Output: 3 MJPG 640 480
}
