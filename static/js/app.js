// Small behaviours kept out of the templates: the Content Security Policy forbids inline scripts.
document.addEventListener("DOMContentLoaded", () => {
  // A print button prints the page as shown (its print styles leave out the menus and the forms).
  document.querySelectorAll(".js-print").forEach((button) => button.addEventListener("click", () => window.print()));
  document.querySelectorAll(".js-autosubmit").forEach((element) => {
    element.addEventListener("change", () => element.form.submit());
  });
  document.querySelectorAll(".js-select-all").forEach((box) => {
    box.addEventListener("change", () => {
      document.querySelectorAll('input[name="pk"]').forEach((item) => { item.checked = box.checked; });
    });
  });
  // A form shown again with errors: its summary is read first (focused), and each line moves to its field. A step
  // of a procedure (core.views.RecordVerbView) returns to the record's page with its refusals as the first alerts:
  // the first of them is focused the same way.
  const summary = document.querySelector(".js-error-summary") || document.querySelector("main > .alert-danger[role=alert]");
  if (summary) {
    if (!summary.hasAttribute("tabindex")) { summary.tabIndex = -1; }
    summary.focus();
    summary.querySelectorAll("a[href^='#']").forEach((link) => {
      link.addEventListener("click", (event) => {
        const field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
        if (!field) { return; }
        event.preventDefault();
        // The field's label (or its column's header) is brought into view with it, above the field.
        const label = document.querySelector('label[for="' + CSS.escape(field.id) + '"]');
        (label || field).scrollIntoView({ block: "center" });
        field.focus({ preventScroll: true });
      });
    });
  }
  // Child rows (a delegation's members): one more empty row each click, numbered as Django's formset reads it.
  document.querySelectorAll(".js-add-row").forEach((button) => {
    button.addEventListener("click", () => {
      const prefix = button.dataset.prefix;
      const total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
      const template = document.getElementById("empty-" + prefix);
      const body = document.querySelector("#inline-" + prefix + " tbody");
      if (!total || !template || !body) { return; }
      const index = parseInt(total.value, 10);
      const row = template.content.firstElementChild.outerHTML.replace(/__prefix__/g, String(index));
      body.insertAdjacentHTML("beforeend", row);
      total.value = String(index + 1);
      const first = body.lastElementChild.querySelector("input:not([type=hidden]), select, textarea");
      if (first) { first.focus(); }
    });
  });
  // A period's box gives the example of the regime chosen beside it (2017 for a yearly regime, 2017-H1 for a
  // half-yearly one): the regime's select names the box's examples by its values.
  document.querySelectorAll(".js-period-example").forEach((input) => {
    const select = document.getElementById(input.dataset.regime);
    const examples = JSON.parse(input.dataset.examples || "{}");
    if (!select) { return; }
    const follow = () => { if (examples[select.value]) { input.placeholder = examples[select.value]; } };
    follow();
    select.addEventListener("change", follow);
  });
  document.querySelectorAll("[data-confirm]").forEach((element) => {
    element.addEventListener("click", (event) => {
      if (!window.confirm(element.dataset.confirm)) { event.preventDefault(); }
    });
  });
});
