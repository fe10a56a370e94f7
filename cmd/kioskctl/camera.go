package main

import (
	"context"
	"fmt"
	"io"

	"github.com/henan-county/kiosk/drivers/camera/cameradiag"
	"github.com/henan-county/kiosk/kiosk/admin"
)

// runDiagCamera is kioskctl diag camera: directly on the camera.
func runDiagCamera(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return cameradiag.Run(ctx, args, stdout, stderr)
}

// simCamera is kioskctl sim camera SCENE | scenes: what the simulated
// camera sees, through the admin API.
func (c *common) simCamera(ctx context.Context, pos []string) int {
	if len(pos) != 1 {
		return c.usageError("say a scene: kioskctl sim camera SCENE (kioskctl sim camera scenes lists them)")
	}
	var st admin.SimCameraState
	var err error
	if pos[0] == "scenes" {
		err = c.client().Do(ctx, "GET", "/v1/sim/camera", nil, nil, &st)
	} else {
		err = c.client().Do(ctx, "POST", "/v1/sim/camera", nil, admin.SimCameraRequest{Scene: pos[0]}, &st)
	}
	if err != nil {
		return c.fail(err)
	}
	switch {
	case c.json:
		printJSON(c.stdout, st)
	case pos[0] == "scenes":
		for _, s := range st.Scenes {
			mark := " "
			if s == st.Scene {
				mark = "*"
			}
			fmt.Fprintf(c.stdout, "%s %s\n", mark, s)
		}
	default:
		fmt.Fprintf(c.stdout, "camera sees: %s\n", st.Scene)
	}
	return exitOK
}
