package cups

import (
	"errors"
	"testing"
)

func TestJobErr(t *testing.T) {
	for _, tc := range []struct {
		name string
		job  JobState
		want error
	}{
		{"still printing", JobState{State: JobProcessing, Reasons: []string{"media-jam"}}, nil},
		{"pending", JobState{State: JobPending}, nil},
		{"clean", JobState{State: JobCompleted, Reasons: []string{"job-completed-successfully"}}, nil},
		{"completed at a jam", JobState{State: JobCompleted, Reasons: []string{"processing-to-stop-point", "media-jam"}}, ErrMediaJam},
		{"aborted, no paper", JobState{State: JobAborted, Reasons: []string{"media-empty"}}, ErrMediaEmpty},
		{"canceled at the printer", JobState{State: JobCanceled, Reasons: []string{"job-canceled-at-device"}}, ErrJobFailed},
		{"aborted by the system", JobState{State: JobAborted}, ErrJobFailed},
		{"completed, door open", JobState{State: JobCompleted, Reasons: []string{"door-open"}}, ErrDoorOpen},
		{"completed, toner low", JobState{State: JobCompleted, Reasons: []string{"toner-low"}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.job.Err(); !errors.Is(got, tc.want) || (got == nil) != (tc.want == nil) {
				t.Errorf("Err() = %v, want %v", got, tc.want)
			}
		})
	}
}
