package handwriting

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Point is one sample of a stroke, in the writing area's units: 0..size
// on both axes, y down.
type Point struct{ X, Y int }

// Stroke is the path of one pen-down to pen-up, in order.
type Stroke []Point

// Candidate is one recognised character and Zinnia's score for it
// (higher is better; scores are comparable within one answer only).
type Candidate struct {
	Text  string
	Score float64
}

// Limits of one request: more ink than this is not a character.
const (
	MaxStrokes      = 40
	MaxStrokePoints = 512
)

// ErrNoInk is returned for a request without a single point.
var ErrNoInk = errors.New("handwriting: no strokes to recognise")

// AppendCharacter appends the request line for one character to b: its
// id (letters and digits only, echoed in the answer's header), the
// writing area's side and the strokes, each point clamped into the area.
// Empty strokes are left out; strokes and points beyond MaxStrokes and
// MaxStrokePoints are dropped. The line ends in '\n'.
func AppendCharacter(b []byte, id string, size int, strokes []Stroke) ([]byte, error) {
	if id == "" || strings.IndexFunc(id, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}) >= 0 {
		return b, fmt.Errorf("handwriting: request id %q: letters and digits only", id)
	}
	if size <= 0 {
		return b, fmt.Errorf("handwriting: writing area side %d", size)
	}
	n := 0
	for _, s := range strokes {
		if len(s) > 0 {
			n++
		}
	}
	if n == 0 {
		return b, ErrNoInk
	}
	b = append(b, "(character (value "...)
	b = append(b, id...)
	b = append(b, ") (width "...)
	b = strconv.AppendInt(b, int64(size), 10)
	b = append(b, ") (height "...)
	b = strconv.AppendInt(b, int64(size), 10)
	b = append(b, ") (strokes"...)
	n = 0
	for _, s := range strokes {
		if len(s) == 0 {
			continue
		}
		if n == MaxStrokes {
			break
		}
		n++
		b = append(b, " ("...)
		for i, p := range s {
			if i == MaxStrokePoints {
				break
			}
			b = append(b, '(')
			b = strconv.AppendInt(b, int64(min(max(p.X, 0), size)), 10)
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(min(max(p.Y, 0), size)), 10)
			b = append(b, ')')
		}
		b = append(b, ')')
	}
	return append(b, "))\n"...), nil
}

const answerPrefix = "Answer: "

// ParseAnswer reads an answer's header line ("Answer: k7") and returns
// the request id it echoes.
func ParseAnswer(line string) (id string, ok bool) {
	id, ok = strings.CutPrefix(strings.TrimRight(line, "\r\n"), answerPrefix)
	return id, ok
}

// ParseCandidate reads one line of an answer: a character (one or more
// runes, never blank), a space and a score.
func ParseCandidate(line string) (Candidate, error) {
	line = strings.TrimRight(line, "\r\n")
	i := strings.LastIndexByte(line, ' ')
	if i <= 0 {
		return Candidate{}, fmt.Errorf("handwriting: answer line %q: want \"character score\"", line)
	}
	text, num := line[:i], line[i+1:]
	if !utf8.ValidString(text) || strings.TrimSpace(text) != text || strings.ContainsFunc(text, unicode.IsControl) ||
		strings.HasPrefix(line, answerPrefix) {
		return Candidate{}, fmt.Errorf("handwriting: answer line %q: bad character", line)
	}
	score, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return Candidate{}, fmt.Errorf("handwriting: answer line %q: score: %w", line, err)
	}
	if math.IsNaN(score) || math.IsInf(score, 0) {
		return Candidate{}, fmt.Errorf("handwriting: answer line %q: score is not a number", line)
	}
	return Candidate{Text: text, Score: score}, nil
}

// String is the candidate as an answer line says it (without the '\n').
func (c Candidate) String() string {
	return c.Text + " " + strconv.FormatFloat(c.Score, 'g', -1, 64)
}
