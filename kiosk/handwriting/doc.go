// Package handwriting recognises one handwritten Chinese character from
// its strokes, offline, for the writing pad of free-text form fields.
//
// It drives Zinnia (https://taku910.github.io/zinnia/, an SVM-based online
// handwriting recogniser by Taku Kudo) with the Tegaki project's
// Simplified Chinese model, both from Debian 12: zinnia-utils (the
// zinnia command, with libzinnia0) and tegaki-zinnia-simplified-chinese
// (/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model, 26 MB,
// memory-mapped). The command runs as one long-lived child process: each
// request is one line on its standard input,
//
//	(character (value k7) (width 1000) (height 1000) (strokes ((x y) (x y) …) …))
//
// and each answer is a header line "Answer: k7" followed by exactly the
// configured number of "字 score" lines, best first (codec.go builds and
// parses them). The core stays free of cgo; a recogniser that is not
// installed is reported by New as ErrNotInstalled, and the kiosk then
// simply offers no writing pad.
//
// The command exits on a line it cannot parse and the protocol has no
// end-of-answer mark, so a Recognizer writes only lines it built itself,
// reads exactly the lines it expects, and kills and restarts the process
// after any error or a cancelled request: the next request starts from a
// clean state.
package handwriting
