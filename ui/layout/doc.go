// Package layout turns a session.View into the widgets of one screen:
// rectangles with text, roles for colour, and the session event a tap on
// each one sends. It also holds the theme (normal and elder mode), the
// contrast rule every text and background pair must pass, and line
// wrapping for Chinese and Latin text.
//
// Nothing here imports Ebitengine: layouts, hit tests, wrapping and
// contrast are tested without a display. Text is measured through the
// Measurer interface, which the ui package backs with real font faces.
package layout
