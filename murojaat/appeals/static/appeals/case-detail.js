// After a refused action, take keyboard and screen-reader focus to the first error.
(function () {
  var target = document.querySelector('[aria-invalid="true"], .case-action .alert-danger');
  if (target) { target.scrollIntoView({block: "center"}); target.focus(); }
})();
