package admin

import (
	"net/http"
)

// SimCamera is the simulated camera, when the simulator has one: a Sim
// that implements it answers POST and GET /v1/sim/camera.
type SimCamera interface {
	// SetCameraScene switches what the simulated camera sees; an unknown
	// scene is ErrNotFound (wrapped).
	SetCameraScene(scene string) error
	// CameraScene is the scene shown now and every scene there is.
	CameraScene() SimCameraState
}

// SimCameraRequest is POST /v1/sim/camera.
type SimCameraRequest struct {
	Scene string `json:"scene"`
}

// SimCameraState is GET /v1/sim/camera (and POST's answer).
type SimCameraState struct {
	Scene  string   `json:"scene"`
	Scenes []string `json:"scenes"`
}

func (s *Server) cameraRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /v1/sim/camera", simPart(s, "camera", func(w http.ResponseWriter, r *http.Request, c SimCamera) {
		writeJSON(w, http.StatusOK, c.CameraScene())
	}))
	m.HandleFunc("POST /v1/sim/camera", simPart(s, "camera", func(w http.ResponseWriter, r *http.Request, c SimCamera) {
		var req SimCameraRequest
		if !readJSON(w, r, &req, false) {
			return
		}
		if err := c.SetCameraScene(req.Scene); err != nil {
			s.reply(w, nil, err)
			return
		}
		writeJSON(w, http.StatusOK, c.CameraScene())
	}))
}
