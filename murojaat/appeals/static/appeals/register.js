// After a refused registration, take keyboard and screen-reader focus to the first error.
(function () {
  var target = document.querySelector('[aria-invalid="true"]') || document.getElementById("register-errors");
  if (target) { target.focus(); }
})();
