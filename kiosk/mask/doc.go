// Package mask holds the kiosk's one set of rules for hiding personal data:
// identity-document numbers, names, addresses and phone numbers. Residents
// put their identity card on the reader and type phone numbers and
// addresses into forms; none of that may reach a log line, a metric, a
// receipt kept for reprints, the technician's screen or a crash report in
// full. Everything that leaves a resident's session goes through here, so
// a rule is changed once and every place follows.
//
// There are two kinds of function.
//
// Field functions mask one value whose kind the caller knows from its
// context (a card field, a form field of type phone, a receipt line with
// mask "id"): [ID], [Name], [Address], [Phone], and [Value] for a personal
// value of unknown kind. They keep enough for the resident to recognise
// their own data on a receipt (410122********1234, 王**, 138****5678,
// 河南省郑州市********) and hide the rest. Their outputs are what residents
// see on receipts and confirmation screens: changing them changes printed
// receipts and golden files.
//
// [NameOnScreen] is the one rule for the resident's own screens only: a
// name with its first and last characters (王*兰), so a resident can tell
// it is her card. Nothing printed, logged or kept uses it.
//
// Text functions scan free text for anything shaped like a personal number
// and mask it where it stands: [Text] for logs, events, error messages and
// the technician's screen (the last line of defence when a caller forgot to
// mask first), and [ResultText] for a backend's answer kept for reprints,
// which a resident reads again and which must keep the departments'
// landline numbers and long document numbers readable. Text functions are
// never used on what the kiosk itself shows to residents: the hotline on
// the screens is not personal and must stay visible.
//
// Free text is scanned for
//
//   - mainland resident ID numbers, 18 characters (the last may be X) and
//     the old 15-digit form; the 2023 foreign permanent-resident ID (18
//     characters starting with 9) and the Hong Kong, Macau and Taiwan
//     residence permits (18 characters starting with 810000, 820000 and
//     830000) have the same layout and are caught by the same rule;
//   - the old foreign permanent-resident ID: three capital letters (the
//     nationality) and twelve digits, USA330000000001;
//   - the Mainland travel permit for Hong Kong and Macau residents: H or M
//     and 8 or 10 digits, not preceded by another letter (so ZM20261126…
//     tracking numbers stay readable);
//   - the Mainland travel permit for Taiwan residents, 8 or 10 digits, only
//     right after 台胞证 or 通行证 (号码) — elsewhere an 8-digit number is a
//     date or an amount;
//   - mainland mobile numbers, 1[3-9] and nine more digits, also written
//     +86…, 86… or 138-1234-5678;
//   - in [Text] only: landline numbers with an area code and a hyphen
//     (0371-****5678), and any other run of 15 or more digits (bank card
//     numbers, and any ID number run together with other digits).
//
// Numbers are found by their runs of ASCII digits, not by \b: a digit run
// ends at any non-digit, so an ID number next to Chinese text
// (身份证410122195603151231号), letters or an underscore is still found.
//
// Every function is idempotent: masking masked output changes nothing, so
// a value masked by its producer and again by a later line of defence
// looks the same.
package mask
