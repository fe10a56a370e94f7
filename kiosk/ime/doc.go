// Package ime is the kiosk's pinyin input method: the resident types
// pinyin letters on the on-screen keyboard and picks a character (or a
// common two-character word) from a ranked candidate list.
//
// The tables are generated (go generate) by internal/gen from the
// github.com/mozillazg/go-pinyin dictionary, reversed from character →
// readings to reading → characters, basic CJK block only. Characters are
// ranked by the smallest of: their place in a written-down common-character
// order (internal/gen/common.txt), four times their place among common
// surnames (surnames.txt) and four times their place by count in the
// embedded service catalog's text. A character's secondary readings rank
// below its main one. Words are a hand-written list of everyday words
// (internal/gen/words.txt) plus the catalog's two-character keywords.
//
// The package is pure: no I/O, no Ebitengine. An Engine is immutable and
// safe for concurrent use.
package ime
