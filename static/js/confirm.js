/* Ask before an action that ends something (a withdrawal, a decline): a dialog on this page
   instead of the confirmation page the server shows without JavaScript. A form, or the button
   that submits it, names its question in data-confirm; once confirmed, the form is sent with
   confirmed=yes, which the server takes as the answer. */
(function () {
  "use strict";
  if (!window.HTMLDialogElement) {
    return; // the server's confirmation page asks instead
  }
  var dialog = document.createElement("dialog");
  dialog.className = "confirm-dialog";
  dialog.innerHTML =
    '<form method="dialog"><p class="confirm-question"></p><div class="actions">' +
    '<button type="submit" value="yes" class="danger"></button>' +
    '<button type="submit" value="no" class="secondary"></button></div></form>';
  document.body.appendChild(dialog);
  var question = dialog.querySelector(".confirm-question");
  var yes = dialog.querySelector("button[value=yes]");
  var no = dialog.querySelector("button[value=no]");
  no.textContent = i18n.text("cancel");

  function confirmedInput(form) {
    return form.querySelector("input[name=confirmed]");
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter || null;
    var text = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
    if (!text || confirmedInput(form)) {
      return;
    }
    event.preventDefault();
    question.textContent = text;
    yes.textContent = (submitter && submitter.textContent.trim()) || i18n.text("confirm");
    dialog.returnValue = "";
    dialog.showModal();
    dialog.addEventListener(
      "close",
      function () {
        if (dialog.returnValue !== "yes") {
          return;
        }
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = "confirmed";
        input.value = "yes";
        form.appendChild(input);
        if (submitter && form.requestSubmit) {
          form.requestSubmit(submitter);
        } else {
          form.submit();
        }
      },
      { once: true }
    );
  });
})();
