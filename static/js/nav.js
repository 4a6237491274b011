// Fold the main menu behind a button on narrow screens.
(function () {
  var button = document.querySelector(".nav-button");
  var nav = document.getElementById("main-nav");
  if (!button || !nav) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = nav.classList.toggle("open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();
