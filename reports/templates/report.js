// report.html's only script, inlined by reports/html.py (its hash goes into the CSP).
// It sorts and filters the page table and opens every section for printing. It reads the page
// as text (textContent, data-* attributes) and never writes HTML, so a crawled title cannot
// become markup here. Without JavaScript the table is simply shown in full, unsorted.
(function () {
  "use strict";

  var table = document.getElementById("pages-table");
  if (table && table.tBodies.length) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var search = document.getElementById("pages-search");
    var show = document.getElementById("pages-show");
    var count = document.getElementById("pages-count");
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    rows.forEach(function (row, index) { row.dataset.index = String(index); });

    var filter = function () {
      var query = search.value.trim().toLowerCase();
      var wanted = show.value;
      var shown = 0;
      rows.forEach(function (row) {
        var worst = row.dataset.worst;
        var bySeverity = wanted === "all" ||
          (wanted === "error" && worst === "error") ||
          (wanted === "warning" && (worst === "error" || worst === "warning")) ||
          (wanted === "none" && (worst === "none" || worst === "notice"));
        var byText = !query || row.textContent.toLowerCase().indexOf(query) !== -1;
        row.hidden = !(bySeverity && byText);
        if (!row.hidden) { shown += 1; }
      });
      count.textContent = "Showing " + shown + " of " + rows.length;
    };

    var key = function (row, column, numeric) {
      var cell = row.cells[column];
      var value = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
      return numeric ? parseFloat(value) || 0 : value.trim().toLowerCase();
    };

    headers.forEach(function (th, column) {
      var numeric = th.dataset.type === "number";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        // Numbers start with the largest (most problems, most words); text from A.
        var first = numeric ? "descending" : "ascending";
        var current = th.getAttribute("aria-sort");
        var direction = current === first ? (first === "ascending" ? "descending" : "ascending") : first;
        headers.forEach(function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", direction);
        var sign = direction === "ascending" ? 1 : -1;
        rows.sort(function (a, b) {
          var x = key(a, column, numeric);
          var y = key(b, column, numeric);
          if (x < y) { return -sign; }
          if (x > y) { return sign; }
          return Number(a.dataset.index) - Number(b.dataset.index);
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });

    search.addEventListener("input", filter);
    show.addEventListener("change", filter);
    document.getElementById("pages-tools").hidden = false;
    filter();
  }

  // A closed <details> would print as its summary only: open them all while printing.
  var reopened = [];
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details:not([open])"), function (d) {
      d.open = true;
      reopened.push(d);
    });
  });
  window.addEventListener("afterprint", function () {
    reopened.forEach(function (d) { d.open = false; });
    reopened = [];
  });
}());
