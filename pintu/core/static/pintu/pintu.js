/* Every page: behaviour that used to sit in inline handlers, which the Content Security
   Policy (no inline scripts) forbids. A select marked data-submit-on-change sends its
   form when chosen (the language menu); without JavaScript its form's button does. A
   button marked data-print prints the page (the content timeline). */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("select[data-submit-on-change]") && field.form) {
      field.form.submit();
    }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-print]");
    if (button) {
      window.print();
    }
  });
})();
