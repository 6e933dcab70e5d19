/* Every page: behaviour that used to sit in inline handlers, which the Content Security
   Policy (no inline scripts) forbids. A select marked data-submit-on-change sends its
   form when chosen (the language menu); without JavaScript its form's button does. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("select[data-submit-on-change]") && field.form) {
      field.form.submit();
    }
  });
})();
