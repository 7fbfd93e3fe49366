// The 1003 operator's form: the author's phone follows the caller's until typed over;
// Ctrl+Enter sends; after a refusal the first error gets the focus.
(function () {
  var form = document.getElementById("register-form");
  var caller = document.getElementById("id_caller_phone");
  var phone = document.getElementById("id_author_phone");
  var touched = phone.value !== "" && phone.value !== caller.value;
  phone.addEventListener("input", function () { touched = true; });
  caller.addEventListener("input", function () { if (!touched) { phone.value = caller.value; } });
  form.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); form.requestSubmit(); }
  });
  var target = document.querySelector('[aria-invalid="true"]') || document.getElementById("register-errors");
  if (target) {
    var box = target.closest("details");
    if (box) { box.open = true; }
    target.focus();
  }
})();
