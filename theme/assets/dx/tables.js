/* Comparison tables: sort by any column, filter by municipality type and
 * population band, save what is shown as CSV. The table is complete and
 * readable without script; this only adds to it. A plain script (no modules,
 * no fetch) so that it also works in the offline copy opened from disk.
 *
 * Sort keys come from data-sort attributes written by the generator (numbers,
 * ISO dates), never from the formatted text ("1,200,000円", "2023年12月1日"). */
(function () {
  "use strict";
  var collator = new Intl.Collator("ja", { numeric: true });
  var EMPTY = "—";

  function text(cell) {
    return cell.textContent.replace(/\s+/g, " ").trim();
  }

  function sortKey(cell, type) {
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : text(cell);
    if (raw === "" || raw === EMPTY) { return null; }   // unknown values go last either way
    if (type === "number") {
      var n = Number(raw);
      return isNaN(n) ? null : n;
    }
    return raw;
  }

  function compare(a, b, type) {
    if (type === "number") { return a - b; }
    if (type === "date") { return a < b ? -1 : a > b ? 1 : 0; }   // ISO dates sort as text
    return collator.compare(a, b);
  }

  // A formula-looking cell gets a leading ' so that a spreadsheet shows it as
  // text (the same rule as the site's cases.csv).
  function csvField(value) {
    if (/^[=+\-@\uFF1D\uFF0B\uFF0D\uFF20\t\r]/.test(value)) { value = "'" + value; }
    return "\"" + value.replace(/"/g, "\"\"") + "\"";
  }

  function enhance(table) {
    var tbody = table.tBodies[0];
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var rows = Array.prototype.slice.call(tbody.rows);
    var status = null;
    var tools = document.querySelector('.dx-table-tools[data-table="' + table.id + '"]');
    rows.forEach(function (row, i) { row.setAttribute("data-order", String(i)); });

    function announce(message) {
      if (status) { status.textContent = message; }
    }

    function label(th) {
      return text(th);
    }

    function visibleRows() {
      return Array.prototype.filter.call(tbody.rows, function (row) { return !row.hidden; });
    }

    function sortBy(index, direction) {
      var type = headers[index].getAttribute("data-sort-type") || "text";
      var keyed = Array.prototype.map.call(tbody.rows, function (row) {
        return { row: row, key: sortKey(row.cells[index], type), order: Number(row.getAttribute("data-order")) };
      });
      keyed.sort(function (a, b) {
        if (a.key === null || b.key === null) {
          if (a.key === b.key) { return a.order - b.order; }
          return a.key === null ? 1 : -1;
        }
        var c = compare(a.key, b.key, type);
        if (direction === "descending") { c = -c; }
        return c || a.order - b.order;
      });
      keyed.forEach(function (k) { tbody.appendChild(k.row); });
      headers.forEach(function (th, i) {
        if (i === index) { th.setAttribute("aria-sort", direction); } else { th.removeAttribute("aria-sort"); }
      });
      announce("「" + label(headers[index]) + "」の" + (direction === "ascending" ? "昇順" : "降順") + "に並べ替えました。");
    }

    headers.forEach(function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "dx-sort";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () {
        var current = th.getAttribute("aria-sort");
        sortBy(index, current === "ascending" ? "descending" : "ascending");
      });
    });

    if (!tools) { return; }
    status = tools.querySelector(".dx-table-status");
    var selects = Array.prototype.slice.call(tools.querySelectorAll("select[data-filter]"));

    function applyFilters() {
      var shown = 0;
      rows.forEach(function (row) {
        var keep = selects.every(function (select) {
          return select.value === "" || row.getAttribute("data-" + select.getAttribute("data-filter")) === select.value;
        });
        row.hidden = !keep;
        if (keep) { shown += 1; }
      });
      announce(shown === rows.length ? "全 " + rows.length + " 件を表示しています。"
        : shown === 0 ? "条件に合う事例はありません（全 " + rows.length + " 件）。"
        : "全 " + rows.length + " 件のうち " + shown + " 件を表示しています。");
    }
    selects.forEach(function (select) { select.addEventListener("change", applyFilters); });

    var csvButton = tools.querySelector(".dx-table-csv");
    csvButton.addEventListener("click", function () {
      var lines = [headers.map(function (th) { return csvField(label(th)); }).join(",")];
      visibleRows().forEach(function (row) {
        lines.push(Array.prototype.map.call(row.cells, function (cell) { return csvField(text(cell)); }).join(","));
      });
      // BOM: Excel reads the file as UTF-8 only with it.
      var blob = new Blob(["\uFEFF" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
      var url = URL.createObjectURL(blob);
      var link = document.createElement("a");
      link.href = url;
      link.download = table.getAttribute("data-csv-name") || "table.csv";
      link.hidden = true;
      document.body.appendChild(link);
      link.click();
      document.body.removeChild(link);
      setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
      announce((lines.length - 1) + " 件を CSV に保存しました。");
    });
    tools.hidden = false;
  }

  Array.prototype.forEach.call(document.querySelectorAll("table[data-sortable]"), function (table) {
    if (table.tHead && table.tBodies.length) { enhance(table); }
  });
})();
