/* SOP pages: a flow diagram wider than its box scrolls sideways. Say so, shade the edge
   that hides more of the diagram, and offer to fit it to the width. Without this script
   the diagram still scrolls; the hint and the button stay hidden. No build step. */
(function () {
  "use strict";

  function update(figure) {
    var scroller = figure.querySelector(".flow-scroll");
    var hidden = scroller.scrollWidth - scroller.clientWidth;
    var scrollable = hidden > 1;
    figure.classList.toggle("is-scrollable", scrollable);
    figure.classList.toggle("more-left", scrollable && scroller.scrollLeft > 1);
    figure.classList.toggle("more-right", scrollable && scroller.scrollLeft < hidden - 1);
    figure.querySelector(".flow-hint").hidden = !scrollable;
    // A fitted diagram no longer scrolls, but keeps its button to undo the fit.
    figure.querySelector(".flow-tools").hidden = !scrollable && !figure.classList.contains("is-fitted");
  }

  function setUp(figure) {
    var scroller = figure.querySelector(".flow-scroll");
    var button = figure.querySelector(".flow-fit");
    button.addEventListener("click", function () {
      var fitted = figure.classList.toggle("is-fitted");
      button.setAttribute("aria-pressed", fitted ? "true" : "false");
      update(figure);
    });
    scroller.addEventListener("scroll", function () { update(figure); }, { passive: true });
    update(figure);
  }

  var figures = document.querySelectorAll(".flow-figure");
  figures.forEach(setUp);
  window.addEventListener("resize", function () { figures.forEach(update); });
})();
