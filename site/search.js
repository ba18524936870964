// Starts Pagefind's search UI on the search page (only built with pages.search: true).
window.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("search");
  if (!box || typeof PagefindUI === "undefined") return;
  new PagefindUI({ element: "#search", bundlePath: box.getAttribute("data-bundle"), showSubResults: true, showImages: false });
  // The UI's field has only a title; give it an accessible name of its own.
  var input = box.querySelector("input");
  if (input) input.setAttribute("aria-label", "Search articles");
});
