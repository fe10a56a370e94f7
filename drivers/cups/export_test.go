package cups

// OnePage lets the external tests build PDFs the way TestPage does.
var OnePage = onePage
