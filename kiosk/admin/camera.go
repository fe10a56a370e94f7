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
	withCamera := func(h func(http.ResponseWriter, *http.Request, SimCamera)) http.HandlerFunc {
		return s.sim(func(w http.ResponseWriter, r *http.Request, sim Sim) {
			c, ok := sim.(SimCamera)
			if !ok {
				writeProblem(w, http.StatusConflict, "no simulated camera", "this simulator has no camera")
				return
			}
			h(w, r, c)
		})
	}
	m.HandleFunc("GET /v1/sim/camera", withCamera(func(w http.ResponseWriter, r *http.Request, c SimCamera) {
		writeJSON(w, http.StatusOK, c.CameraScene())
	}))
	m.HandleFunc("POST /v1/sim/camera", withCamera(func(w http.ResponseWriter, r *http.Request, c SimCamera) {
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
