// Vigie review app: a little progressive enhancement, no inline script (strict CSP).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const select of document.querySelectorAll("select.autosubmit")) {
    select.addEventListener("change", () => select.form.submit());
  }
  for (const button of document.querySelectorAll(".nojs")) {
    button.hidden = true;
  }
});
