package main

import (
	"bytes"
	"os"
	"testing"
)

// The checked-in default.json is what the tables generate: run
// `go generate ./kiosk/catalog` after changing them.
func TestDefaultJSONUpToDate(t *testing.T) {
	c, err := build()
	if err != nil {
		t.Fatal(err)
	}
	got, err := encode(c)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../../default.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Fatal("kiosk/catalog/default.json is stale: run go generate ./kiosk/catalog")
	}
}
