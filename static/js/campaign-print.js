// The campaign page's "Imprimer" button: the browser's print, laid out by campaign.css's print rules
// (A4 landscape). A module of its own: the page's CSP allows no inline script.
document.getElementById("cmp-print")?.addEventListener("click", () => window.print());
