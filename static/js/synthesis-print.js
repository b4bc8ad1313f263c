// The synthesis page's "Imprimer" button: the browser's print, laid out by the print stylesheet
// (A4 landscape). A module of its own: the page's CSP allows no inline script.
document.getElementById("syn-print")?.addEventListener("click", () => window.print());
