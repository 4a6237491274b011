/* A "Print" button (data-print) opens the browser's print dialog; without JavaScript the
   button stays hidden and the browser's own menu prints the page. */
"use strict";
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
});
