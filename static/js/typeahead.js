// Type-ahead for choices among many rows (units of the country, subdivisions of a country): core.widgets.TypeaheadSelect
// writes a select that holds only the chosen row when the list is long (data-typeahead-mode="search"); this script
// puts a search box in its place that asks core:options (JSON, only the rows the person may choose) as the person
// types, and writes the row chosen into the select, which the form posts. A short list stays a plain select. A list
// that another field narrows (a country's subdivisions) is asked again when that field changes: a plain select if
// short, a search box if long. Kept out of the templates: the Content Security Policy forbids inline scripts.
(function () {
  "use strict";

  const DELAY = 250; // milliseconds after the last key before asking
  const SHOWN = 20; // rows shown under the box

  function dependency(box) {
    const name = box.dataset.typeaheadDepends;
    const form = box.closest("form");
    return name && form ? form.elements.namedItem(name) : null;
  }

  function ask(box, query, limit) {
    const url = new URL(box.dataset.typeaheadUrl, window.location.origin);
    url.searchParams.set("q", query);
    url.searchParams.set("limit", String(limit));
    const other = dependency(box);
    if (other && other.value) { url.searchParams.set(box.dataset.typeaheadParam, other.value); }
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then((response) => {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    });
  }

  function emptyOption(select) {
    return Array.from(select.options).find((option) => option.value === "") || null;
  }

  // The select keeps its empty choice and the chosen row only: the page never carries the whole list.
  function choose(select, value, label) {
    const empty = emptyOption(select);
    select.replaceChildren();
    if (empty) { select.appendChild(empty); }
    if (value) {
      select.appendChild(new Option(label, value, true, true));
    } else if (empty) {
      empty.selected = true;
    }
    select.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function chosenLabel(select) {
    const option = select.selectedOptions[0];
    return option && option.value ? option.text : "";
  }

  function enhance(box) {
    if (box.typeahead) { return box.typeahead; }
    const select = box.querySelector("select");
    const id = select.id;
    const input = document.createElement("input");
    input.type = "text";
    input.className = "form-control";
    input.autocomplete = "off";
    input.placeholder = box.dataset.typeaheadPlaceholder || "";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    ["aria-describedby", "aria-invalid"].forEach((name) => {
      if (select.hasAttribute(name)) { input.setAttribute(name, select.getAttribute(name)); }
    });
    // The field's label, and the links of the error summary, point at the select's id: the box takes it.
    input.id = id;
    select.id = id + "-select";
    if (!document.querySelector('label[for="' + CSS.escape(id) + '"]')) {
      input.setAttribute("aria-label", box.dataset.typeaheadLabel || "");
    }
    const menu = document.createElement("div");
    menu.className = "typeahead-menu position-absolute start-0 z-3 bg-body border rounded shadow-sm";
    menu.hidden = true;
    // At least the box's width, and wide enough for a unit's name in a narrow column of a table.
    menu.style.minWidth = "max(100%, 22rem)";
    menu.style.maxHeight = "18rem";
    menu.style.overflowY = "auto";
    const list = document.createElement("ul");
    list.id = id + "-options";
    list.className = "list-group list-group-flush mb-0";
    list.setAttribute("role", "listbox");
    const status = document.createElement("div");
    status.className = "small text-secondary px-2 py-1";
    status.setAttribute("role", "status");
    menu.append(list, status);
    input.setAttribute("aria-controls", list.id);
    box.classList.add("position-relative");
    select.classList.add("d-none");
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    box.insertBefore(input, select);
    box.appendChild(menu);
    input.value = chosenLabel(select);

    let rows = [];
    let active = -1;
    let timer = null;
    let asked = 0;
    let stale = false; // the rows shown answer letters typed before the last ones

    function close() {
      menu.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      const items = list.querySelectorAll("[role=option]");
      items.forEach((item, position) => {
        item.classList.toggle("active", position === index);
        item.setAttribute("aria-selected", position === index ? "true" : "false");
      });
      active = index;
      if (index >= 0 && items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function pick(index) {
      const row = rows[index];
      if (!row) { return; }
      choose(select, row.value, row.label);
      input.value = row.label;
      close();
    }

    function show(answer) {
      stale = false;
      rows = answer.results;
      list.replaceChildren();
      rows.forEach((row, index) => {
        const item = document.createElement("li");
        item.id = list.id + "-" + index;
        item.className = "list-group-item list-group-item-action py-1";
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = row.label;
        if (row.hint) {
          const hint = document.createElement("small");
          hint.className = "d-block small opacity-75";
          hint.textContent = row.hint;
          item.appendChild(hint);
        }
        // Chosen on mousedown, before the box loses the focus and closes the list.
        item.addEventListener("mousedown", (event) => { event.preventDefault(); pick(index); });
        list.appendChild(item);
      });
      status.textContent = !rows.length ? box.dataset.typeaheadNone : answer.more ? box.dataset.typeaheadMore : "";
      status.hidden = !status.textContent;
      menu.hidden = false;
      input.setAttribute("aria-expanded", "true");
      highlight(rows.length ? 0 : -1);
    }

    function search() {
      const number = ++asked;
      ask(box, input.value.trim(), SHOWN)
        .then((answer) => { if (number === asked && document.activeElement === input) { show(answer); } })
        .catch(() => {
          if (number !== asked) { return; }
          show({ results: [], more: false });
          status.textContent = box.dataset.typeaheadFailed;
        });
    }

    input.addEventListener("input", () => {
      stale = true;
      window.clearTimeout(timer);
      timer = window.setTimeout(search, DELAY);
    });
    input.addEventListener("focus", () => { if (!input.value) { search(); } });
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (menu.hidden) { search(); return; }
        const step = event.key === "ArrowDown" ? 1 : -1;
        highlight(Math.min(Math.max(active + step, 0), rows.length - 1));
      } else if (event.key === "Enter" && !menu.hidden) {
        event.preventDefault(); // choosing a row does not post the form
        if (!stale) { pick(active); } // never a row found for letters since changed
      } else if (event.key === "Escape" && !menu.hidden) {
        event.preventDefault();
        input.value = chosenLabel(select);
        close();
      }
    });
    input.addEventListener("blur", () => {
      window.clearTimeout(timer);
      asked += 1; // an answer arriving later is not shown
      // An emptied box clears the choice; text that chose nothing gives way to the row still chosen.
      if (!input.value.trim() && select.value) { choose(select, "", ""); }
      input.value = chosenLabel(select);
      close();
    });

    box.typeahead = {
      remove() {
        input.remove();
        menu.remove();
        select.id = id;
        select.classList.remove("d-none");
        select.removeAttribute("aria-hidden");
        select.removeAttribute("tabindex");
        box.typeahead = null;
      },
      clear() { input.value = ""; },
    };
    return box.typeahead;
  }

  // The field this one depends on changed (another country): the choice is cleared and the rows asked again; a short
  // list becomes a plain select with every row, a long one a search box.
  function follow(box) {
    const select = box.querySelector("select");
    const limit = Number(box.dataset.typeaheadLimit) || 50;
    ask(box, "", limit + 1)
      .then((answer) => {
        const empty = emptyOption(select);
        if (answer.results.length <= limit) {
          if (box.typeahead) { box.typeahead.remove(); }
          select.replaceChildren();
          if (empty) { select.appendChild(empty); }
          answer.results.forEach((row) => select.appendChild(new Option(row.label, row.value)));
          if (empty) { empty.selected = true; }
          box.dataset.typeaheadMode = "list";
        } else {
          choose(select, "", "");
          enhance(box).clear();
          box.dataset.typeaheadMode = "search";
        }
      })
      .catch(() => { choose(select, "", ""); });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll(".typeahead").forEach((box) => {
      if (box.dataset.typeaheadMode === "search") { enhance(box); }
      const other = dependency(box);
      if (other) { other.addEventListener("change", () => follow(box)); }
    });
  });
})();
