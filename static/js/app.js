// Small behaviours kept out of the templates: the Content Security Policy forbids inline scripts.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".js-autosubmit").forEach((element) => {
    element.addEventListener("change", () => element.form.submit());
  });
  document.querySelectorAll(".js-select-all").forEach((box) => {
    box.addEventListener("change", () => {
      document.querySelectorAll('input[name="pk"]').forEach((item) => { item.checked = box.checked; });
    });
  });
  document.querySelectorAll("[data-confirm]").forEach((element) => {
    element.addEventListener("click", (event) => {
      if (!window.confirm(element.dataset.confirm)) { event.preventDefault(); }
    });
  });
});
